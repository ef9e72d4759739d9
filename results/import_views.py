"""The portal's import of many agencies' results (results.importing): for the
people access.may_import_results lets import (overseers of the whole installation,
superusers), whether or not they are admin staff. The upload hands the file to the
preview's job and the confirm to the import's; the job's page follows either until
it is done, then shows the preview with the confirm, or what came of the import."""

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


def job_url(job: Job) -> str:
    return reverse("results:import_job", args=[job.pk])


def handle_import(request, template, **extra):
    """Upload → the preview job's page, or confirm → the import job's page; the
    form again (with its errors, 400) on `template` otherwise."""
    if request.method == "POST" and "token" in request.POST:
        try:
            job = importing.confirm(user=request.user, token=request.POST["token"])
        except importing.Expired as expired:
            context = {"form": ImportForm(), "problems": [str(expired)], **extra}
            return render(request, template, context, status=400)
        return redirect(job_url(job))
    post = request.method == "POST"
    form = ImportForm(request.POST if post else None, request.FILES if post else None)
    if not (post and form.is_valid()):
        context = {"form": form, "problems": [], **extra}
        return render(request, template, context, status=400 if form.errors else 200)
    upload = form.cleaned_data["file"]
    job = importing.start_preview(
        user=request.user,
        fiscal_year=form.cleaned_data["fiscal_year"],
        content=upload.read(),
        name=upload.name,
    )
    return redirect(job_url(job))


@login_required
@require_http_methods(["GET", "POST"])
def import_results(request):
    _require_importer(request.user)
    return handle_import(request, "results/import.html")


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
            "previewing": job.kind == Job.Kind.RESULTS_PREVIEW,
            "preview": importing.preview_of(job, request.user),
            "waiting": waiting,
            "refresh_seconds": REFRESH_SECONDS,
        },
        status=202 if waiting else 200,
    )
