"""The measure list's year and indicator filters.

Each fiscal year has its own catalogue, so after a rollover the list mixed both
years' measures and offered every indicator twice under one name. The list opens
on the year people work in (measures.selectors.working_year) with "ทุกปี" one click
away, and the indicator filter offers the indicators of the chosen year only.
The year keeps Django's parameter (fiscal_year__id__exact), which the import and
rollover pages link to.
"""

from django.contrib import admin
from django.db.models import Exists, OuterRef

from catalogue.models import FiscalYear
from measures.selectors import working_year
from organizations.access import coordinated_organizations
from organizations.admin_scoping import OwnChoicesFilter

ALL_YEARS = "all"


class WorkingYearFilter(admin.SimpleListFilter):
    title = "ปีงบประมาณ"
    parameter_name = "fiscal_year__id__exact"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        if self.used_parameters.get(self.parameter_name) is None:
            default = working_year(coordinated_organizations(request.user))
            if default is not None:
                self.used_parameters[self.parameter_name] = str(default.pk)
        # The indicator filter, built after this one, offers the chosen year's only.
        request.measure_list_year = self.year_pk()

    def lookups(self, request, model_admin):
        listed = model_admin.get_queryset(request).order_by().filter(fiscal_year=OuterRef("pk"))
        years = FiscalYear.objects.filter(Exists(listed)).order_by("-year")
        return [(str(year.pk), f"พ.ศ. {year.year}") for year in years]

    def year_pk(self) -> int | None:
        value = self.value() or ""
        # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
        return int(value) if value.isascii() and value.isdigit() else None

    def queryset(self, request, queryset):
        year = self.year_pk()
        return queryset.filter(fiscal_year_id=year) if year is not None else queryset

    def choices(self, changelist):
        yield {
            "selected": self.value() == ALL_YEARS,
            "query_string": changelist.get_query_string({self.parameter_name: ALL_YEARS}),
            "display": "ทุกปี",
        }
        for pk, label in self.lookup_choices:
            yield {
                "selected": self.value() == pk,
                "query_string": changelist.get_query_string({self.parameter_name: pk}),
                "display": label,
            }


class YearIndicatorFilter(OwnChoicesFilter):
    def visible_rows(self, request, model_admin):
        rows = super().visible_rows(request, model_admin)
        year = getattr(request, "measure_list_year", None)
        return rows.filter(fiscal_year_id=year) if year is not None else rows
