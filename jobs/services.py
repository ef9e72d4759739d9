"""Starting jobs: the row people see, then the Celery message once the row is committed.

Without a broker (local use, `make run`) Celery runs the job at once in the calling
process (CELERY_TASK_ALWAYS_EAGER), so a request that starts one sees its outcome.
"""

import logging
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from jobs import texts
from jobs.models import Job

logger = logging.getLogger(__name__)


def _live(jobs) -> list[Job]:
    """The jobs of `jobs` that are queued or running, in one query. Those that no
    worker took or finished in time are marked failed on the way: they changed
    nothing, and must not stand in the way of the same request again."""
    live = []
    for job in jobs.filter(state__in=Job.ACTIVE):
        if not job.is_stale:
            live.append(job)
            continue
        reason = texts.NEVER_TAKEN if job.state == Job.State.QUEUED else texts.STOPPED
        Job.objects.filter(pk=job.pk, state=job.state).update(
            state=Job.State.FAILED,
            message=texts.failure(job, reason),
            finished_at=timezone.now(),
        )
    return live


def refreshed(job: Job) -> Job:
    """The job as it stands now (marked failed first if it went stale)."""
    _live(Job.objects.filter(pk=job.pk))
    job.refresh_from_db()
    return job


def active_job(*, kind: str, round_, content_sha256: str = "") -> Job | None:
    live = _live(Job.objects.filter(kind=kind, round=round_, content_sha256=content_sha256))
    return live[0] if live else None


def start(
    *,
    kind: str,
    organization,
    user,
    round_=None,
    fiscal_year=None,
    params: dict | None = None,
    content_sha256: str = "",
) -> tuple[Job, bool]:
    """The job, and whether it is new. A round's job of the same kind (and, for
    drafts, the same content) already queued or running is returned instead of a
    second one. The caller has checked the user's access; the job checks it again
    when it runs."""
    for _ in range(3):
        if round_ is not None:
            found = active_job(kind=kind, round_=round_, content_sha256=content_sha256)
            if found is not None:
                return found, False
        job = Job(
            kind=kind,
            organization=organization,
            round=round_,
            fiscal_year=fiscal_year,
            requested_by=user,
            params=params or {},
            content_sha256=content_sha256,
            task_id=str(uuid.uuid4()),
        )
        try:
            with transaction.atomic():
                job.save()
        except IntegrityError:
            continue  # someone started the same job a moment ago: answer with theirs
        transaction.on_commit(lambda job=job: _enqueue(job))
        return job, True
    raise RuntimeError("the same job kept being started and finished")  # pragma: no cover


def _enqueue(job: Job) -> None:
    from jobs.tasks import run_job

    try:
        # One quick retry: a broker that does not answer fails the job, not the request.
        run_job.apply_async(
            args=[job.pk],
            task_id=job.task_id,
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0.2},
        )
    except Exception:
        logger.exception("could not send job %s (%s) to the broker", job.pk, job.kind)
        Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
            state=Job.State.FAILED,
            message=texts.failure(job, texts.NO_BROKER),
            finished_at=timezone.now(),
        )


def take(job_id: int) -> Job | None:
    """The worker takes a queued job: marked running once, so that a message
    delivered twice, or a job marked failed while it waited (_live), is not run.
    None when it is not there to take."""
    taken = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=timezone.now()
    )
    if not taken:
        return None
    return Job.objects.select_related(
        "organization", "round__organization", "round__fiscal_year", "fiscal_year", "requested_by"
    ).get(pk=job_id)


def finish(job: Job, state: str, message: str, details: list[str] | None = None) -> None:
    """Record what came of a job: its state, its Thai message, and what it made."""
    job.state, job.message, job.details = state, message, details or []
    job.finished_at = timezone.now()
    job.save(
        update_fields=["state", "message", "details", "result_id", "result_file", "finished_at"]
    )
