"""Starting jobs: the row people see, then the Celery message once the row is committed;
taking, beating and finishing them on the worker.

Without a broker (local use, `make run`) Celery runs the job at once in the calling
process (CELERY_TASK_ALWAYS_EAGER), so a request that starts one sees its outcome.

What a worker that died left behind (a job still marked running, a message the broker
lost) is put right by jobs.recovery_services.
"""

import logging
import os
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from jobs import texts
from jobs.models import Job
from jobs.registry import kind_of

logger = logging.getLogger(__name__)

# Times a worker may take the same job; a job whose worker died each time (a render
# that takes more memory than the machine has) is then marked stopped.
MAX_ATTEMPTS = 3


class TooManyJobs(Exception):
    """The person has as many jobs of a bounded kind under way as they may (Thai)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def fail(job: Job, reason: str, *, state: str) -> bool:
    """Mark a job that is still in `state` failed with `reason` (its kind's sentence
    around it); False when it had moved on meanwhile."""
    marked = Job.objects.filter(pk=job.pk, state=state).update(
        state=Job.State.FAILED,
        message=texts.failure(job, reason),
        finished_at=timezone.now(),
        payload=None,
    )
    if marked:
        logger.warning("job %s (%s) marked failed: %s", job.pk, job.kind, reason)
    return bool(marked)


def _live(jobs) -> list[Job]:
    """The jobs of `jobs` that are queued or running, in one query. Those that no
    worker took, or whose worker stopped saying it is alive, in time are marked failed
    on the way: they changed nothing, and must not stand in the way of the same
    request again. (A live worker runs a stopped job again before that:
    jobs.recovery_services.)"""
    live = []
    for job in jobs.filter(state__in=Job.ACTIVE):
        if not job.is_stale:
            live.append(job)
            continue
        fail(job, texts.NEVER_TAKEN if job.state == Job.State.QUEUED else texts.STOPPED,
             state=job.state)  # fmt: skip
    return live


def mark_stale() -> None:
    """Mark every job no worker took, or whose worker stopped, in time failed."""
    _live(Job.objects.all())


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
    payload=None,
    content_sha256: str = "",
) -> tuple[Job, bool]:
    """The job, and whether it is new. A round's job of the same kind (and, for
    drafts, the same content) already queued or running is returned instead of a
    second one. The caller has checked the user's access; the job checks it again
    when it runs. `payload` is what the job needs beyond `params` that must outlive
    the broker and the cache (kept in the database until the job ends).

    Of a bounded kind (draft PDFs), one person may have ITA_DRAFTS_PER_PERSON under
    way: the next raises TooManyJobs."""
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
            payload=payload,
            content_sha256=content_sha256,
            task_id=str(uuid.uuid4()),
        )
        try:
            with transaction.atomic():
                if kind_of(kind).bounded:
                    _check_bound(kind, user)
                job.save()
        except IntegrityError:
            continue  # someone started the same job a moment ago: answer with theirs
        transaction.on_commit(lambda job=job: enqueue(job))
        return job, True
    raise RuntimeError("the same job kept being started and finished")  # pragma: no cover


def _check_bound(kind: str, user) -> None:
    """Inside the transaction that creates the job: the person's row is locked, so
    that their requests at the same moment count one after the other."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    under_way = _live(Job.objects.filter(kind=kind, requested_by=user))
    limit = settings.ITA_DRAFTS_PER_PERSON
    if len(under_way) >= limit:
        raise TooManyJobs(texts.TOO_MANY.format(count=len(under_way), limit=limit))


def enqueue(job: Job) -> None:
    """Send the job's message to its kind's queue (again, when the broker lost it)."""
    from jobs.tasks import run_job

    try:
        # One quick retry: a broker that does not answer fails the job, not the request.
        run_job.apply_async(
            args=[job.pk],
            task_id=job.task_id,
            queue=kind_of(job.kind).queue,
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0.2},
        )
    except Exception:
        logger.exception("could not send job %s (%s) to the broker", job.pk, job.kind)
        fail(job, texts.NO_BROKER, state=Job.State.QUEUED)
        return
    Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(sent_at=timezone.now())


def take(job_id: int, worker: str = "") -> Job | None:
    """The worker `worker` ("<node name>/<pid>"; "" when run in the calling process)
    takes a job: a queued one, or one still marked running whose worker died (its
    message delivered again: Celery's late acknowledgement). A message delivered
    twice while its job runs, or for a job that ended, is not run. None when the job
    is not there to take."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or not _takeable(job, worker):
        return None
    if job.attempts >= MAX_ATTEMPTS:
        fail(job, texts.stopped_again(job.attempts), state=job.state)
        return None
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, state=job.state, attempts=job.attempts).update(
        state=Job.State.RUNNING,
        started_at=now,
        worker=worker,
        heartbeat_at=now if worker else None,
        attempts=job.attempts + 1,
    )
    if not taken:
        return None
    if job.state == Job.State.RUNNING:
        logger.warning("job %s (%s): its worker %s died; run again", job.pk, job.kind, job.worker)
    return Job.objects.select_related(
        "organization", "round__organization", "round__fiscal_year", "fiscal_year", "requested_by"
    ).get(pk=job_id)


def _takeable(job: Job, worker: str) -> bool:
    if job.state == Job.State.QUEUED:
        return True
    if job.state != Job.State.RUNNING or not kind_of(job.kind).rerun_safe:
        return False
    return holder_died(job, worker)


def holder_died(job: Job, worker: str) -> bool:
    """Whether the worker holding a running job is gone: a process of this same
    worker node that no longer exists, or silence for HEARTBEAT_MISSED beats."""
    node, _, pid = job.worker.rpartition("/")
    if node and node == worker.rpartition("/")[0] and pid.isdigit():
        return not _process_exists(int(pid))
    return job.beat_stopped(timezone.now())


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def beat(job: Job) -> None:
    """The worker running `job` says it is alive (jobs.tasks, every
    ITA_JOB_HEARTBEAT_SECONDS)."""
    Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, worker=job.worker).update(
        heartbeat_at=timezone.now()
    )


def finish(job: Job, state: str, message: str, details: list[str] | None = None) -> None:
    """Record what came of a job: its state, its Thai message, and what it made (its
    params too: what a kind's run put there for its page, as the results preview's
    rows). A kind whose work is one transaction calls it inside that transaction
    (registry's rerun_safe), so that the work and its record are committed together."""
    job.state, job.message, job.details = state, message, details or []
    job.finished_at = timezone.now()
    job.payload = None
    job.save(
        update_fields=[
            "state",
            "message",
            "details",
            "result_id",
            "result_file",
            "finished_at",
            "payload",
            "params",
        ]
    )
