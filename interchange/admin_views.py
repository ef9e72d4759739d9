"""Import, export and rollover in the measures admin.

Import is upload → preview → confirm. The preview reads the file once and runs
the real import as a dry run (so it shows exactly what will be created or
changed, and every bad row); the rows it read wait in the cache, the file in
django-import-export's temporary storage (IMPORT_EXPORT_TMP_STORAGE_CLASS, read
again only by an app server whose cache lacks the rows), and the confirm form
carries only a signed token naming them, the organization, the year and the
user. When the sheet writes indicators in words the agency has not mapped yet,
the preview asks which indicator each wording means (a select per wording, the
indicator other agencies chose most often preselected as a suggestion, no
agency named) and runs again with the choices, which the confirm token then
carries too.

The confirm hands the rows to a job (jobs/tasks.py), which checks them
against the database again as it writes them: the year's measures may have changed
since the preview. Rollover runs as a job too. Coordinators choose only among the
organizations they coordinate, at both steps.
"""

import os

from django.conf import settings
from django.contrib import admin, messages
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.module_loading import import_string
from import_export.tmp_storages import TempFolderStorage

from catalogue.models import FiscalYear
from interchange.exporters import EXPORTERS, build_sheet
from interchange.forms import ExportForm, ImportForm, WordingsForm
from interchange.importer import import_measures, parse_sheet
from interchange.jobs import sheet_payload
from jobs import services as job_services
from jobs.models import Job
from measures.models import Measure
from organizations import access
from organizations.access import coordinated_organizations
from organizations.models import Organization

TOKEN_SALT = "interchange.import"
WORDINGS_SALT = "interchange.import.wordings"
TOKEN_MAX_AGE = 60 * 60
EXPIRED = "ไฟล์ที่ตรวจสอบไว้หมดอายุแล้ว กรุณาอัปโหลดไฟล์อีกครั้ง"


def _sheet_key(name: str) -> str:
    return f"measures-import-sheet:{os.path.basename(name)}"


def _tmp_storage(name=None):
    storage_class = getattr(settings, "IMPORT_EXPORT_TMP_STORAGE_CLASS", TempFolderStorage)
    if isinstance(storage_class, str):
        storage_class = import_string(storage_class)
    return storage_class(name=name, read_mode="rb")


