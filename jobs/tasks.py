"""The job task: takes a queued job, runs it through the same services the portal
calls (which check the user's access again), and records what came of it.

Each kind calls one existing service and keeps its rules: publishing
(reports.services.publish_round), a draft PDF (reports.pdf.drafts.make), an import
(interchange.importer.import_measures) and a rollover
(interchange.rollover.rollover). Those are all-or-nothing, so a failed job has changed
nothing; its message says why, in Thai.
"""

import contextvars
import logging
import os
import threading
from contextlib import contextmanager

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.worker.request import Request
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from jobs import services, texts
from jobs.models import Job
from jobs.registry import JobFailed, kind_of
from operations.logs import job_context

logger = logging.getLogger(__name__)


class JobRequest(Request):
    """What Celery's main process logs about a job it handed out (a worker process lost
    mid-job: WorkerLostError; a time limit) carries the job's and the task's id."""

    def on_failure(self, exc_info, send_failed_event=True, return_ok=False):
        with job_context(self.args[0] if self.args else None, self.id):
            return super().on_failure(exc_info, send_failed_event, return_ok)

    def on_timeout(self, soft, timeout):
        with job_context(self.args[0] if self.args else None, self.id):
            return super().on_timeout(soft, timeout)


# Acknowledged when the job ends: a worker killed mid-job leaves the message to be
# delivered again (at once when only its child process died), and the job is taken
# again if its kind may run again (jobs.services.take). A job that ended is acknowledged
# whatever came of it.
@shared_task(
    name="jobs.run",
    ignore_result=True,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    Request=JobRequest,
)
def run_job(self, job_id: int) -> None:
    worker = "" if self.request.is_eager else f"{self.request.hostname}/{os.getpid()}"
    run(job_id, worker, self.request.id or "")


def run(job_id: int, worker: str = "", task_id: str = "") -> None:
    """Every line logged while the job runs carries its id (operations.logs)."""
    with job_context(job_id, task_id):
        job = services.take(job_id, worker)
        if job is None:
            return
        with _beating(job):
            _run(job)


@contextmanager
def _beating(job: Job):
    """While a worker runs the job, a thread says so every ITA_JOB_HEARTBEAT_SECONDS
    (its own database connection, closed at the end); a job run in the calling
    process (no broker) has no beat."""
    if not job.worker:
        yield
        return
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(settings.ITA_JOB_HEARTBEAT_SECONDS):
                try:
                    services.beat(job)
                except Exception:
                    logger.warning("job %s: its beat was not recorded", job.pk, exc_info=True)
        finally:
            connection.close()

    beating = threading.Thread(  # its lines carry the job's id too
        target=contextvars.copy_context().run, args=(beat,), name=f"job-{job.pk}-beat", daemon=True
    )
    beating.start()
    try:
        yield
    finally:
        stop.set()
        beating.join()


def _run(job: Job) -> None:
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
        if job.state != Job.State.DONE:  # not recorded with its work (registry: rerun_safe)
            services.finish(job, Job.State.DONE, job.message, job.details)
