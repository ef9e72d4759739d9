"""Reads of the measures domain that need care (prefetching, counts)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from catalogue.models import FiscalYear
from measures.models import Measure, MeasureDivision, Round, Step
from organizations import access


def measures_with_contents(
    organization_id: int, fiscal_year_id: int, progress: QuerySet
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


def with_divisions(measure: Measure) -> Measure:
    """The measure again, with its organization and its responsible divisions."""
    return (
        Measure.objects.select_related("organization", "fiscal_year", "indicator__tool")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=MeasureDivision.objects.select_related("division").order_by("order"),
            )
        )
        .get(pk=measure.pk)
    )


def year_rounds(measure: Measure) -> QuerySet[Round]:
    """The rounds of the measure's organization and fiscal year, 6-month first."""
    return Round.objects.filter(
        organization_id=measure.organization_id, fiscal_year_id=measure.fiscal_year_id
    ).order_by("kind")


def open_rounds(organization) -> QuerySet[Round]:
    return Round.objects.filter(organization=organization, is_open=True).select_related(
        "fiscal_year"
    )


def get_measure_for(user, pk: int, *, change: bool = False) -> Measure:
    """The one access-checked lookup of a measure: the measure if this user may see
    it (404 otherwise); with `change`, 403 unless they may also report its progress
    (staff of its divisions, the coordinator). The rulebook decides both."""
    measure = (
        Measure.objects.select_related("organization", "fiscal_year", "indicator__tool")
        .filter(pk=pk)
        .first()
    )
    if (
        measure is None
        or not access.visible_measures(user, measure.organization).filter(pk=pk).exists()
    ):
        raise Http404("ไม่พบมาตรการนี้")
    if change and not access.may_report(user, measure.organization):
        raise PermissionDenied("บทบาทของคุณดูได้อย่างเดียว แก้ไขไม่ได้")
    return measure


def working_year(organizations) -> FiscalYear | None:
    """The fiscal year people are working in, for the year a form preselects: that of
    the newest open round of these organizations, else the newest year they have
    measures in, else None (the form's own first choice)."""
    open_round = (
        Round.objects.filter(organization__in=organizations, is_open=True)
        .select_related("fiscal_year")
        .order_by("-fiscal_year__year")
        .first()
    )
    if open_round is not None:
        return open_round.fiscal_year
    measure = (
        Measure.objects.filter(organization__in=organizations)
        .select_related("fiscal_year")
        .order_by("-fiscal_year__year")
        .first()
    )
    return measure.fiscal_year if measure is not None else None
