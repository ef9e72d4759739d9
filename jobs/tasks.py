"""The job task: takes a queued job, runs it through the same services the portal
calls (which check the user's access again), and records what came of it.

Each kind calls one existing service and keeps its rules: publishing
(reports.services.publish_round), a draft PDF (reports.pdf.drafts.make), an import
(interchange.importer.import_measures) and a rollover
(interchange.rollover.rollover). Those are all-or-nothing, so a failed job has changed
nothing; its message says why, in Thai.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied
from django.http import Http404

from jobs import services, texts
from jobs.models import Job
from jobs.registry import JobFailed, kind_of

logger = logging.getLogger(__name__)


@shared_task(name="jobs.run", ignore_result=True)
def run_job(job_id: int) -> None:
    run(job_id)


def run(job_id: int) -> None:
    job = services.take(job_id)
    if job is None:
        return
    user = job.requested_by
    try:
        if user is None or not user.is_active:
            raise JobFailed(texts.NO_USER)
        kind_of(job.kind).run(job, user)
    except JobFailed as failure:
        services.finish(job, Job.State.FAILED, texts.failure(job, failure.reason), failure.details)
    except (PermissionDenied, Http404):
        services.finish(job, Job.State.FAILED, texts.failure(job, texts.not_allowed(job, user)))
    except SoftTimeLimitExceeded:
        services.finish(job, Job.State.FAILED, texts.failure(job, texts.TOO_LONG))
    except OSError:
        logger.exception("job %s (%s): storage refused", job.pk, job.kind)
        services.finish(job, Job.State.FAILED, texts.failure(job, texts.STORAGE))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        services.finish(job, Job.State.FAILED, texts.failure(job, texts.unexpected(job)))
    else:
        services.finish(job, Job.State.DONE, job.message, job.details)
