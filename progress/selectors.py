"""Reads of progress that need care: a measure with its rounds' results, parts
and evidence prefetched, and the history of every change to them."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from linkcheck.registry import Link
from linkcheck.selectors import attach_statuses
from measures.models import Measure, MeasureDivision, Round, Step
from progress.models import DivisionPart, Evidence, Progress, ReviewState, StepProgress
from thai import conventions as thai


def measure_detail(measure: Measure) -> Measure:
    """The measure with its divisions, steps and sub-items, and progress per round."""
    return (
        Measure.objects.select_related("organization", "fiscal_year", "indicator__tool")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=MeasureDivision.objects.select_related("division").order_by("order"),
            ),
            Prefetch("steps", queryset=Step.objects.order_by("number").prefetch_related("items")),
            Prefetch(
                "progress",
                queryset=Progress.objects.select_related(
                    "round", "updated_by", "reporter_division"
                ).prefetch_related(
                    # The result's own evidence; each division's part keeps its own.
                    Prefetch("evidence", queryset=_evidence().filter(part=None)),
                    Prefetch(
                        "step_marks",
                        queryset=StepProgress.objects.select_related("step").order_by(
                            "step__number"
                        ),
                    ),
                    Prefetch(
                        "parts",
                        queryset=DivisionPart.objects.select_related(
                            "division", "updated_by"
                        ).prefetch_related(Prefetch("evidence", queryset=_evidence())),
                    ),
                ),
            ),
        )
        .get(pk=measure.pk)
    )


def _evidence() -> QuerySet[Evidence]:
    return Evidence.objects.select_related("uploaded_by").order_by("uploaded_at", "pk")


@dataclass
class HistoryRow:
    """One recorded change on the measure's page: a save of the result (with the
    steps ticked and the evidence added or removed in it), a review, or a
    division's part."""

    when: datetime
    user: object  # who did it, or None for the portal's own commands
    round: Round | None
    reason: str
    division: object = None  # the division whose part this is
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)
    activity: list[str] = field(default_factory=list)  # steps and evidence, in words


def progress_history(measure: Measure) -> list[HistoryRow]:
    """Every recorded change of this measure's progress, newest first: the result's
    fields (old → new), the steps ticked or unticked with their dates, evidence added
    or removed, and the divisions' parts. Four queries whatever the length.

    The step ticks and evidence of one save carry the moment of that save's record
    (progress.services), which is how they are shown together."""
    records = list(
        Progress.history.filter(measure_id=measure.pk)
        .select_related("history_user", "round__fiscal_year")
        .order_by("history_date", "history_id")
    )
    part_records = list(
        DivisionPart.history.filter(progress__measure_id=measure.pk)
        .select_related("history_user", "division", "progress__round__fiscal_year")
        .order_by("history_date", "history_id")
    )
    activity = _activity(measure)
    rows = _result_rows(records, activity) + _part_rows(part_records, activity)
    # Steps and evidence changed without a save of their own (e.g. a measure's step
    # removed in the admin takes its ticks with it): shown on their own.
    for (_, _, when), lines in activity.items():
        rows.append(HistoryRow(when=when, user=None, round=None, reason="", activity=lines))
    rows.sort(key=lambda row: row.when, reverse=True)
    return rows


def _activity(measure: Measure) -> dict[tuple, list[str]]:
    """The steps ticked and evidence changed, in words, by the save they were part of:
    ("progress" or "part", its id, the moment of its record)."""
    step_numbers = {step.pk: step.number for step in measure.steps.all()}
    activity: dict[tuple, list[str]] = {}
    for mark in StepProgress.history.filter(progress__measure_id=measure.pk).order_by(
        "history_date", "history_id"
    ):
        key = ("progress", mark.progress_id, mark.history_date)
        activity.setdefault(key, []).append(_step_activity(mark, step_numbers))
    for evidence in Evidence.history.filter(progress__measure_id=measure.pk).order_by(
        "history_date", "history_id"
    ):
        key = (
            ("part", evidence.part_id, evidence.history_date)
            if evidence.part_id
            else ("progress", evidence.progress_id, evidence.history_date)
        )
        activity.setdefault(key, []).append(_evidence_activity(evidence))
    return activity


