"""Reads of the paperwork app."""

from django.db.models import QuerySet

from analysis.models import PublishedAnalysis
from organizations.models import Organization
from paperwork import texts
from paperwork.models import Paperwork, PaperworkFailure, PaperworkTemplate
from reports.models import PublishedReport


def template_texts(organization: Organization, kind: str) -> tuple[dict[str, str], int]:
    """The agency's texts of the memo or the form (the shipped default for each part
    it has not written) and their revision (0: never edited). One query."""
    template = PaperworkTemplate.objects.filter(organization=organization, kind=kind).first()
    own = template.parts if template else {}
    merged = {part.name: own.get(part.name, part.default) for part in texts.PARTS[kind]}
    return merged, template.revision if template else 0


def is_default(kind: str, parts: dict) -> bool:
    return parts == texts.defaults(kind)


def published_for_paperwork(
    published: PublishedReport | PublishedAnalysis,
) -> PublishedReport | PublishedAnalysis:
    """The version again, with what its paperwork names (agency, year, publisher)."""
    if isinstance(published, PublishedAnalysis):
        return PublishedAnalysis.objects.select_related(
            "document__organization", "document__fiscal_year", "published_by"
        ).get(pk=published.pk)
    return PublishedReport.objects.select_related(
        "round__organization", "round__fiscal_year", "published_by"
    ).get(pk=published.pk)


def paperwork_of(published: PublishedReport | PublishedAnalysis) -> Paperwork | None:
    field = "analysis" if isinstance(published, PublishedAnalysis) else "report"
    return Paperwork.objects.filter(**{field: published}).first()


def organization_paperwork(organization: Organization) -> QuerySet[Paperwork]:
    """Every version's paperwork of the agency (reports and analyses), newest first,
    with what the list shows: one query."""
    return (
        Paperwork.objects.filter(organization=organization)
        .select_related(
            "organization",
            "report__round__fiscal_year",
            "analysis__document__fiscal_year",
        )
        .order_by("-approved_at", "-pk")
    )


def paperwork_for_download(
    organization: Organization, year: int, kind: int | None, version: int
) -> Paperwork | None:
    """The paperwork of a round's version (`kind` 6 or 12) or, with `kind` None, of
    the analysis of `year`."""
    if kind is None:
        found = Paperwork.objects.filter(
            analysis__document__organization=organization,
            analysis__document__fiscal_year__year=year,
            analysis__version=version,
        )
    else:
        found = Paperwork.objects.filter(
            report__round__organization=organization,
            report__round__fiscal_year__year=year,
            report__round__kind=kind,
            report__version=version,
        )
    return found.filter(organization=organization).first()


def newest_paperwork(organization: Organization) -> Paperwork | None:
    return (
        organization_paperwork(organization)
        .select_related(
            "report__published_by",
            "report__round__organization",
            "analysis__published_by",
            "analysis__document__organization",
        )
        .first()
    )


def open_failures(organization: Organization) -> QuerySet[PaperworkFailure]:
    """The agency's versions whose memo and form are still to be made after a failed
    generation, newest failure first, with the version each names: one query."""
    return (
        PaperworkFailure.objects.filter(organization=organization, resolved_at__isnull=True)
        .select_related("report", "analysis")
        .order_by("-failed_at", "-pk")
    )
