"""The assessment's results in the admin: read only (a coordinator enters the
agency's result on the portal, results.views), and the import of many agencies'
results from the assessment's sheet: upload → preview (the real import as a dry
run: every problem, or what each row will do) → confirm. The file waits in the
cache between the two; the confirm form carries only a signed token naming it
(by its SHA-256), the year and the person who previewed it, who alone may
confirm (access.may_confirm_import). Who may import: access.may_import_results
(superusers and overseers of the whole installation), within the agencies
access.importable_organizations gives them."""

import hashlib

from django.contrib import admin, messages
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from catalogue.models import FiscalYear
from organizations import access
from results.forms import ImportForm
from results.models import IndicatorScore, ITAResult
from results.services import ImportRefused, import_results

TOKEN_SALT = "results.import"
TOKEN_MAX_AGE = 60 * 60
EXPIRED = "ไฟล์ที่ตรวจสอบไว้หมดอายุแล้ว กรุณาอัปโหลดไฟล์อีกครั้ง"


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

    def _render(self, request, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "นำเข้าผลการประเมิน ITA จากไฟล์ XLSX หรือ CSV",
            **context,
        }
        return TemplateResponse(request, self.import_template, context)

    def import_view(self, request):
        if not access.may_import_results(request.user):
            raise PermissionDenied
        if request.method == "POST" and "token" in request.POST:
            return self._confirm(request)
        post = request.method == "POST"
        form = ImportForm(request.POST if post else None, request.FILES if post else None)
        if not (post and form.is_valid()):
            return self._render(request, form=form)
        content = form.cleaned_data["file"].read()
        fiscal_year = form.cleaned_data["fiscal_year"]
        try:
            sheet, outcome = import_results(
                user=request.user, fiscal_year=fiscal_year, content=content, dry_run=True
            )
        except ImportRefused as refused:
            return self._render(
                request, form=form, fiscal_year=fiscal_year, problems=refused.problems
            )
        digest = hashlib.sha256(content).hexdigest()
        cache.set(f"results-import:{digest}", content, TOKEN_MAX_AGE)
        token = signing.dumps(
            {"sha": digest, "year": fiscal_year.pk, "user": request.user.pk}, salt=TOKEN_SALT
        )
        rows = [(row, outcome.action(row.entry)) for row in sheet.rows]
        return self._render(
            request,
            form=ImportForm(),
            fiscal_year=fiscal_year,
            rows=rows,
            outcome=outcome,
            token=token,
        )

    def _confirm(self, request):
        try:
            payload = signing.loads(request.POST["token"], salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        except signing.BadSignature:
            return self._render(request, form=ImportForm(), problems=[EXPIRED])
        if not access.may_confirm_import(request.user, previewed_by=payload["user"]):
            raise PermissionDenied
        content = cache.get(f"results-import:{payload['sha']}")
        fiscal_year = FiscalYear.objects.filter(pk=payload["year"]).first()
        if content is None or fiscal_year is None:
            return self._render(request, form=ImportForm(), problems=[EXPIRED])
        try:
            sheet, outcome = import_results(
                user=request.user, fiscal_year=fiscal_year, content=content
            )
        except ImportRefused as refused:  # the agencies or the catalogue changed since
            return self._render(
                request, form=ImportForm(), fiscal_year=fiscal_year, problems=refused.problems
            )
        messages.success(
            request,
            f"นำเข้าผลการประเมินปีงบประมาณ {fiscal_year.year} แล้ว {len(sheet.rows)} หน่วยงาน: "
            f"เพิ่มใหม่ {len(outcome.created)} แก้ไข {len(outcome.changed)} "
            f"ไม่เปลี่ยนแปลง {len(outcome.unchanged)}",
        )
        return HttpResponseRedirect(reverse("admin:results_itaresult_changelist"))
