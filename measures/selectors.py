"""Reads of the measures domain that need care (prefetching, counts)."""

from django.db.models import Prefetch, QuerySet

from measures import thai
from measures.models import (
    Evidence,
    Measure,
    MeasureDivision,
    Progress,
    ReviewState,
    Round,
    Step,
)


def measures_with_contents(
    organization_id: int, fiscal_year_id: int, progress: QuerySet[Progress]
) -> QuerySet[Measure]:
    """A year's measures in report order with everything a report row prints.

    Five queries: measures (with indicator and tool), divisions, steps, step
    sub-items, and the given progress rows (as `measure.round_progress`).
    """
    return (
        Measure.objects.filter(organization_id=organization_id, fiscal_year_id=fiscal_year_id)
        .select_related("indicator__tool")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=MeasureDivision.objects.select_related("division").order_by("order"),
            ),
            Prefetch("steps", queryset=Step.objects.order_by("number").prefetch_related("items")),
            Prefetch("progress", queryset=progress, to_attr="round_progress"),
        )
        .order_by("order")
    )


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
                queryset=Progress.objects.select_related("round", "updated_by").prefetch_related(
                    Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at")),
                    "step_marks",
                ),
            ),
        )
        .get(pk=measure.pk)
    )


def progress_history(measure: Measure) -> list:
    """Every recorded change of this measure's progress, newest first, as
    (record, [(field label, old, new), ...]); one query whatever the length."""
    records = list(
        Progress.history.filter(measure_id=measure.pk)
        .select_related("history_user", "round__fiscal_year")
        .order_by("history_date", "history_id")
    )
    labels = {f: Progress._meta.get_field(f).verbose_name for f in HISTORY_FIELDS}
    last_seen: dict[int, object] = {}
    rows = []
    for record in records:
        previous = last_seen.get(record.id)
        changes = []
        for field in HISTORY_FIELDS:
            new = getattr(record, field)
            old = getattr(previous, field) if previous is not None else None
            if previous is None and new in (None, ""):
                continue
            if previous is None or old != new:
                changes.append(
                    (labels[field], history_value(field, old), history_value(field, new))
                )
        last_seen[record.id] = record
        rows.append((record, changes))
    rows.reverse()
    return rows


HISTORY_FIELDS = [
    "status",
    "completed_on",
    "result_text",
    "cannot_reason",
    "review_state",
    "review_comment",
]


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


def year_rounds(measure: Measure) -> QuerySet[Round]:
    """The rounds of the measure's organization and fiscal year, 6-month first."""
    return Round.objects.filter(
        organization_id=measure.organization_id, fiscal_year_id=measure.fiscal_year_id
    ).order_by("kind")


def open_rounds(organization) -> QuerySet[Round]:
    return Round.objects.filter(organization=organization, is_open=True).select_related(
        "fiscal_year"
    )
