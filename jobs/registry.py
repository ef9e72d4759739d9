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


_kinds: dict[str, JobKind] = {}


def register(code: str, kind: JobKind) -> None:
    _kinds[code] = kind


def kind_of(code: str) -> JobKind:
    return _kinds[code]
