"""The portal's import of many agencies' results (results.importing): for the
people access.may_import_results lets import (overseers of the whole installation,
superusers), whether or not they are admin staff. The confirm hands the file to a
job; its page follows the job until it is done."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from jobs.models import Job
from organizations import access
from results import importing
from results.forms import ImportForm

NOT_ALLOWED = "นำเข้าผลการประเมินได้เฉพาะผู้ดูแลระบบและผู้กำกับติดตามทุกหน่วยงาน"
REFRESH_SECONDS = 3


def _require_importer(user) -> None:
    if not access.may_import_results(user):
        raise PermissionDenied(NOT_ALLOWED)


def render_import(request, template, form, preview=None, problems=None, **extra):
    status = 400 if (problems or (preview and preview.problems) or form.errors) else 200
    context = {
        "form": form,
        "preview": preview,
        "problems": problems or (preview.problems if preview else []),
        **extra,
    }
    return render(request, template, context, status=status)


def handle_import(request, template, job_url, **extra):
    """Upload → preview, or confirm → the job's page (`job_url(job)`), on `template`."""
    if request.method == "POST" and "token" in request.POST:
        try:
            job = importing.confirm(user=request.user, token=request.POST["token"])
        except importing.Expired as expired:
            return render_import(request, template, ImportForm(), problems=[str(expired)], **extra)
        return redirect(job_url(job))
    post = request.method == "POST"
    form = ImportForm(request.POST if post else None, request.FILES if post else None)
    if not (post and form.is_valid()):
        return render_import(request, template, form, **extra)
    upload = form.cleaned_data["file"]
    preview = importing.preview(
        user=request.user,
        fiscal_year=form.cleaned_data["fiscal_year"],
        content=upload.read(),
        name=upload.name,
    )
    return render_import(
        request, template, ImportForm() if preview.token else form, preview, **extra
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_results(request):
    _require_importer(request.user)
    return handle_import(
        request,
        "results/import.html",
        lambda job: reverse("results:import_job", args=[job.pk]),
    )


@login_required
@require_GET
def import_job(request, job_id):
    _require_importer(request.user)
    job = importing.followed_job(request.user, job_id)
    if job is None:
        raise Http404("ไม่พบงานนำเข้านี้")
    waiting = job.is_active
    return render(
        request,
        "results/import_job.html",
        {
            "job": job,
            "waiting": waiting,
            "refresh_seconds": REFRESH_SECONDS,
            "done": Job.State.DONE,
        },
        status=202 if waiting else 200,
    )
