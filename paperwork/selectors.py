"""Reads of the paperwork app."""

from django.db.models import QuerySet

from organizations.models import Organization
from paperwork import texts
from paperwork.models import Paperwork, PaperworkTemplate
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


def report_for_paperwork(pk: int) -> PublishedReport:
    return PublishedReport.objects.select_related(
        "round__organization", "round__fiscal_year", "published_by"
    ).get(pk=pk)


def paperwork_of_report(report: PublishedReport) -> Paperwork | None:
    return Paperwork.objects.filter(report=report).first()


def organization_paperwork(organization: Organization) -> QuerySet[Paperwork]:
    """Every version's paperwork of the agency, newest year and round first, with
    what the list shows: one query."""
    return (
        Paperwork.objects.filter(organization=organization)
        .select_related("report__round__fiscal_year")
        .order_by("-report__round__fiscal_year__year", "report__round__kind", "-report__version")
    )


def paperwork_for_download(
    organization: Organization, year: int, kind: int, version: int
) -> Paperwork | None:
    return (
        Paperwork.objects.filter(
            organization=organization,
            report__round__organization=organization,
            report__round__fiscal_year__year=year,
            report__round__kind=kind,
            report__version=version,
        )
        .select_related("report__round__fiscal_year")
        .first()
    )


def newest_paperwork(organization: Organization) -> Paperwork | None:
    return (
        organization_paperwork(organization)
        .select_related("report__published_by", "report__round__organization")
        .first()
    )
