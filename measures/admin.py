from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from measures.access import coordinated_organizations
from measures.admin_forms import (
    MeasureAdminForm,
    MeasureDivisionInlineForm,
    MeasureDivisionInlineFormSet,
    ProgressInlineForm,
    StepInlineForm,
    StepInlineFormSet,
)
from measures.forms import ThaiDateField
from measures.interchange.admin_views import MeasureInterchangeAdminMixin
from measures.models import (
    AssessmentTool,
    Division,
    FiscalYear,
    Indicator,
    Measure,
    MeasureDivision,
    Membership,
    Organization,
    Progress,
    Round,
    Step,
)

admin.site.site_header = "ITA Portal — ระบบบริหารมาตรการส่งเสริมคุณธรรมและความโปร่งใส"
admin.site.site_title = "ITA Portal"
admin.site.index_title = "จัดการข้อมูล"

# Foreign keys a coordinator may only point at rows of their own organizations,
# by the lookup path from the target model to its organization.
ORGANIZATION_PATHS = {
    Organization: "pk",
    Division: "organization",
    Round: "organization",
    Measure: "organization",
}


class OrganizationScopedMixin:
    """Coordinators see and pick only rows of the organizations they coordinate."""

    organization_path = "organization"

    def _scope(self, request, queryset, path):
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{path}__in": coordinated_organizations(request.user)})

    def get_queryset(self, request):
        return self._scope(request, super().get_queryset(request), self.organization_path)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        path = ORGANIZATION_PATHS.get(db_field.related_model)
        if path and field is not None and hasattr(field, "queryset"):
            field.queryset = self._scope(request, field.queryset, path)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        path = ORGANIZATION_PATHS.get(db_field.related_model)
        if path and field is not None:
            field.queryset = self._scope(request, field.queryset, path)
        return field


