"""Reporting progress: save with optimistic locking, submit, review, close rounds.

The rules: staff of a measure's divisions and the coordinator report progress
while the round is open; staff cannot change what waits for review or was
approved; a closed round is locked for everyone until the coordinator reopens
it. A save based on an old version is refused, never merged silently. A
division's part of a shared measure is written by progress.part_services.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from measures.models import Measure, Round
from measures.services import MeasuresInvalid
from operations import sweep_services
from organizations import changes
from organizations.access import (
    Action,
    can,
    can_edit_progress,
    recorded_user,
    reporting_division,
)
from progress.limits import check_progress_input
from progress.models import Evidence, Progress, ReviewState, StepProgress
from progress.selectors import HISTORY_FIELDS, history_value
from thai.conventions import format_thai_date, normalize_sara_am
from thai.validators import validate_sane_date

# Kept with each history record (simple-history's change reason), so activity
# lists can say what happened without comparing records.
CHANGE_REASONS = {
    "save": "บันทึกผลการดำเนินการ",
    "submit": "ส่งให้ผู้ประสานงานตรวจ",
    "approve": "อนุมัติ",
    "return": "ส่งกลับให้แก้ไข",
    "part": "บันทึกส่วนของส่วนราชการ",
}

# What the result and part forms say when the round is closed.
ROUND_CLOSED = "รอบการรายงานนี้ปิดแล้ว แก้ไขไม่ได้ ติดต่อผู้ประสานงานเพื่อเปิดรอบอีกครั้ง"


class StaleEditError(Exception):
    """Someone saved this progress after the form was opened."""

    def __init__(self, current: Progress, changes: list[tuple[str, str, str]]):
        self.current = current
        self.changes = changes
        super().__init__("stale progress version")


class NotEditableError(PermissionDenied):
    """The progress cannot be changed now: its round is closed, or it waits for
    review or was approved. `message` says which, and who did it when."""

    def __init__(self, message: str, current: Progress):
        self.message = message
        self.current = current
        super().__init__(message)


class ReviewConflictError(Exception):
    """The decision was made on a version of the progress that is no longer current.

    `already_done` is true when the progress already carries this very decision
    (a double click, or the same decision from another tab): nothing to do."""

    def __init__(self, message: str, current: Progress, already_done: bool):
        self.message = message
        self.current = current
        self.already_done = already_done
        super().__init__(message)


def by_when(progress: Progress) -> str:
    """ " โดย สมชาย เมื่อ 18 เมษายน 2566 เวลา 14:05 น.": the last change of the progress."""
    text = ""
    if progress.updated_by:
        who = progress.updated_by
        text += f" โดย {who.get_full_name() or who.get_username()}"
    if progress.updated_at:
        at = timezone.localtime(progress.updated_at)
        text += f" เมื่อ {format_thai_date(at.date())} เวลา {at:%H:%M} น."
    return text


@dataclass(frozen=True)
class ProgressInput:
    status: str
    completed_on: date | None
    result_text: str
    cannot_reason: str
    # Steps ticked, with their dates; None leaves the ticks as they are (imports).
    step_dates: dict[int, date | None] | None = None


def typed_text(text: str) -> str:
    """Text as the person typed it, stored one way: line ends as browsers and
    spreadsheets send them (\r\n) become \n, SARA AM is one character, no
    spaces around."""
    return normalize_sara_am(text.replace("\r\n", "\n").replace("\r", "\n").strip())


def progress_for(measure: Measure, round_: Round) -> Progress:
    """This round's progress of the measure; an unsaved blank one if none yet."""
    return Progress.objects.filter(measure=measure, round=round_).first() or Progress(
        measure=measure, round=round_, version=0
    )


def already_recorded(
    progress: Progress, data: ProgressInput, *, files=(), links=(), remove_evidence=()
) -> bool:
    """True when saving `data` would change nothing: the same form sent twice
    (a double click on "save and submit"). New files or removals never are."""
    if not progress.pk or files or remove_evidence:
        return False
    done = data.status == Progress.Status.DONE
    cannot = data.status == Progress.Status.CANNOT
    if (progress.status, progress.completed_on, progress.result_text, progress.cannot_reason) != (
        data.status,
        data.completed_on if done else None,
        typed_text(data.result_text),
        typed_text(data.cannot_reason) if cannot else "",
    ):
        return False
    marks = {m.step_id: m.done_on for m in progress.step_marks.all()}
    if data.step_dates is not None and marks != data.step_dates:
        return False
    own = progress.evidence.filter(part=None).exclude(url="")
    return set(links) <= set(own.values_list("url", flat=True))


