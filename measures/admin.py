from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Prefetch
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from measures import access, catalogue, services
from measures.admin_dates import be_date
from measures.admin_forms import (
    MeasureAdminForm,
    MeasureDivisionInlineForm,
    MeasureDivisionInlineFormSet,
    StepInlineForm,
    StepInlineFormSet,
    kept_forms,
)
from measures.catalogue_admin import (
    FiscalYearCatalogueMixin,
    IndicatorWordingInline,
    IndicatorWordingsMixin,
)
from measures.forms import ThaiDateField
from measures.interchange.admin_views import MeasureInterchangeAdminMixin
from measures.models import (
    AssessmentTool,
    District,
    Division,
    FiscalYear,
    Indicator,
    Measure,
    MeasureDivision,
    Membership,
    Organization,
    OverseerScope,
    Progress,
    Province,
    Round,
    Step,
)
from measures.templatetags.thai import thai_date

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


def organization_id_of(obj, path: str) -> int | None:
    """The organization id of `obj` by a lookup path such as "measure__organization"."""
    if path == "pk":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


class OrganizationScopedMixin:
    """The admin asks the rulebook (measures.access): coordinators see, pick and
    change only rows of the organizations they coordinate, in lists, forms,
    filters, history and deletion alike."""

    organization_path = "organization"
    parent_organization_path = "organization"

    def _scope(self, request, queryset, path):
        return access.managed(request.user, queryset, path)

    def get_queryset(self, request):
        return self._scope(request, super().get_queryset(request), self.organization_path)

    def _owns(self, request, obj) -> bool:
        # An inline is asked about its parent object (a measure, an organization).
        path = (
            self.parent_organization_path
            if isinstance(self, InlineModelAdmin)
            else self.organization_path
        )
        return obj is None or access.can_manage(request.user, organization_id_of(obj, path))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._owns(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._owns(request, obj)

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


class OwnChoicesFilter(admin.RelatedOnlyFieldListFilter):
    """A filter offering only the values found in the rows the user may see (their
    own organization's divisions, say), and none when those are too many to list
    on a page (a superuser over thousands of agencies searches by name instead)."""

    most = 100

    def field_choices(self, field, request, model_admin):
        values = (
            model_admin.get_queryset(request)
            .order_by()
            .values_list(f"{self.field_path}__pk", flat=True)
            .distinct()
        )
        if values[: self.most + 1].count() > self.most:
            return []
        return super().field_choices(field, request, model_admin)


class ThaiHistoryValues(HistoricalRecordContextHelper):
    """Old → new on the admin's history pages as people read them: the Thai label of
    a choice ("ส่งให้ผู้ประสานงานตรวจแล้ว", not "submitted"), dates in BE, "—" for
    nothing."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return "—"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(field, models.DateField | models.DateTimeField):
            return thai_date(value)
        return super().prepare_delta_change_value(change, value)


class ScopedHistoryMixin:
    """History pages for SimpleHistoryAdmin subclasses: only of objects the user may
    see now (otherwise the admin's "does not exist", as on the change page), and
    read only. Reverting to an
    old version would write around the services (and could move an object into
    another organization), so it is switched off (SIMPLE_HISTORY_REVERT_DISABLED)
    and a POST to a version's page is refused."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ThaiHistoryValues(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The current object decides (an old version may name another organization).
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        if request.method != "GET":
            raise PermissionDenied("ย้อนกลับไปใช้ฉบับเดิมจากหน้าประวัติไม่ได้ กรุณาแก้ไขในหน้าแก้ไขตามปกติ")
        return super().history_form_view(request, object_id, version_id, extra_context)


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
        return thai_date(obj.start)

    @admin.display(description="สิ้นสุด")
    def end(self, obj):
        return thai_date(obj.end)


class DivisionInline(admin.TabularInline):
    model = Division
    extra = 0
    fields = ["order", "name", "kind"]


class DivisionWritesMixin:
    """Divisions are saved and deleted through measures.services."""

    def save_division_formset(self, request, formset):
        for form in formset.deleted_forms:
            if form.instance.pk:
                services.delete_division(user=request.user, division=form.instance)
        for form in kept_forms(formset):
            if form.has_changed() or not form.instance.pk:
                division = form.save(commit=False)
                division.organization = formset.instance
                services.save_division(user=request.user, division=division)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(Organization)
class OrganizationAdmin(DivisionWritesMixin, OrganizationScopedMixin, admin.ModelAdmin):
    organization_path = "pk"
    list_display = ["name", "kind", "province", "district", "slug", "origin", "thai_digits"]
    list_filter = ["kind", ("province", OwnChoicesFilter), "origin"]
    list_select_related = ["province", "district"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["district"]
    inlines = [DivisionInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is Division:
            self.save_division_formset(request, formset)
        else:
            super().save_formset(request, form, formset, change)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # A new agency starts in the current year: the shipped catalogues are there.
            catalogue.load_shipped()


@admin.register(Division)
class DivisionAdmin(OrganizationScopedMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "organization", "order"]
    list_filter = ["kind", ("organization", OwnChoicesFilter)]
    list_select_related = ["organization"]
    search_fields = ["name"]

    def get_readonly_fields(self, request, obj=None):
        # A division stays in its organization (its measures refer to it).
        return ["organization"] if obj else []

    def save_model(self, request, obj, form, change):
        services.save_division(user=request.user, division=obj)

    def delete_model(self, request, obj):
        services.delete_division(user=request.user, division=obj)

    def delete_queryset(self, request, queryset):
        for division in queryset:
            services.delete_division(user=request.user, division=division)


class AssessmentToolInline(admin.TabularInline):
    model = AssessmentTool
    extra = 0
    show_change_link = True  # its indicators are edited on the tool's page


@admin.register(FiscalYear)
class FiscalYearAdmin(FiscalYearCatalogueMixin, PeriodColumnsMixin, admin.ModelAdmin):
    list_display = ["year", "start", "end", "indicator_count"]
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
class IndicatorAdmin(IndicatorWordingsMixin, admin.ModelAdmin):
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
        # (measures.progress.set_round_open); here only the sign-off names change.
        return ["organization", "fiscal_year", "kind", "is_open"] if obj else ["is_open"]

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


class ReadOnlyProgressMixin:
    """Progress is reported on the portal's progress page (steps, evidence, review),
    through measures.progress; the admin shows it and links there."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    completed_on_be = be_date(Progress, "completed_on")
    updated_at_be = be_date(Progress, "updated_at")

    @admin.display(description="รายงานผล")
    def report_link(self, obj):
        if not obj.pk:
            return ""
        return format_html(
            '<a href="{}">เปิดหน้ารายงานผลการดำเนินการ</a>',
            reverse("measures:progress", args=[obj.measure_id, obj.round.kind]),
        )


class ProgressInline(ReadOnlyProgressMixin, OrganizationScopedMixin, admin.StackedInline):
    model = Progress
    extra = 0
    fields = [
        "round",
        "status",
        "completed_on_be",
        "result_text",
        "cannot_reason",
        "review_state",
        "updated_by",
        "report_link",
    ]
    readonly_fields = fields
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
    MeasureInterchangeAdminMixin,
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
        "fiscal_year",
        ToolFilter,
        ("indicator", OwnChoicesFilter),
        ("divisions", OwnChoicesFilter),
        ("organization", OwnChoicesFilter),
    ]
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


@admin.register(Progress)
class ProgressAdmin(
    ReadOnlyProgressMixin, ScopedHistoryMixin, OrganizationScopedMixin, SimpleHistoryAdmin
):
    list_display = [
        "measure",
        "round",
        "status",
        "review_state",
        "completed_on_be",
        "updated_at_be",
    ]
    list_filter = ["round__fiscal_year", "round__kind", "status", "review_state"]
    list_select_related = [
        "measure__indicator",
        "round__fiscal_year",
        "updated_by",
    ]
    search_fields = ["measure__target", "measure__indicator__name", "result_text"]
    fields = [
        "measure",
        "round",
        "status",
        "completed_on_be",
        "result_text",
        "cannot_reason",
        "review_state",
        "review_comment",
        "updated_by",
        "updated_at_be",
        "version",
        "report_link",
    ]
    readonly_fields = fields
    organization_path = "measure__organization"


@admin.register(Membership)
class MembershipAdmin(OrganizationScopedMixin, admin.ModelAdmin):
    list_display = ["user", "role", "organization"]
    list_filter = ["role", ("organization", OwnChoicesFilter)]
    list_select_related = ["user", "organization"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    filter_horizontal = ["divisions"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        """Through services.add_member, which also gives coordinators the admin."""
        if not access.can_manage(request.user, obj.organization_id):
            raise PermissionDenied(services.NOT_YOURS)
        form.instance = services.add_member(
            user=obj.user,
            organization=obj.organization,
            role=obj.role,
            divisions=form.cleaned_data.get("divisions", []),
        )

    def save_related(self, request, form, formsets, change):
        pass  # divisions were set by services.add_member


# --- Where agencies sit, and who oversees them (the superuser's) --------------------------------


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "province"]
    list_filter = ["province"]
    list_select_related = ["province"]
    search_fields = ["name", "province__name"]


class OverseerScopeForm(forms.ModelForm):
    class Meta:
        model = OverseerScope
        fields = [
            "user",
            "office",
            "whole_installation",
            "province",
            "organization_kind",
            "organizations",
        ]

    def clean(self):
        data = super().clean()
        if not (
            data.get("whole_installation")
            or data.get("province")
            or data.get("organization_kind")
            or data.get("organizations")
        ):
            raise ValidationError(
                "กรุณาระบุขอบเขต: ทุกหน่วยงานในระบบ หรือจังหวัด ประเภทหน่วยงาน "
                "หรือหน่วยงานที่ระบุ อย่างน้อยหนึ่งอย่าง"
            )
        return data


@admin.register(OverseerScope)
class OverseerScopeAdmin(admin.ModelAdmin):
    """Overseers read the reports and dashboards of the agencies in scope
    (measures.access) and the roll-up across them; they change nothing."""

    form = OverseerScopeForm
    list_display = ["user", "office", "scope"]
    list_select_related = ["user", "province"]
    list_filter = ["whole_installation", "organization_kind", "province"]
    search_fields = ["user__username", "user__first_name", "office"]
    autocomplete_fields = ["user", "organizations"]

    @admin.display(description="ขอบเขต")
    def scope(self, obj):
        return obj.describe()
