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
from django.utils import timezone

from jobs import texts
from jobs.models import Job
from jobs.registry import JobFailed, kind_of

logger = logging.getLogger(__name__)


@shared_task(name="jobs.run", ignore_result=True)
def run_job(job_id: int) -> None:
    run(job_id)


def run(job_id: int) -> None:
    # Taken once: a message delivered twice, or a job marked failed while it waited
    # (jobs.services._live), is not run.
    taken = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=timezone.now()
    )
    if not taken:
        return
    job = Job.objects.select_related(
        "organization", "round__organization", "round__fiscal_year", "fiscal_year", "requested_by"
    ).get(pk=job_id)
    user = job.requested_by
    try:
        if user is None or not user.is_active:
            raise JobFailed(texts.NO_USER)
        kind_of(job.kind).run(job, user)
    except JobFailed as failure:
        _finish(job, Job.State.FAILED, texts.failure(job, failure.reason), failure.details)
    except (PermissionDenied, Http404):
        _finish(job, Job.State.FAILED, texts.failure(job, texts.not_allowed(job, user)))
    except SoftTimeLimitExceeded:
        _finish(job, Job.State.FAILED, texts.failure(job, texts.TOO_LONG))
    except OSError:
        logger.exception("job %s (%s): storage refused", job.pk, job.kind)
        _finish(job, Job.State.FAILED, texts.failure(job, texts.STORAGE))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, Job.State.FAILED, texts.failure(job, texts.unexpected(job)))
    else:
        _finish(job, Job.State.DONE, job.message, job.details)


def _finish(job: Job, state: str, message: str, details: list[str] | None = None) -> None:
    job.state, job.message, job.details = state, message, details or []
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "state",
            "message",
            "details",
            "result_id",
            "result_file",
            "finished_at",
        ]
    )
