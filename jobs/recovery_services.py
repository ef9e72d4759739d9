"""What a worker that died, or a broker that lost its messages, left behind, put right
by the workers themselves (jobs.worker calls these):

- when a worker starts, the jobs still marked running by its own earlier life (the same
  node name: it was killed, or its machine restarted) were stopped;
- every half minute, a running job whose worker stopped beating (jobs.tasks) for
  HEARTBEAT_MISSED beats was stopped, whichever worker held it;
- a stopped job of a kind that may run again (registry's rerun_safe: all or nothing,
  its outcome committed with its work, so a job still marked running committed
  nothing) is queued again, up to MAX_ATTEMPTS times; any other is marked failed;
- when a worker connects to the broker, and every half minute, a queued job whose
  message is not in the broker (Redis restarted from an older snapshot, or the web
  process died between saving the job and sending it) is sent again.

Every decision is logged with the job's id.
"""

import logging
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from jobs import texts
from jobs.models import Job
from jobs.registry import kind_of
from jobs.services import MAX_ATTEMPTS, enqueue, fail

logger = logging.getLogger(__name__)

# A queued job's message is looked for once it was sent this long ago (the web process
# sends it right after the job's row is committed).
RESEND_AFTER_SECONDS = 10


def recover_node(node: str) -> list[int]:
    """At a worker's start: its own jobs still marked running were stopped (no job of
    this life of the worker has been taken yet). The ids of the jobs dealt with."""
    jobs = Job.objects.filter(state=Job.State.RUNNING, worker__startswith=f"{node}/")
    return [job.pk for job in jobs if _stopped(job)]


def sweep_stopped() -> list[int]:
    """Running jobs, of any worker, whose beat stopped."""
    now = timezone.now()
    running = Job.objects.filter(state=Job.State.RUNNING)
    return [job.pk for job in running if job.beat_stopped(now) and _stopped(job)]


def _stopped(job: Job) -> bool:
    """Queue a stopped job again, or mark it failed. False if it moved on meanwhile."""
    kind = kind_of(job.kind)
    if not kind.rerun_safe or job.attempts >= MAX_ATTEMPTS:
        reason = texts.STOPPED if job.attempts < MAX_ATTEMPTS else texts.stopped_again(job.attempts)
        return fail(job, reason, state=Job.State.RUNNING)
    queued = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, worker=job.worker).update(
        state=Job.State.QUEUED, worker="", heartbeat_at=None
    )
    if not queued:
        return False
    logger.warning(
        "job %s (%s) stopped with its worker %s; queued again (attempt %s of %s)",
        job.pk,
        job.kind,
        job.worker,
        job.attempts + 1,
        MAX_ATTEMPTS,
    )
    enqueue(job)
    return True


def resend_lost(queues: set[str], in_broker: set[str] | None) -> list[int]:
    """Send again the queued jobs of these queues whose message is not among
    `in_broker` (the task ids the broker holds, waiting or delivered; None when the
    broker cannot be looked into: then every queued job sent a while ago, and a
    message delivered twice is not run twice, jobs.services.take)."""
    before = timezone.now() - timedelta(seconds=RESEND_AFTER_SECONDS)
    waiting = Job.objects.filter(state=Job.State.QUEUED).filter(
        Q(sent_at__lt=before) | Q(sent_at__isnull=True, created_at__lt=before)
    )
    sent = []
    for job in waiting:
        if kind_of(job.kind).queue not in queues:
            continue
        if in_broker is not None and job.task_id in in_broker:
            continue
        # Several workers may look at once: the one that marks it sends it.
        claimed = Job.objects.filter(pk=job.pk, state=Job.State.QUEUED, sent_at=job.sent_at)
        if not claimed.update(sent_at=timezone.now()):
            continue
        logger.warning("job %s (%s): its message was not in the broker; sent again",
                       job.pk, job.kind)  # fmt: skip
        enqueue(job)
        sent.append(job.pk)
    return sent
