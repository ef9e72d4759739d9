"""A division's part of a measure of several divisions: what it did (a note) and its
evidence, beside the measure's one result (progress.services).

Each responsible division writes its own part, also while the result waits for
review; not once the result is approved (for staff) or the round is closed. Who may
is decided in organizations.access; a save based on an old version of the part is
refused, never merged silently.
"""

from django.db import transaction

from measures.models import Measure, Round
from organizations import changes
from organizations.access import can_edit_part, recorded_user
from organizations.models import Division
from progress.limits import check_part_input
from progress.models import DivisionPart, Progress, ReviewState
from progress.services import (
    CHANGE_REASONS,
    ROUND_CLOSED,
    NotEditableError,
    by_when,
    history_stamp,
    locked_progress,
    typed_text,
    write_evidence,
)


class StalePartError(Exception):
    """Someone saved this division's part after the form was opened."""

    def __init__(self, current: DivisionPart):
        self.current = current
        super().__init__("stale division part version")


def part_for(progress: Progress | None, division: Division) -> DivisionPart:
    """The division's saved part of the round's result; an unsaved blank one if none."""
    found = (
        DivisionPart.objects.filter(progress=progress, division=division).first()
        if progress is not None and progress.pk
        else None
    )
    return found or DivisionPart(progress=progress, division=division, version=0)


def part_already_recorded(part: DivisionPart, *, note: str, files=(), links=(), remove=()) -> bool:
    """True when saving the part form would change nothing: the same form sent twice
    (a double click). New files or removals never are."""
    if not part.pk or files or remove:
        return False
    if part.note != typed_text(note):
        return False
    return set(links) <= set(part.evidence.exclude(url="").values_list("url", flat=True))


def part_not_editable_message(user, progress: Progress, division: Division) -> str:
    """Why the user may not write the division's part now, as the part form says it."""
    if not progress.round.is_open:
        return ROUND_CLOSED
    if progress.review_state == ReviewState.APPROVED:
        return (
            f"ผลการดำเนินการนี้ผู้ประสานงานอนุมัติแล้ว{by_when(progress)} "
            "เพิ่มหรือแก้ไขส่วนของส่วนราชการไม่ได้จนกว่าผู้ประสานงานจะส่งกลับ"
        )
    return f"คุณไม่ได้สังกัด{division.name} จึงแก้ไขส่วนของส่วนราชการนี้ไม่ได้"


def _locked_part(progress: Progress, division: Division) -> DivisionPart:
    """The division's part of the progress, locked for writing; a blank one if none."""
    found = (
        DivisionPart.objects.select_for_update()
        .filter(progress=progress, division=division)
        .first()
        if progress.pk
        else None
    )
    return found or DivisionPart(division=division, version=0)


def _ensure_saved(progress: Progress) -> None:
    """A part needs the round's result row to hang on: when nobody has reported yet, a
    blank one is created (not started, a draft, version 0: the first reporter's form
    is not made stale by it, and it has no history of its own)."""
    if progress.pk is None:
        progress.skip_history_when_saving = True
        progress.full_clean()
        progress.save()
        del progress.skip_history_when_saving


@transaction.atomic
@changes.collecting()
def save_part(
    *,
    measure: Measure,
    round_: Round,
    division: Division,
    user,
    note: str,
    seen_version: int,
    files=(),
    links=(),
    remove_evidence=(),
) -> DivisionPart:
    """Record what `division` did on a shared measure in the round: its note and its
    evidence, beside the measure's one result. Also while that result waits for
    review; not once it is approved (for staff) or the round is closed. A save based
    on an old version of the part is refused (StalePartError)."""
    progress = locked_progress(measure, round_)
    progress.measure = measure
    if not can_edit_part(user, progress, division):
        raise NotEditableError(part_not_editable_message(user, progress, division), progress)
    part = _locked_part(progress, division)
    if part.version != seen_version:
        raise StalePartError(part)
    checked_files = check_part_input(
        part, note=note, files=files, links=links, remove_evidence=remove_evidence
    )
    _ensure_saved(progress)
    part.progress = progress
    part.note = typed_text(note)
    part.updated_by = recorded_user(user)
    part.version += 1
    part._change_reason = CHANGE_REASONS["part"]
    when = history_stamp(part, user)
    part.full_clean()
    part.save()
    write_evidence(
        progress,
        part,
        when,
        user,
        checked_files=checked_files,
        links=links,
        remove=part.evidence.filter(pk__in=remove_evidence) if seen_version else [],
        prefix=f"part-{part.pk}-{part.version}",
    )
    changes.changed(measure.organization_id, measure.fiscal_year_id)
    return part