def not_editable_message(progress: Progress) -> str:
    """Why the user may not change the progress now, in the words the form shows."""
    if not progress.round.is_open:
        return ROUND_CLOSED
    if progress.review_state == ReviewState.SUBMITTED:
        return (
            f"ผลการดำเนินการนี้ส่งให้ผู้ประสานงานตรวจแล้ว{by_when(progress)} แก้ไขไม่ได้จนกว่าผู้ประสานงานจะส่งกลับ"
        )
    if progress.review_state == ReviewState.APPROVED:
        return f"ผลการดำเนินการนี้ผู้ประสานงานอนุมัติแล้ว{by_when(progress)} แก้ไขไม่ได้จนกว่าผู้ประสานงานจะส่งกลับ"
    if progress.reporter_division_id is not None:
        reporter = progress.reporter_division.name
        return (
            f"ผลการดำเนินการของมาตรการนี้{reporter}เป็นผู้รายงาน{by_when(progress)} "
            "ส่วนราชการของคุณดูได้ และเพิ่มส่วนของส่วนราชการตนเองได้ที่หน้ามาตรการ"
        )
    return "คุณไม่มีสิทธิ์แก้ไขผลการดำเนินการนี้"


def _check_editable(user, progress: Progress) -> None:
    if not can_edit_progress(user, progress):
        raise NotEditableError(not_editable_message(progress), progress)


