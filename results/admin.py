"""The assessment's results in the admin: read only (a coordinator enters the
agency's result on the portal, results.views), and the import of many agencies'
results from the assessment's sheet: upload → preview → confirm, the same flow as
the portal's /results/import/ (results.importing); the upload hands the file to the
preview's job and the confirm to the import's, both followed on the portal's page of
the job (where the preview is confirmed). Who may import:
access.may_import_results (superusers and overseers of the whole installation),
within the agencies access.importable_organizations gives them."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path

from organizations import access
from results.import_views import handle_import
from results.models import IndicatorScore, ITAResult


class IndicatorScoreInline(admin.TabularInline):
    model = IndicatorScore
    fields = ["indicator", "score"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator__tool")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ITAResult)
class ITAResultAdmin(admin.ModelAdmin):
    list_display = [
        "organization",
        "fiscal_year",
        "total",
        "grade",
        "target",
        "source",
        "entered_at",
    ]
    list_filter = ["fiscal_year", "grade", "source"]
    search_fields = ["organization__name", "organization__slug"]
    list_select_related = ["organization", "fiscal_year"]
    fields = [
        "organization",
        "fiscal_year",
        "total",
        "grade",
        "grade_derived",
        "target",
        "source",
        "entered_by",
        "entered_at",
    ]
    readonly_fields = fields
    inlines = [IndicatorScoreInline]
    change_list_template = "admin/results/itaresult/change_list.html"
    import_template = "admin/results/itaresult/import.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(organization__in=access.importable_organizations(request.user))
        )

    def has_module_permission(self, request):
        return access.may_import_results(request.user)

    def has_view_permission(self, request, obj=None):
        return access.may_import_results(request.user)

    def has_add_permission(self, request):
        return False  # entered on the portal or imported

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name=name), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra = {**(extra_context or {}), "can_import": access.may_import_results(request.user)}
        return super().changelist_view(request, extra)

    def import_view(self, request):
        if not access.may_import_results(request.user):
            raise PermissionDenied
        return handle_import(
            request,
            self.import_template,
            **self.admin_site.each_context(request),
            opts=self.opts,
            title="นำเข้าผลการประเมิน ITA จากไฟล์ XLSX หรือ CSV",
        )
