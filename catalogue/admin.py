"""The catalogue in the admin (the superuser's): a fiscal year starts from the
portal's shipped catalogue or a copy of another year's, and an indicator lists
its other wordings. Every write goes through catalogue.services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.forms.models import BaseInlineFormSet

from catalogue import services as catalogue
from catalogue.models import (
    AssessmentTool,
    FiscalYear,
    Indicator,
    IndicatorWording,
    OitItem,
    wording_key,
)
from catalogue.oit_admin import CopyOitItemsMixin, OitItemAdminMixin, OitItemInline
from organizations.admin_scoping import ServiceWritesMixin
from thai.admin_dates import PeriodColumnsMixin, be_date


def _years_with_indicators():
    return FiscalYear.objects.filter(
        Exists(Indicator.objects.filter(tool__fiscal_year=OuterRef("pk")))
    ).order_by("-year")


class FiscalYearForm(forms.ModelForm):
    copy_from = forms.ModelChoiceField(
        label="คัดลอกเครื่องมือและตัวชี้วัดจาก",
        queryset=FiscalYear.objects.none(),
        required=False,
        empty_label="— ไม่คัดลอก —",
        help_text=(
            "ปีใหม่เริ่มจากเกณฑ์ของปีที่เลือก แล้วแก้เฉพาะที่คู่มือการประเมินของปีใหม่เปลี่ยน "
            "ถ้าไม่เลือกและระบบมีเกณฑ์ของปีนี้มาให้ ระบบจะใช้เกณฑ์นั้น"
        ),
    )

    class Meta:
        model = FiscalYear
        fields = ["year", "catalogue_source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = _years_with_indicators()


class FiscalYearCatalogueMixin:
    """For FiscalYearAdmin: the catalogue's size in the list; on adding a year,
    its tools and indicators copied from another year or from the shipped file."""

    form = FiscalYearForm

    def get_fields(self, request, obj=None):
        fields = ["year", "catalogue_source"]
        return fields if obj else ["year", "copy_from", "catalogue_source"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(indicator_count=Count("tools__indicators", distinct=True))
        )

    @admin.display(description="จำนวนตัวชี้วัด", ordering="indicator_count")
    def indicator_count(self, obj):
        return obj.indicator_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        year = form.instance
        source = form.cleaned_data.get("copy_from")
        try:
            if source is not None:
                loaded = catalogue.copy_catalogue(user=request.user, source=source, target=year)
            elif not change and not year.tools.exists() and catalogue.shipped_file(year.year):
                loaded = catalogue.load_catalogue(
                    catalogue.read_catalogue(catalogue.shipped_file(year.year)), user=request.user
                )
            else:
                return
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        except catalogue.CatalogueError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(request, f"เกณฑ์การประเมิน {loaded.summary}", messages.SUCCESS)
        for difference in loaded.differences:
            self.message_user(request, difference, messages.WARNING)


class IndicatorWordingFormSet(BaseInlineFormSet):
    """One wording means one indicator of a tool, for the catalogue (every agency)
    and for each agency that chose one: checked against the other indicators of
    the tool (the parent's tool is known before it is saved). A row the superuser
    adds is the catalogue's."""

    def clean(self):
        super().clean()
        tool_id = self.instance.tool_id
        mine = [f.instance.pk for f in self.forms if f.instance.pk]
        taken = {
            (w.organization_id, w.key): w
            for w in IndicatorWording.objects.filter(tool_id=tool_id)
            .exclude(pk__in=mine)
            .select_related("indicator")
        }
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("wording"):
                continue
            place = (form.instance.organization_id, wording_key(data["wording"]))
            if place in seen:
                form.add_error("wording", "ถ้อยคำนี้ซ้ำกับอีกแถวหนึ่ง")
            elif place in taken:
                form.add_error("wording", f"ถ้อยคำนี้ใช้กับตัวชี้วัด “{taken[place].indicator}” อยู่แล้ว")
            seen.add(place)


class IndicatorWordingInline(admin.TabularInline):
    """The indicator's other wordings: the catalogue's (no agency: every agency's
    imports read them so) and those an agency's coordinator chose, which decide
    only that agency's imports."""

    model = IndicatorWording
    fk_name = "indicator"
    formset = IndicatorWordingFormSet
    extra = 0
    fields = ["wording", "source", "agency", "created_by", "created_at_be"]
    readonly_fields = ["source", "agency", "created_by", "created_at_be"]
    created_at_be = be_date(IndicatorWording, "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "created_by")

    @admin.display(description="หน่วยงาน")
    def agency(self, obj):
        if obj.organization_id:
            return obj.organization
        if obj.source == IndicatorWording.Source.CATALOGUE:
            return "ทุกหน่วยงาน (เกณฑ์การประเมิน)"
        return "ไม่ทราบหน่วยงาน: ใช้เป็นข้อแนะนำเท่านั้น"


class CatalogueWritesAdmin(ServiceWritesMixin, admin.ModelAdmin):
    """Every row of the catalogue, inlines included, through catalogue.services."""

    save_service = staticmethod(catalogue.save_entry)
    delete_service = staticmethod(catalogue.delete_entry)
    inline_services = {
        model: (catalogue.save_entry, catalogue.delete_entry)
        for model in (AssessmentTool, Indicator, IndicatorWording, OitItem)
    }


class AssessmentToolInline(admin.TabularInline):
    model = AssessmentTool
    extra = 0
    show_change_link = True  # its indicators are edited on the tool's page


@admin.register(FiscalYear)
class FiscalYearAdmin(
    CopyOitItemsMixin, FiscalYearCatalogueMixin, CatalogueWritesAdmin, PeriodColumnsMixin
):
    list_display = ["year", "start", "end", "indicator_count"]
    inlines = [AssessmentToolInline, OitItemInline]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(AssessmentTool)
class AssessmentToolAdmin(CatalogueWritesAdmin):
    list_display = ["code", "name", "fiscal_year"]
    list_filter = ["fiscal_year"]
    list_select_related = ["fiscal_year"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(CatalogueWritesAdmin):
    inlines = [IndicatorWordingInline]
    list_display = ["number", "name", "tool_code", "fiscal_year"]
    list_filter = ["tool__fiscal_year", "tool__code"]
    list_select_related = ["tool__fiscal_year"]
    search_fields = ["name", "number", "tool__code"]
    ordering = ["-tool__fiscal_year__year", "tool__order", "order"]

    @admin.display(description="เครื่องมือ", ordering="tool__code")
    def tool_code(self, obj):
        return obj.tool.code

    @admin.display(description="ปีงบประมาณ", ordering="tool__fiscal_year__year")
    def fiscal_year(self, obj):
        return obj.tool.fiscal_year.year


@admin.register(OitItem)
class OitItemAdmin(OitItemAdminMixin, CatalogueWritesAdmin):
    pass