class ThaiDatesMixin:
    """Dates typed and shown in BE (18/04/2566), as everywhere else in the portal."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DateField):
            return ThaiDateField(
                label=capfirst(db_field.verbose_name),
                required=not db_field.blank,
                help_text="วัน/เดือน/ปี พ.ศ. เช่น 18/04/2566 หรือ 18 เม.ย. 2566",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class PeriodColumnsMixin:
    """Start and end columns for models with derived periods."""

    @admin.display(description="เริ่ม")
    def start(self, obj):
        return obj.start

    @admin.display(description="สิ้นสุด")
    def end(self, obj):
        return obj.end


class DivisionInline(admin.TabularInline):
    model = Division
    extra = 0
    fields = ["order", "name", "kind"]


@admin.register(Organization)
class OrganizationAdmin(OrganizationScopedMixin, admin.ModelAdmin):
    organization_path = "pk"
    list_display = ["name", "location", "slug", "thai_digits"]
    search_fields = ["name", "slug"]
    inlines = [DivisionInline]


@admin.register(Division)
class DivisionAdmin(OrganizationScopedMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "organization", "order"]
    list_filter = ["kind", "organization"]
    list_select_related = ["organization"]
    search_fields = ["name"]


class AssessmentToolInline(admin.TabularInline):
    model = AssessmentTool
    extra = 0


@admin.register(FiscalYear)
class FiscalYearAdmin(PeriodColumnsMixin, admin.ModelAdmin):
    list_display = ["year", "start", "end"]
    inlines = [AssessmentToolInline]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(AssessmentTool)
class AssessmentToolAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "fiscal_year"]
    list_filter = ["fiscal_year"]
    list_select_related = ["fiscal_year"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
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


@admin.register(Round)
class RoundAdmin(PeriodColumnsMixin, OrganizationScopedMixin, admin.ModelAdmin):
    list_display = ["__str__", "organization", "start", "end", "is_open", "report_links"]
    list_filter = ["fiscal_year", "kind", "is_open"]
    list_select_related = ["organization", "fiscal_year"]

    @admin.display(description="รายงาน")
    def report_links(self, obj):
        args = [obj.organization.slug, obj.fiscal_year.year, obj.kind]
        return format_html(
            '<a href="{}">ดูรายงาน</a> | <a href="{}">ดาวน์โหลด PDF</a>',
            reverse("reports:page", args=args),
            reverse("reports:pdf", args=args),
        )


class MeasureDivisionInline(OrganizationScopedMixin, admin.TabularInline):
    model = MeasureDivision
    form = MeasureDivisionInlineForm
    formset = MeasureDivisionInlineFormSet
    autocomplete_fields = ["division"]
    fields = ["order", "division"]
    extra = 0
    organization_path = "measure__organization"


class StepInline(admin.StackedInline):
    model = Step
    form = StepInlineForm
    formset = StepInlineFormSet
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("items")


class ProgressInline(ThaiDatesMixin, OrganizationScopedMixin, admin.StackedInline):
    model = Progress
    form = ProgressInlineForm
    extra = 0
    fields = [
        "round",
        "status",
        "completed_on",
        "result_text",
        "cannot_reason",
        "updated_by",
        "seen_stamp",
    ]
    readonly_fields = ["updated_by"]
    organization_path = "measure__organization"


class ToolFilter(admin.SimpleListFilter):
    title = "เครื่องมือการประเมิน"
    parameter_name = "tool"

    def lookups(self, request, model_admin):
        codes = AssessmentTool.objects.order_by("code").values_list("code", flat=True).distinct()
        return [(code, code) for code in codes]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(indicator__tool__code=self.value())
        return queryset


@admin.register(Measure)
class MeasureAdmin(
    MeasureInterchangeAdminMixin, ThaiDatesMixin, OrganizationScopedMixin, SimpleHistoryAdmin
):
    list_display = [
        "order",
        "target_column",
        "tool_code",
        "division_names",
        "step_count",
        "fiscal_year",
        "organization",
    ]
    list_display_links = ["order", "target_column"]
    list_filter = ["fiscal_year", ToolFilter, "indicator", "divisions", "organization"]
    list_select_related = ["indicator__tool", "fiscal_year", "organization"]
    search_fields = ["target", "indicator__name", "steps__text", "divisions__name"]
    form = MeasureAdminForm
    autocomplete_fields = ["indicator"]
    inlines = [MeasureDivisionInline, StepInline, ProgressInline]
    fieldsets = [
        (None, {"fields": ["organization", "fiscal_year", "order", "seen_stamp"]}),
        (
            "ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา",
            {"fields": ["indicator", "target"]},
        ),
        (None, {"fields": ["monitoring", "deadline"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "target":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(steps_total=Count("steps", distinct=True))
            .prefetch_related(
                Prefetch(
                    "assignments",
                    queryset=MeasureDivision.objects.select_related("division").order_by("order"),
                )
            )
        )

    @admin.display(description="ประเด็นที่ต้องปรับปรุงแก้ไข", ordering="target")
    def target_column(self, obj):
        return obj.target_label

    @admin.display(description="เครื่องมือ", ordering="indicator__tool__code")
    def tool_code(self, obj):
        return obj.indicator.tool.code

    @admin.display(description="ผู้รับผิดชอบ")
    def division_names(self, obj):
        return ", ".join(a.division.name for a in obj.assignments.all())

    @admin.display(description="จำนวนขั้นตอน", ordering="steps_total")
    def step_count(self, obj):
        return obj.steps_total

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if isinstance(inline_form.instance, Progress) and inline_form.has_changed():
                inline_form.instance.updated_by = request.user
                inline_form.instance.version += 1 if inline_form.instance.pk else 0
        super().save_formset(request, form, formset, change)


@admin.register(Progress)
class ProgressAdmin(ThaiDatesMixin, OrganizationScopedMixin, SimpleHistoryAdmin):
    list_display = ["measure", "round", "status", "completed_on", "updated_by", "updated_at"]
    list_filter = ["round__fiscal_year", "round__kind", "status"]
    list_select_related = [
        "measure__indicator",
        "round__fiscal_year",
        "updated_by",
    ]
    search_fields = ["measure__target", "measure__indicator__name", "result_text"]
    readonly_fields = ["updated_by", "updated_at", "version"]
    raw_id_fields = ["measure"]
    organization_path = "measure__organization"

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(OrganizationScopedMixin, admin.ModelAdmin):
    list_display = ["user", "role", "organization"]
    list_filter = ["role", "organization"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    filter_horizontal = ["divisions"]
