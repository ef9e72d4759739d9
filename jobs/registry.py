"""The kinds of job, as the apps that own them register them (in their
AppConfig.ready): publishing and draft PDFs (reports), imports and rollovers
(interchange). The runner (jobs.tasks) knows a job only by its kind's entry here,
so jobs imports none of the apps whose work it runs."""

from collections.abc import Callable
from dataclasses import dataclass


class JobFailed(Exception):
    """An outcome the job expects and explains (its reason is Thai)."""

    def __init__(self, reason: str, details: list[str] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.details = details or []


@dataclass(frozen=True)
class JobKind:
    # Does the work as `user` through the owning app's service (which checks the
    # user's rights again), sets job.message (and details, result_id, result_file),
    # or raises JobFailed, PermissionDenied or Http404.
    run: Callable
    # What people read, in Thai: while it runs, the failure's first words, what a
    # failed job left as it was, and what the person was doing (for "no right to ...").
    working: str
    failed: str
    unchanged: str
    doing: str
    # (label, URL) of what a finished job made, or None.
    result_link: Callable = lambda job: None
    # The Celery queue (CELERY_TASK_DEFAULT_QUEUE "urgent", or "drafts"): each has a
    # worker of its own, so that work people wait on never queues behind drafts.
    queue: str = "urgent"
    # True when `run` may run again after a worker died mid-job: all or nothing, and
    # what it committed is recorded on the job in the same transaction
    # (jobs.services.settle), so a job still marked running committed nothing. Such a
    # job is run again; any other is marked stopped.
    rerun_safe: bool = False
    # One person may have at most ITA_DRAFTS_PER_PERSON of such jobs queued or running.
    bounded: bool = False


_kinds: dict[str, JobKind] = {}


def register(code: str, kind: JobKind) -> None:
    _kinds[code] = kind


def kind_of(code: str) -> JobKind:
    return _kinds[code]