def lock_for_writing(measure: Measure, round_: Round) -> Round:
    """Serialize writers of the measure's progress; return the round as committed now.

    The measure row is locked (a progress that does not exist yet cannot be
    locked: two first saves would both insert). On PostgreSQL the round is
    read FOR SHARE: saves of other measures go on side by side, while closing
    the round or publishing it waits for the saves under way, and a save that
    waited sees the round closed. SQLite writers queue on the whole database
    (settings: transaction_mode IMMEDIATE)."""
    list(Measure.objects.select_for_update().filter(pk=measure.pk).values_list("pk"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT is_open FROM {Round._meta.db_table} WHERE id = %s FOR SHARE",
                [round_.pk],
            )
            row = cursor.fetchone()
        is_open = row[0] if row else False
    else:
        is_open = Round.objects.filter(pk=round_.pk, is_open=True).exists()
    round_.is_open = is_open
    return round_


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


def locked_progress(measure: Measure, round_: Round) -> Progress:
    """The round's progress of the measure, locked for writing (an unsaved blank one if
    none yet), carrying the round as committed now (lock_for_writing)."""
    round_ = lock_for_writing(measure, round_)
    current = Progress.objects.select_for_update().filter(measure=measure, round=round_).first()
    progress = current or Progress(measure=measure, round=round_, version=0)
    progress.round = round_
    return progress


def _checked_input(
    progress: Progress, data: ProgressInput, *, files=(), links=(), remove_evidence=()
):
    """The limits on what is entered (progress.limits); returns the checked files."""
    return check_progress_input(
        progress,
        status=data.status,
        result_text=data.result_text,
        cannot_reason=data.cannot_reason,
        files=files,
        links=links,
        remove_evidence=remove_evidence,
    )


def _apply_input(progress: Progress, data: ProgressInput) -> None:
    """The entered result on the progress, stored one way: a completion date only when
    done, a reason only when it cannot be done (typed_text)."""
    progress.status = data.status
    progress.completed_on = data.completed_on if data.status == Progress.Status.DONE else None
    progress.result_text = typed_text(data.result_text)
    progress.cannot_reason = (
        typed_text(data.cannot_reason) if data.status == Progress.Status.CANNOT else ""
    )


@transaction.atomic
@changes.collecting()
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
    progress = locked_progress(measure, round_)
    _check_editable(user, progress)
    if progress.version != seen_version:
        raise StaleEditError(progress, _changes_since(progress, seen_version))
    checked_files = _checked_input(
        progress, data, files=files, links=links, remove_evidence=remove_evidence
    )
    _apply_input(progress, data)
    if progress.review_state == ReviewState.APPROVED:
        progress.review_state = ReviewState.DRAFT  # a coordinator's edit reopens review
    if progress.reporter_division_id is None:
        # The first staff member to report makes the result their division's.
        progress.reporter_division = reporting_division(user, measure)
    progress.updated_by = recorded_user(user)
    progress.version += 1
    progress.full_clean()
    progress._change_reason = reason or CHANGE_REASONS["save"]
    # The step ticks and evidence of this save are recorded at the same moment as the
    # save itself, so the measure's history shows them together (progress.selectors).
    when = history_stamp(progress, user)
    progress.save()

    if data.step_dates is not None:
        _save_step_marks(progress, measure, data.step_dates, when, user)
    write_evidence(
        progress,
        None,
        when,
        user,
        checked_files=checked_files,
        links=links,
        remove=progress.evidence.filter(part=None, pk__in=remove_evidence),
        prefix=f"evidence-{progress.version}",
    )
    changes.changed(measure.organization_id, measure.fiscal_year_id)
    return progress


def history_stamp(instance, user):
    """Give `instance` the moment and user of its history record; return the moment
    (for the records written with it)."""
    instance._history_date = timezone.now()
    instance._history_user = recorded_user(user)
    return instance._history_date


def stamped(instance, when, user):
    instance._history_date = when
    instance._history_user = recorded_user(user)
    return instance


def _save_step_marks(progress: Progress, measure: Measure, step_dates, when, user) -> None:
    """Tick, untick and re-date the steps as entered; unchanged ticks are left alone
    (each change is a history record of its own)."""
    steps = {s.pk: s for s in measure.steps.all()}
    current = {m.step_id: m for m in progress.step_marks.all()}
    for step_id, mark in current.items():
        if step_id not in step_dates:
            stamped(mark, when, user).delete()
    for step_id, done_on in step_dates.items():
        if step_id not in steps:
            raise ValidationError("ขั้นตอนนี้ไม่ใช่ของมาตรการนี้")
        try:
            validate_sane_date(done_on)
        except ValidationError as error:
            label = StepProgress._meta.get_field("done_on").verbose_name
            raise ValidationError(
                f"ขั้นตอนที่ {steps[step_id].number} {label}: {error.messages[0]}"
            ) from None
        mark = current.get(step_id)
        if mark is None:
            mark = StepProgress(progress=progress, step=steps[step_id], done_on=done_on)
        elif mark.done_on == done_on:
            continue
        mark.done_on = done_on
        stamped(mark, when, user).save()


def write_evidence(progress, part, when, user, *, checked_files, links, remove, prefix) -> None:
    """Remove and add evidence of the result (`part` None) or of a division's part.
    A removed file leaves storage after a grace period (operations.sweep_services,
    recorded in this transaction: a backup holding the row holds the file), and files
    written are deleted again if the save fails."""
    sweep_services.delete_later([gone.file.name for gone in remove if gone.file])
    for gone in remove:
        stamped(gone, when, user).delete()
    written = []
    try:
        for number, (upload, checked) in enumerate(checked_files, start=1):
            content = checked.stored_file(upload)  # an image as the portal wrote it again
            evidence = Evidence(
                progress=progress,
                part=part,
                original_name=upload.name[:255],
                content_type=checked.content_type,
                size=content.size,
                uploaded_by=recorded_user(user),
            )
            # Stored under a name the portal makes from the checked type, never the upload's.
            stored = checked.stored_name(f"{prefix}-{number}")
            evidence.file.save(stored, content, save=False)
            written.append(evidence.file)
            stamped(evidence, when, user).save()
        for link in links:
            evidence = Evidence(
                progress=progress, part=part, url=link, uploaded_by=recorded_user(user)
            )
            stamped(evidence, when, user).save()
    except BaseException:
        # The rows roll back with the transaction; the files written go with them.
        for file in written:
            file.storage.delete(file.name)
        raise


@transaction.atomic
@changes.collecting()
def submit_progress(*, progress: Progress, user, seen_version: int | None = None) -> Progress:
    """Send the progress for review; `seen_version` is the version the user submits."""
    if not progress.pk:
        raise ValidationError("ยังไม่ได้บันทึกผลการดำเนินการ")
    round_ = lock_for_writing(progress.measure, progress.round)
    progress = Progress.objects.select_for_update().get(pk=progress.pk)
    progress.round = round_
    _check_editable(user, progress)
    if seen_version is not None and progress.version != seen_version:
        raise StaleEditError(progress, _changes_since(progress, seen_version))
    progress.review_state = ReviewState.SUBMITTED
    progress.updated_by = recorded_user(user)
    progress.version += 1
    progress._change_reason = CHANGE_REASONS["submit"]
    progress.save()
    changes.changed(round_.organization_id, round_.fiscal_year_id)
    return progress


def _review_conflict(current: Progress, approve: bool, seen_version: int | None):
    """Why a decision cannot be applied to the progress as it is now, or None."""
    decision = "อนุมัติ" if approve else "ส่งกลับ"
    if current.review_state == ReviewState.SUBMITTED:
        if seen_version is None or current.version == seen_version:
            return None
        return ReviewConflictError(
            f"ผลการดำเนินการนี้มีการเปลี่ยนแปลงหลังจากที่คุณเปิดหน้านี้{by_when(current)} "
            f"ระบบจึงยังไม่ได้{decision} กรุณาตรวจผลล่าสุดด้านล่างแล้วตัดสินอีกครั้ง",
            current,
            already_done=False,
        )
    done = {ReviewState.APPROVED: "อนุมัติแล้ว", ReviewState.RETURNED: "ส่งกลับให้แก้ไขแล้ว"}
    wanted = ReviewState.APPROVED if approve else ReviewState.RETURNED
    if current.review_state == wanted:
        return ReviewConflictError(
            f"ผลการดำเนินการนี้{done[wanted]}{by_when(current)}", current, already_done=True
        )
    if current.review_state in done:
        return ReviewConflictError(
            f"ผลการดำเนินการนี้{done[current.review_state]}{by_when(current)} "
            f"ระบบจึงไม่ได้{decision}ตามที่คุณเลือก",
            current,
            already_done=False,
        )
    return ReviewConflictError(
        f"ผลการดำเนินการนี้ยังไม่ได้ส่งให้ผู้ประสานงานตรวจ (แก้ไขล่าสุด{by_when(current)}) "
        f"ระบบจึงยังไม่ได้{decision}",
        current,
        already_done=False,
    )


@transaction.atomic
@changes.collecting()
def review_progress(
    *, progress: Progress, user, approve: bool, comment: str, seen_version: int | None = None
) -> Progress:
    """Approve or return a submitted progress.

    The decision applies to the version the coordinator saw (`seen_version`);
    a progress changed or decided since is refused with ReviewConflictError."""
    if not can(user, progress.round.organization, Action.REVIEW):
        raise PermissionDenied("เฉพาะผู้ประสานงานเท่านั้นที่ตรวจผลการดำเนินการได้")
    round_ = progress.round
    # No select_related: after waiting for the lock, PostgreSQL returns the new
    # row but joined rows as they were before (the previous editor).
    progress = Progress.objects.select_for_update().get(pk=progress.pk)
    progress.round = lock_for_writing(progress.measure, round_)
    if conflict := _review_conflict(progress, approve, seen_version):
        raise conflict
    if not progress.round.is_open:
        # A closed round is locked for everyone, reviews included, until reopened.
        raise ReviewConflictError(
            "รอบการรายงานนี้ปิดแล้ว จึงอนุมัติหรือส่งกลับไม่ได้ เปิดรอบอีกครั้งก่อนตรวจ",
            progress,
            already_done=False,
        )
    progress.review_state = ReviewState.APPROVED if approve else ReviewState.RETURNED
    progress.review_comment = comment.strip()
    progress.updated_by = recorded_user(user)
    progress.version += 1
    progress._change_reason = CHANGE_REASONS["approve" if approve else "return"]
    progress.save()
    changes.changed(progress.round.organization_id, progress.round.fiscal_year_id)
    return progress


@transaction.atomic
@changes.collecting()
def set_round_open(*, round_: Round, user, is_open: bool) -> Round:
    if not can(user, round_.organization, Action.MANAGE_ROUNDS):
        raise PermissionDenied("เฉพาะผู้ประสานงานเท่านั้นที่เปิดหรือปิดรอบการรายงานได้")
    # Waits for the saves under way (they hold the round FOR SHARE).
    list(Round.objects.select_for_update().filter(pk=round_.pk).values_list("pk"))
    round_.is_open = is_open
    round_.save(update_fields=["is_open"])
    changes.changed(round_.organization_id, round_.fiscal_year_id)
    return round_


@transaction.atomic
@changes.collecting()
def record_first_results(
    *, round_: Round, user, entries: list[tuple[Measure, ProgressInput]], reason: str
) -> list[Progress]:
    """The first progress of many measures in one round (an import of new measures),
    in two bulk inserts. The rules of save_progress apply to each; there is no
    earlier version to be stale against, and none may exist yet. Entries that break
    them raise MeasuresInvalid naming each."""
    round_ = lock_for_writing(entries[0][0], round_) if entries else round_
    measures = [measure for measure, _ in entries]
    if Progress.objects.filter(round=round_, measure__in=measures).exists():
        raise ValidationError("มีผลการดำเนินการของมาตรการเหล่านี้ในรอบนี้อยู่แล้ว")
    rows, errors = [], []
    for index, (measure, data) in enumerate(entries):
        progress = Progress(measure=measure, round=round_, version=1)
        try:
            _check_editable(user, progress)
            _checked_input(progress, data)
            _apply_input(progress, data)
            progress.updated_by = recorded_user(user)
            progress.full_clean(
                exclude=["measure", "round", "updated_by"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors.append((index, error))
            continue
        rows.append(progress)
    if errors:
        raise MeasuresInvalid(errors)
    created = bulk_create_with_history(
        rows, Progress, default_user=recorded_user(user), default_change_reason=reason
    )
    changes.changed(round_.organization_id, round_.fiscal_year_id)
    return created
