"""Reporting progress: save with optimistic locking, submit, review, close rounds.

The rules: staff of a measure's divisions and the coordinator report progress
while the round is open; staff cannot change what waits for review or was
approved; a closed round is locked for everyone until the coordinator reopens
it. A save based on an old version is refused, never merged silently.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from measures.access import Action, can, can_edit_progress, recorded_user
from measures.limits import check_progress_input
from measures.models import (
    Evidence,
    Measure,
    Progress,
    ReviewState,
    Round,
    StepProgress,
)
from measures.selectors import HISTORY_FIELDS, history_value
from measures.thai import normalize_sara_am

# Kept with each history record (simple-history's change reason), so activity
# lists can say what happened without comparing records.
CHANGE_REASONS = {
    "save": "บันทึกผลการดำเนินการ",
    "submit": "ส่งให้ผู้ประสานงานตรวจ",
    "approve": "อนุมัติ",
    "return": "ส่งกลับให้แก้ไข",
}


class StaleEditError(Exception):
    """Someone saved this progress after the form was opened."""

    def __init__(self, current: Progress, changes: list[tuple[str, str, str]]):
        self.current = current
        self.changes = changes
        super().__init__("stale progress version")


@dataclass(frozen=True)
class ProgressInput:
    status: str
    completed_on: date | None
    result_text: str
    cannot_reason: str
    # Steps ticked, with their dates; None leaves the ticks as they are (imports).
    step_dates: dict[int, date | None] | None = None


def progress_for(measure: Measure, round_: Round) -> Progress:
    """This round's progress of the measure; an unsaved blank one if none yet."""
    return Progress.objects.filter(measure=measure, round=round_).first() or Progress(
        measure=measure, round=round_, version=0
    )


def can_edit(user, progress: Progress) -> bool:
    return can_edit_progress(user, progress)


def _check_editable(user, progress: Progress) -> None:
    if not progress.round.is_open:
        raise PermissionDenied("รอบการรายงานนี้ปิดแล้ว แก้ไขไม่ได้ ติดต่อผู้ประสานงานเพื่อเปิดรอบอีกครั้ง")
    if not can_edit(user, progress):
        raise PermissionDenied("ผลการดำเนินการนี้ส่งตรวจหรืออนุมัติแล้ว แก้ไขไม่ได้จนกว่าผู้ประสานงานจะส่งกลับ")


def _changes_since(progress: Progress, seen_version: int) -> list[tuple[str, str, str]]:
    """Field changes between the version the user saw and the current one."""
    records = list(progress.history.order_by("history_date", "history_id"))
    # A progress created after the form opened is compared with a blank one.
    before = next((r for r in reversed(records) if r.version <= seen_version), Progress())
    now = records[-1] if records else progress
    return [
        (
            Progress._meta.get_field(f).verbose_name,
            history_value(f, getattr(before, f)),
            history_value(f, getattr(now, f)),
        )
        for f in HISTORY_FIELDS
        if getattr(before, f) != getattr(now, f)
    ]


@transaction.atomic
def save_progress(
    *,
    measure: Measure,
    round_: Round,
    user,
    data: ProgressInput,
    seen_version: int,
    files=(),
    links=(),
    remove_evidence=(),
    reason: str = "",
) -> Progress:
    """Record the round's progress of a measure as the user entered it.

    `reason` replaces the usual change reason in the history (e.g. the file an
    import came from)."""
    current = Progress.objects.select_for_update().filter(measure=measure, round=round_).first()
    progress = current or Progress(measure=measure, round=round_, version=0)
    progress.round = round_
    _check_editable(user, progress)
    if progress.version != seen_version:
        raise StaleEditError(progress, _changes_since(progress, seen_version))
    checked_files = check_progress_input(
        progress,
        status=data.status,
        result_text=data.result_text,
        cannot_reason=data.cannot_reason,
        files=files,
        links=links,
        remove_evidence=remove_evidence,
    )

    progress.status = data.status
    progress.completed_on = data.completed_on if data.status == Progress.Status.DONE else None
    progress.result_text = normalize_sara_am(data.result_text.strip())
    progress.cannot_reason = (
        data.cannot_reason.strip() if data.status == Progress.Status.CANNOT else ""
    )
    if progress.review_state == ReviewState.APPROVED:
        progress.review_state = ReviewState.DRAFT  # a coordinator's edit reopens review
    progress.updated_by = recorded_user(user)
    progress.version += 1
    progress.full_clean()
    progress._change_reason = reason or CHANGE_REASONS["save"]
    progress.save()

    steps = {s.pk: s for s in measure.steps.all()}
    step_dates = data.step_dates if data.step_dates is not None else {}
    if data.step_dates is not None:
        progress.step_marks.exclude(step_id__in=step_dates).delete()
    for step_id, done_on in step_dates.items():
        if step_id not in steps:
            raise ValidationError("ขั้นตอนนี้ไม่ใช่ของมาตรการนี้")
        StepProgress.objects.update_or_create(
            progress=progress, step=steps[step_id], defaults={"done_on": done_on}
        )
    for gone in progress.evidence.filter(pk__in=remove_evidence):
        if gone.file:
            # The file goes only once the removal is committed.
            transaction.on_commit(lambda f=gone.file: f.storage.delete(f.name))
        gone.delete()
    for number, (upload, checked) in enumerate(checked_files, start=1):
        evidence = Evidence(
            progress=progress,
            original_name=upload.name[:255],
            content_type=checked.content_type,
            size=upload.size,
            uploaded_by=recorded_user(user),
        )
        # Stored under a name the portal makes from the checked type, never the upload's.
        stored = checked.stored_name(f"evidence-{progress.version}-{number}")
        evidence.file.save(stored, upload, save=False)
        evidence.save()
    for link in links:
        Evidence.objects.create(progress=progress, url=link, uploaded_by=recorded_user(user))
    return progress


@transaction.atomic
def submit_progress(*, progress: Progress, user) -> Progress:
    _check_editable(user, progress)
    if not progress.pk:
        raise ValidationError("ยังไม่ได้บันทึกผลการดำเนินการ")
    progress.review_state = ReviewState.SUBMITTED
    progress.updated_by = recorded_user(user)
    progress.version += 1
    progress._change_reason = CHANGE_REASONS["submit"]
    progress.save()
    return progress


@transaction.atomic
def review_progress(*, progress: Progress, user, approve: bool, comment: str) -> Progress:
    if not can(user, progress.round.organization, Action.REVIEW):
        raise PermissionDenied("เฉพาะผู้ประสานงานเท่านั้นที่ตรวจผลการดำเนินการได้")
    if progress.review_state != ReviewState.SUBMITTED:
        raise ValidationError("ผลการดำเนินการนี้ไม่ได้อยู่ระหว่างรอตรวจ")
    progress.review_state = ReviewState.APPROVED if approve else ReviewState.RETURNED
    progress.review_comment = comment.strip()
    progress.updated_by = recorded_user(user)
    progress.version += 1
    progress._change_reason = CHANGE_REASONS["approve" if approve else "return"]
    progress.save()
    return progress


@transaction.atomic
def set_round_open(*, round_: Round, user, is_open: bool) -> Round:
    if not can(user, round_.organization, Action.MANAGE_ROUNDS):
        raise PermissionDenied("เฉพาะผู้ประสานงานเท่านั้นที่เปิดหรือปิดรอบการรายงานได้")
    round_.is_open = is_open
    round_.save(update_fields=["is_open"])
    return round_