class MeasureInterchangeAdminMixin:
    """For MeasureAdmin: import/export views, their buttons, the rollover action."""

    actions = ["rollover_to_next_year"]
    import_template = "admin/measures/measure/import.html"
    export_template = "admin/measures/measure/export.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name=f"{name}_import"),
            path("export/", self.admin_site.admin_view(self.export_view), name=f"{name}_export"),
            *super().get_urls(),
        ]

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def _context(self, request, title: str, **extra) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **extra}

    # --- Import -------------------------------------------------------------------------------

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        organizations = coordinated_organizations(request.user)
        if request.method == "POST" and "token" in request.POST:
            return self._confirm_import(request, organizations)
        if request.method == "POST" and "wordings_token" in request.POST:
            return self._choose_wordings(request, organizations)
        form = ImportForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            organizations=organizations,
        )
        context = self._context(request, "นำเข้ามาตรการจากไฟล์ XLSX หรือ CSV", form=form)
        if form.is_bound and form.is_valid():
            data, upload = form.cleaned_data, form.cleaned_data["file"]
            content = upload.read()
            sheet = parse_sheet(content, data["organization"], data["fiscal_year"])
            params = {
                "file": None,
                "name": os.path.basename(upload.name),
                "organization": data["organization"].pk,
                "fiscal_year": data["fiscal_year"].pk,
                "round": data["round_kind"],
                "create_divisions": data["create_divisions"],
                "user": request.user.pk,
            }
            self._preview(request, context, sheet, params, [], content=content)
        return TemplateResponse(request, self.import_template, context)

    def _preview(self, request, context, sheet, params: dict, wordings: list, content=None):
        """Run the import as a dry run into `context`: the confirm token when the
        sheet is good, the wording questions when only mappings are missing.
        `wordings` are the choices so far, [tool code, wording key, number]."""
        organization = get_object_or_404(
            coordinated_organizations(request.user), pk=params["organization"]
        )
        fiscal_year = get_object_or_404(FiscalYear, pk=params["fiscal_year"])
        result = import_measures(
            sheet=sheet,
            organization=organization,
            fiscal_year=fiscal_year,
            round_kind=params["round"],
            create_divisions=params["create_divisions"],
            dry_run=True,
            user=request.user,
            wordings={(tool, key): number for tool, key, number in wordings},
        )
        context["result"] = result
        if not (result.ok or result.unknown_wordings):
            return
        if params["file"] is None:
            storage = _tmp_storage()
            storage.save(content)
            # The next step takes these rows instead of reading the file again
            # (the file stays, for an app server whose cache does not have them).
            cache.set(_sheet_key(storage.name), sheet, TOKEN_MAX_AGE)
            params = {**params, "file": os.path.basename(storage.name)}
        if result.ok:
            context["token"] = signing.dumps(
                {**params, "round": result.round_kind, "wordings": wordings}, salt=TOKEN_SALT
            )
            return
        # The suggestion (other agencies' most common choice) is only preselected.
        questions = [
            [q.tool, q.key, q.wording, q.rows, q.suggested.number if q.suggested else ""]
            for q in result.unknown_wordings
        ]
        context["wordings_form"] = WordingsForm(questions=questions, fiscal_year=fiscal_year)
        context["wordings_token"] = signing.dumps(
            {**params, "wordings": wordings, "questions": questions}, salt=WORDINGS_SALT
        )

    def _choose_wordings(self, request, organizations):
        """The coordinator's indicators for the sheet's unknown wordings: the preview
        runs again with them."""
        import_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        try:
            token = signing.loads(
                request.POST["wordings_token"], salt=WORDINGS_SALT, max_age=TOKEN_MAX_AGE
            )
        except signing.BadSignature:
            messages.error(request, EXPIRED)
            return HttpResponseRedirect(import_url)
        if not access.may_confirm_import(request.user, previewed_by=token["user"]):
            raise PermissionDenied
        organization = get_object_or_404(organizations, pk=token["organization"])
        fiscal_year = get_object_or_404(FiscalYear, pk=token["fiscal_year"])
        sheet = self._stored_sheet(token["file"], organization, fiscal_year, keep=True)
        if sheet is None:
            messages.error(request, EXPIRED)
            return HttpResponseRedirect(import_url)
        form = WordingsForm(request.POST, questions=token["questions"], fiscal_year=fiscal_year)
        context = self._context(
            request,
            "นำเข้ามาตรการจากไฟล์ XLSX หรือ CSV",
            form=ImportForm(organizations=organizations),
        )
        params = {k: v for k, v in token.items() if k not in ("wordings", "questions")}
        if not form.is_valid():  # a choice that is not the tool's: ask again
            self._preview(request, context, sheet, params, token["wordings"])
            context["wordings_form"] = form
            return TemplateResponse(request, self.import_template, context)
        wordings = token["wordings"] + form.chosen()
        self._preview(request, context, sheet, params, wordings)
        return TemplateResponse(request, self.import_template, context)

    def _stored_sheet(self, name: str, organization, fiscal_year, *, keep: bool):
        """The rows the preview read: from the cache, else read again from the
        file kept in temporary storage (removed unless `keep`); None when gone."""
        storage = _tmp_storage(os.path.basename(name))
        sheet = cache.get(_sheet_key(storage.name))
        if sheet is not None and keep:
            return sheet
        try:
            content = storage.read()
            if not keep:
                storage.remove()
        except OSError:
            content = None
        if sheet is None and not content:
            return None
        if not keep:
            cache.delete(_sheet_key(storage.name))
        return sheet if sheet is not None else parse_sheet(content, organization, fiscal_year)

    def _confirm_import(self, request, organizations):
        import_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        try:
            token = signing.loads(request.POST["token"], salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        except signing.BadSignature:
            messages.error(request, EXPIRED)
            return HttpResponseRedirect(import_url)
        if not access.may_confirm_import(request.user, previewed_by=token["user"]):
            raise PermissionDenied
        organization = get_object_or_404(organizations, pk=token["organization"])
        fiscal_year = get_object_or_404(FiscalYear, pk=token["fiscal_year"])
        sheet = self._stored_sheet(token["file"], organization, fiscal_year, keep=False)
        if sheet is None:
            messages.error(request, EXPIRED)
            return HttpResponseRedirect(import_url)
        # The writing runs as a job (jobs/tasks.py), for any size of sheet: the rows
        # wait for it on the job in the database (they outlive a restart of Redis). It
        # checks the rows again against the database as it writes them (someone may
        # have changed the year's measures since the preview), all or nothing.
        job, _ = job_services.start(
            kind=Job.Kind.IMPORT,
            organization=organization,
            fiscal_year=fiscal_year,
            user=request.user,
            payload=sheet_payload(sheet),
            params={
                "round_kind": token["round"],
                "create_divisions": token["create_divisions"],
                "source_name": token["name"],
                "wordings": token.get("wordings", []),
            },
        )
        job = job_services.refreshed(job)
        if job.state != Job.State.DONE:  # under way, or failed: its page says which
            return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[job.pk]))
        messages.success(request, job.message)
        changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        return HttpResponseRedirect(
            f"{changelist}?organization__id__exact={organization.pk}"
            f"&fiscal_year__id__exact={fiscal_year.pk}"
        )

    # --- Export -------------------------------------------------------------------------------

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ExportForm(
            request.GET if "organization" in request.GET else None,
            organizations=coordinated_organizations(request.user),
        )
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            sheet = build_sheet(
                organization=data["organization"],
                fiscal_year=data["fiscal_year"],
                round_kind=data["round_kind"],
            )
            filename, content_type, content = EXPORTERS[data["format"]].export([sheet])
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = content_disposition_header(True, filename)
            return response
        context = self._context(request, "ส่งออกมาตรการเป็นไฟล์ XLSX หรือ CSV", form=form)
        return TemplateResponse(request, self.export_template, context)

    # --- Rollover -----------------------------------------------------------------------------

    @admin.action(
        description="ยกมาตรการของหน่วยงานและปีที่เลือกไปปีงบประมาณถัดไป (ฉบับร่าง)",
        permissions=["add"],
    )
    def rollover_to_next_year(self, request, queryset):
        pairs = sorted(
            set(queryset.order_by().values_list("organization", "fiscal_year__year").distinct())
        )
        organizations = Organization.objects.in_bulk({pk for pk, _ in pairs})
        if request.POST.get("confirmed") != "yes":
            return self._rollover_question(request, queryset, pairs, organizations)
        years = FiscalYear.objects.in_bulk({year for _, year in pairs}, field_name="year")
        # Each organization × year rolls over as a job (jobs/tasks.py), which checks
        # the user's rights again through interchange.rollover, all or nothing.
        for organization_pk, year in pairs:
            job, _ = job_services.start(
                kind=Job.Kind.ROLLOVER,
                organization=organizations[organization_pk],
                fiscal_year=years[year],
                user=request.user,
                params={"to_year": year + 1},
            )
            job = job_services.refreshed(job)
            if job.is_active:
                self.message_user(
                    request,
                    format_html(
                        '{}: {} <a href="{}">ดูผล</a>',
                        organizations[organization_pk],
                        job.status_text,
                        reverse("admin:jobs_job_change", args=[job.pk]),
                    ),
                    messages.INFO,
                )
                continue
            done = job.state == Job.State.DONE
            self.message_user(request, job.message, messages.SUCCESS if done else messages.ERROR)
            if job.details:
                self.message_user(
                    request,
                    f"ยกไปไม่ได้ {len(job.details)} รายการ: " + " • ".join(job.details),
                    messages.WARNING,
                )

    def _rollover_question(self, request, queryset, pairs, organizations):
        """What the rollover will do, asked before any job starts: each agency's
        whole year goes (not only the ticked rows), and a year that already has
        measures is refused."""
        years = {year for _, year in pairs} | {year + 1 for _, year in pairs}
        counts = {
            (row["organization"], row["fiscal_year__year"]): row["total"]
            for row in Measure.objects.filter(
                organization__in=organizations, fiscal_year__year__in=years
            )
            .values("organization", "fiscal_year__year")
            .annotate(total=Count("pk"))
        }
        rows = [
            {
                "organization": organizations[pk],
                "year": year,
                "to_year": year + 1,
                "measures": counts.get((pk, year), 0),
                "existing": counts.get((pk, year + 1), 0),
            }
            for pk, year in pairs
        ]
        context = self._context(
            request,
            "ยืนยันการยกมาตรการไปปีงบประมาณถัดไป",
            rows=rows,
            selected=[str(pk) for pk in queryset.values_list("pk", flat=True)],
            action_checkbox_name=admin.helpers.ACTION_CHECKBOX_NAME,
        )
        return TemplateResponse(request, "admin/measures/measure/rollover_confirm.html", context)