def _result_rows(records, activity: dict) -> list[HistoryRow]:
    """A row a save or review of the result, with its fields' changes (a first record
    lists what it filled in) and the activity of that save (taken out of `activity`)."""
    labels = {f: Progress._meta.get_field(f).verbose_name for f in HISTORY_FIELDS}
    rows: list[HistoryRow] = []
    last_seen: dict[int, object] = {}
    for record in records:
        previous = last_seen.get(record.id)
        changes = []
        for name in HISTORY_FIELDS:
            new = getattr(record, name)
            old = getattr(previous, name) if previous is not None else None
            if previous is None and new in (None, ""):
                continue
            if previous is None or old != new:
                changes.append((labels[name], history_value(name, old), history_value(name, new)))
        last_seen[record.id] = record
        rows.append(
            HistoryRow(
                when=record.history_date,
                user=record.history_user,
                round=record.round,
                reason=record.history_change_reason or "",
                changes=changes,
                activity=activity.pop(("progress", record.id, record.history_date), []),
            )
        )
    return rows


def _part_rows(records, activity: dict) -> list[HistoryRow]:
    """A row a save of a division's part, with its note's change and the activity of
    that save (taken out of `activity`)."""
    note_label = DivisionPart._meta.get_field("note").verbose_name
    rows: list[HistoryRow] = []
    last_part: dict[int, object] = {}
    for record in records:
        previous = last_part.get(record.id)
        changes = []
        if record.note != (previous.note if previous else "") and (previous or record.note):
            old = history_value("note", previous.note if previous else None)
            changes.append((note_label, old, history_value("note", record.note)))
        last_part[record.id] = record
        rows.append(
            HistoryRow(
                when=record.history_date,
                user=record.history_user,
                round=record.progress.round if record.progress_id else None,
                reason=record.history_change_reason or "",
                division=record.division,
                changes=changes,
                activity=activity.pop(("part", record.id, record.history_date), []),
            )
        )
    return rows


def _step_activity(mark, step_numbers: dict[int, int]) -> str:
    number = step_numbers.get(mark.step_id)
    step = f"ขั้นตอนที่ {number}" if number else "ขั้นตอนที่ถูกลบไปแล้ว"
    on = f" (วันที่ {thai.format_thai_date(mark.done_on, abbr=True)})" if mark.done_on else ""
    if mark.history_type == "+":
        return f"ทำเครื่องหมาย{step} ว่าดำเนินการแล้ว{on}"
    if mark.history_type == "-":
        return f"ยกเลิกเครื่องหมาย{step}"
    return f"เปลี่ยนวันที่ดำเนินการ{step}{on or ' (ไม่ระบุวันที่)'}"


def _evidence_activity(evidence) -> str:
    what = f"ไฟล์ {evidence.original_name}" if not evidence.url else f"ลิงก์ {evidence.url}"
    if evidence.history_type == "-":
        return f"ลบหลักฐาน{what}"
    return f"เพิ่มหลักฐาน{what}"


def history_value(field: str, value) -> str:
    """A recorded field value as people read it: Thai labels and BE dates."""
    if value in (None, ""):
        return "—"
    if field == "status":
        return Progress.Status(value).label
    if field == "review_state":
        return ReviewState(value).label
    if field == "completed_on":
        return thai.format_thai_date(value)
    return str(value)


HISTORY_FIELDS = [
    "status",
    "completed_on",
    "result_text",
    "cannot_reason",
    "review_state",
    "review_comment",
]


def attach_link_statuses(progresses) -> None:
    """What the daily link check found (`link_status`) on each evidence link of these
    results and their parts, prefetched as measure_detail does: one query."""
    shown = []
    for progress in progresses:
        shown += progress.evidence.all()
        for part in progress.parts.all():
            shown += part.evidence.all()
    attach_statuses(shown)


def evidence_link_urls() -> QuerySet:
    """Every evidence link, for the link check (linkcheck.registry)."""
    return Evidence.objects.exclude(url="").values_list("url", flat=True).distinct()


def broken_evidence_links(organization, broken: QuerySet) -> list[Link]:
    """The agency's evidence links among `broken` (LinkStatus urls), each with its
    measure and round and the measure's page: one query."""
    rows = (
        Evidence.objects.filter(progress__measure__organization=organization, url__in=broken)
        .select_related("progress__measure", "progress__round__fiscal_year")
        .order_by("progress__measure__order", "progress__round__kind", "pk")
    )
    return [
        Link(
            url=e.url,
            title=e.title or e.url,
            place=f"มาตรการที่ {e.progress.measure.order} {e.progress.round}",
            href=reverse("progress:detail", args=[e.progress.measure_id]),
        )
        for e in rows
    ]
