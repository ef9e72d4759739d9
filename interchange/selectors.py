"""Reads for the spreadsheet export: a fixed number of queries for any number
of measures."""

from django.db.models import QuerySet

from catalogue.models import FiscalYear
from measures.models import Measure
from measures.selectors import measures_with_contents
from organizations.models import Organization
from progress.models import Progress


def export_measures(
    organization: Organization, fiscal_year: FiscalYear, round_kind: int, ids=None
) -> QuerySet[Measure]:
    """The measures in report order with everything the sheet prints, and the
    progress of the organization's round of that kind."""
    progress = Progress.objects.filter(round__organization=organization, round__kind=round_kind)
    measures = measures_with_contents(organization.pk, fiscal_year.pk, progress)
    return measures if ids is None else measures.filter(pk__in=ids)
