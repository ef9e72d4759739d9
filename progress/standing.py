"""Where a measure stands in a round, and when it is due: the one rule every page
uses (home pages, the measure page, the executive dashboard, the report).

A result counts as done only once the coordinator has approved it. A result sent
for review and not yet decided is "รอตรวจ"; one still being written (a draft, or
returned for changes) counts as in progress when it says anything, and as not
started otherwise.

A measure is due on its own deadline, else on the last day of the round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Q

from measures.models import Measure, Round
from progress.models import Progress, ReviewState
from thai import conventions as thai

Status = Progress.Status


class Standing(models.TextChoices):
    """What a measure counts as in a round's tallies, in the order they are shown."""

    DONE = "done", "ดำเนินการแล้วเสร็จ"
    AWAITING_REVIEW = "awaiting_review", "รอตรวจ"
    IN_PROGRESS = "in_progress", "อยู่ระหว่างดำเนินการ"
    NOT_STARTED = "not_started", "ยังไม่ดำเนินการ"
    CANNOT = "cannot", "ไม่สามารถดำเนินการได้"


STANDINGS: tuple[str, ...] = tuple(s.value for s in Standing)

# The same rule in the database, for counts made there (one query for many rounds).
APPROVED_DONE = Q(status=Status.DONE, review_state=ReviewState.APPROVED)
AWAITING_REVIEW = Q(review_state=ReviewState.SUBMITTED)

# One sentence that says how the numbers are counted, wherever they are shown.
COUNTING_NOTE = (
    "นับเป็นแล้วเสร็จเมื่อผู้ประสานงานอนุมัติแล้ว ผลที่ส่งแล้วแต่ยังไม่ได้ตรวจนับเป็น “รอตรวจ” "
    "ผลที่ยังไม่ได้ส่งนับเป็นอยู่ระหว่างดำเนินการ"
)


def standing_of(progress: Progress | None) -> str:
    """The Standing value of a measure whose round progress is `progress` (None: no row)."""
    if progress is None:
        return Standing.NOT_STARTED
    if progress.review_state == ReviewState.APPROVED:
        return progress.status
    if progress.review_state == ReviewState.SUBMITTED:
        return Standing.AWAITING_REVIEW
    if progress.status == Status.NOT_STARTED:
        return Standing.NOT_STARTED
    return Standing.IN_PROGRESS


def settled(progress: Progress | None) -> bool:
    """The result says done (or cannot be done) and has left the reporter's hands:
    submitted or approved. A settled measure is never late."""
    return (
        progress is not None
        and progress.status in (Status.DONE, Status.CANNOT)
        and progress.review_state in (ReviewState.SUBMITTED, ReviewState.APPROVED)
    )


ROUND_END_NOTE = "วันสิ้นสุดรอบ"


@dataclass(frozen=True)
class Due:
    """When a measure is due in a round, and whether the date is its own."""

    on: date
    own: bool  # the measure's own deadline; otherwise the round's last day

    @property
    def label(self) -> str:
        """ "18 เม.ย. 2566", or "30 ก.ย. 2566 (วันสิ้นสุดรอบ)" when the measure has no
        deadline of its own."""
        text = thai.format_thai_date(self.on, abbr=True)
        return text if self.own else f"{text} ({ROUND_END_NOTE})"

    def days_left(self, today: date) -> int:
        """Days until the due date (negative once it has passed)."""
        return (self.on - today).days

    def overdue_days(self, today: date) -> int | None:
        """Days past the due date, or None when it has not passed."""
        days = (today - self.on).days
        return days if days > 0 else None


def due(measure: Measure, round_: Round) -> Due:
    """The measure's own deadline, else the round's end."""
    if measure.deadline:
        return Due(measure.deadline, own=True)
    return Due(round_.end, own=False)


def late_days(progress: Progress | None, when: Due, today: date) -> int | None:
    """Days the measure is late in its round: past due and not settled; else None."""
    if settled(progress):
        return None
    return when.overdue_days(today)
