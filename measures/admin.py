from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from catalogue.models import AssessmentTool
from measures import services
from measures.admin_filters import WorkingYearFilter, YearIndicatorFilter
from measures.admin_forms import (
    MeasureAdminForm,
    MeasureDivisionInlineForm,
    MeasureDivisionInlineFormSet,
    StepInlineForm,
    StepInlineFormSet,
)
from measures.models import MeasureDivision, Round, Step
from organizations import access
from organizations.admin_scoping import (
    OrganizationScopedMixin,
    OwnChoicesFilter,
    ScopedHistoryMixin,
    kept_forms,
)
from thai.admin_dates import PeriodColumnsMixin, ThaiDatesMixin


@admin.register(Round)
class RoundAdmin(PeriodColumnsMixin, OrganizationScopedMixin, admin.ModelAdmin):
    list_display = ["__str__", "organization", "start", "end", "is_open", "report_links"]
    list_filter = ["fiscal_year", "kind", "is_open"]
    list_select_related = ["organization", "fiscal_year"]
    fields = [
        "organization",
        "fiscal_year",
        "kind",
        "is_open",
        *services.SIGN_OFF_FIELDS,
    ]

    def get_readonly_fields(self, request, obj=None):
        # Opening and closing is the coordinator's act on the portal's home page
        # (progress.services.set_round_open); here only the sign-off names change.
        return ["organization", "fiscal_year", "kind", "is_open"] if obj else ["is_open"]

    def has_change_permission(self, request, obj=None):
        # A closed round's sign-off names are what its report printed.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.may_change_sign_off(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        # A round is never removed: its results and publications hang on it, and no
        # service removes one (the superuser's model rights would delete it around
        # the rulebook, which gives rounds to the agency's coordinator only).
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj = services.ensure_round(
                user=request.user,
                organization=obj.organization,
                fiscal_year=obj.fiscal_year,
                kind=obj.kind,
            )
            form.instance = obj
        names = {name: form.cleaned_data.get(name, "") for name in services.SIGN_OFF_FIELDS}
        if not change and not any(names.values()):
            return
        services.set_round_sign_off(user=request.user, round_=obj, **names)

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


class MeasureAdmin(
    ThaiDatesMixin,
    ScopedHistoryMixin,
    OrganizationScopedMixin,
    SimpleHistoryAdmin,
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
    list_filter = [
        WorkingYearFilter,
        ToolFilter,
        ("indicator", YearIndicatorFilter),
        ("divisions", OwnChoicesFilter),
        ("organization", OwnChoicesFilter),
    ]
    list_select_related = ["indicator__tool", "fiscal_year", "organization"]
    search_fields = ["target", "indicator__name", "steps__text", "divisions__name"]
    # Django counts the whole table again for "(83,000 total)" on every list; the
    # filtered count is enough (issue 18: every admin list under 300 ms at scale).
    show_full_result_count = False
    # In the order of the unique index (agency, year, order): the first page is read
    # off the index, where the model's order (agency name, newest year) sorted all
    # 83,000 measures with their agencies' names on every page (issue 18).
    ordering = ["organization_id", "fiscal_year_id", "order"]
    form = MeasureAdminForm
    autocomplete_fields = ["indicator"]
    inlines = [MeasureDivisionInline, StepInline]
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
            # A correlated subquery: PostgreSQL counts the steps of the page's rows
            # only (after ORDER BY ... LIMIT), where a join counted all 478,000 steps
            # of a national installation on every list, count and filter (issue 18).
            .annotate(
                steps_total=Coalesce(
                    Subquery(
                        Step.objects.filter(measure=OuterRef("pk"))
                        .order_by()
                        .values("measure")
                        .annotate(total=Count("pk"))
                        .values("total"),
                        output_field=IntegerField(),
                    ),
                    0,
                )
            )
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

    def has_change_permission(self, request, obj=None):
        # A measure of a closed year is shown read-only (the page says why).
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.may_change_measure(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or access.may_change_measure(request.user, obj))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        measure = self.get_object(request, object_id)
        if measure is not None and measure.year_is_closed and request.method == "GET":
            messages.info(
                request,
                f"ปีงบประมาณ พ.ศ. {measure.fiscal_year.year} ปิดรอบการรายงานแล้วทุกรอบ "
                "มาตรการนี้จึงแก้ไขหรือลบไม่ได้ เปิดรอบใหม่ก่อนหากต้องแก้",
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        # A measure stays in its organization and year; rollover copies it forward.
        return ["organization", "fiscal_year"] if obj else []

    # The measure, its divisions and its steps are written together by
    # services.save_measure once every form and formset is valid.
    def save_model(self, request, obj, form, change):
        pass

    def save_related(self, request, form, formsets, change):
        by_model = {formset.model: formset for formset in formsets}
        divisions = sorted(
            kept_forms(by_model[MeasureDivision]), key=lambda f: f.cleaned_data.get("order") or 0
        )
        data = form.cleaned_data
        services.save_measure(
            user=request.user,
            measure=form.instance,
            data=services.MeasureData(
                indicator=data["indicator"],
                target=data.get("target", ""),
                monitoring=data.get("monitoring", ""),
                deadline=data.get("deadline"),
                order=data["order"],
                divisions=[f.cleaned_data["division"] for f in divisions],
                steps=[
                    services.StepData(
                        f.cleaned_data["number"],
                        f.cleaned_data["text"],
                        f.cleaned_data["items_text"],
                        pk=f.instance.pk,
                    )
                    for f in kept_forms(by_model[Step])
                ],
            ),
            reason="แก้ไขในหน้าจัดการข้อมูล" if change else "เพิ่มในหน้าจัดการข้อมูล",
        )
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # Checked again under lock by the service (e.g. moved or deleted meanwhile).
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(request.get_full_path())

    def delete_model(self, request, obj):
        services.delete_measure(user=request.user, measure=obj, reason="ลบในหน้าจัดการข้อมูล")

    def delete_queryset(self, request, queryset):
        for measure in queryset:
            self.delete_model(request, measure)


# --- Where agencies sit, and who oversees them (the superuser's) --------------------------------
