"""Reads for the report: one fixed set of queries for any number of measures."""

from django.db.models import Prefetch, QuerySet

from measures.models import Measure, Progress, Round
from measures.selectors import measures_with_contents


def get_round(organization_slug: str, fiscal_year: int, kind: int) -> Round | None:
    return (
        Round.objects.select_related("organization", "fiscal_year")
        .filter(organization__slug=organization_slug, fiscal_year__year=fiscal_year, kind=kind)
        .first()
    )


def report_measures(round_: Round) -> QuerySet[Measure]:
    """The round's measures in report order, with this round's progress."""
    return measures_with_contents(
        round_.organization_id, round_.fiscal_year_id, Progress.objects.filter(round=round_)
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
