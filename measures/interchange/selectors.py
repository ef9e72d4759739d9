"""Reads for the spreadsheet export: a fixed number of queries for any number
of measures."""

from django.db.models import Prefetch, QuerySet

from measures.models import FiscalYear, Measure, MeasureDivision, Organization, Progress, Step


def export_measures(
    organization: Organization, fiscal_year: FiscalYear, round_kind: int, ids=None
) -> QuerySet[Measure]:
    """The measures in report order with everything the sheet prints.

    Five queries: measures (with indicator and tool), divisions, steps, step
    sub-items, and the round's progress (as `measure.round_progress`).
    """
    measures = Measure.objects.filter(organization=organization, fiscal_year=fiscal_year)
    if ids is not None:
        measures = measures.filter(pk__in=ids)
    return (
        measures.select_related("indicator__tool")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=MeasureDivision.objects.select_related("division").order_by("order"),
            ),
            Prefetch("steps", queryset=Step.objects.order_by("number").prefetch_related("items")),
            Prefetch(
                "progress",
                queryset=Progress.objects.filter(round__kind=round_kind),
                to_attr="round_progress",
            ),
        )
        .order_by("order")
    )
