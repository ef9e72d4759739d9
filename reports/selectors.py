"""Reads for the report: one fixed set of queries for any number of measures."""

from django.db.models import Prefetch, QuerySet

from measures.models import Measure, MeasureDivision, Progress, Round, Step


def get_round(organization_slug: str, fiscal_year: int, kind: int) -> Round | None:
    return (
        Round.objects.select_related("organization", "fiscal_year")
        .filter(organization__slug=organization_slug, fiscal_year__year=fiscal_year, kind=kind)
        .first()
    )


def report_measures(round_: Round) -> QuerySet[Measure]:
    """The round's measures in report order, with everything the table prints.

    Five queries: measures (with indicator and tool), divisions, steps, step
    sub-items, and this round's progress (as `measure.round_progress`).
    """
    return (
        Measure.objects.filter(
            organization_id=round_.organization_id, fiscal_year_id=round_.fiscal_year_id
        )
        .select_related("indicator__tool")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=MeasureDivision.objects.select_related("division").order_by("order"),
            ),
            Prefetch("steps", queryset=Step.objects.order_by("number").prefetch_related("items")),
            Prefetch(
                "progress",
                queryset=Progress.objects.filter(round=round_),
                to_attr="round_progress",
            ),
        )
        .order_by("order")
    )


def publications(round_: Round) -> QuerySet:
    from reports.models import PublishedReport

    return PublishedReport.objects.filter(round=round_).select_related("published_by")


def latest_publication(organization_slug: str, fiscal_year: int, kind: int):
    from reports.models import PublishedReport

    return (
        PublishedReport.objects.select_related("round__organization", "round__fiscal_year")
        .filter(
            round__organization__slug=organization_slug,
            round__fiscal_year__year=fiscal_year,
            round__kind=kind,
        )
        .order_by("-version")
        .first()
    )


def published_rounds(organization) -> list[Round]:
    """Rounds with at least one publication, newest first, each with `.versions`."""
    from reports.models import PublishedReport

    return list(
        Round.objects.filter(organization=organization, publications__isnull=False)
        .distinct()
        .select_related("fiscal_year", "organization")
        .prefetch_related(
            Prefetch(
                "publications",
                queryset=PublishedReport.objects.order_by("-version"),
                to_attr="versions",
            )
        )
        .order_by("-fiscal_year__year", "-kind")
    )
