from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from jobs import services as job_services
from jobs.models import Job
from operations.request_input import query_int
from organizations.access import Action, can, check
from organizations.models import Organization
from reports import selectors
from reports.document import NOT_REPORTED, build_document
from reports.models import PublishedReport
from reports.pdf import drafts
from reports.services import (
    WITHDRAWAL_REASON_MAX_CHARS,
    annotate_versions,
    approval_page,
    withdraw_publication,
)

# Pages that follow a job reload themselves this often (seconds) while it runs.
REFRESH_SECONDS = 3


def round_for(request, slug: str, year: int, kind: int, action: Action):
    round_ = selectors.get_round(slug, year, kind)
    if round_ is None:
        raise Http404("ไม่พบรอบการรายงานนี้")
    check(request.user, round_.organization, action)
    return round_


def _publish_job(request, round_) -> Job | None:
    """The publication the page follows: the one named in the address (the person
    who pressed publish), else one under way for this round."""
    job_id = query_int(request.GET.get("job"))
    if job_id is not None:
        job = Job.objects.filter(pk=job_id, kind=Job.Kind.PUBLISH, round=round_).first()
        return job_services.refreshed(job) if job else None
    return job_services.active_job(kind=Job.Kind.PUBLISH, round_=round_)


@login_required
@require_GET
def report_page(request, slug, year, kind):
    round_ = round_for(request, slug, year, kind, Action.VIEW_REPORT)
    return render(
        request,
        "reports/report_page.html",
        {
            "doc": build_document(round_),
            "not_reported": NOT_REPORTED,
            "round": round_,
            "publications": annotate_versions(list(selectors.publications(round_))),
            "can_publish": can(request.user, round_.organization, Action.PUBLISH),
            "publish_job": _publish_job(request, round_),
            "refresh_seconds": REFRESH_SECONDS,
        },
    )


def _draft_job_page(request, round_, job: Job, waiting: bool):
    return render(
        request,
        "reports/draft_pdf_job.html",
        {"round": round_, "job": job, "waiting": waiting, "refresh_seconds": REFRESH_SECONDS},
        status=202 if waiting else 200,
    )


def _drafts_busy(request, round_, reason: str):
    """The person's other drafts are still being made: nothing is queued; they are
    asked to wait (429, and when to try again)."""
    response = render(
        request, "reports/draft_pdf_busy.html", {"round": round_, "reason": reason}, status=429
    )
    response["Retry-After"] = str(REFRESH_SECONDS * 10)
    return response


def _draft_file(round_, stored) -> FileResponse:
    return FileResponse(stored, content_type="application/pdf", filename=drafts.filename(round_))


@login_required
@require_GET
def report_pdf(request, slug, year, kind):
    """The draft PDF of the report as it stands. Served from storage when this very
    content was rendered before (reports.pdf.drafts); otherwise rendered by a job while
    the person sees a page that reloads itself (following that job: no hashing while
    it waits) until the file is there. Without a worker the job has already run, and
    the file is served at once."""
    round_ = round_for(request, slug, year, kind, Action.VIEW_REPORT)
    followed = query_int(request.GET.get("job"))
    if followed is not None:
        job = Job.objects.filter(pk=followed, kind=Job.Kind.DRAFT_PDF, round=round_).first()
        if job is not None:
            job = job_services.refreshed(job)
            if job.is_active or job.state == Job.State.FAILED:
                return _draft_job_page(request, round_, job, waiting=job.is_active)
            stored = drafts.open_name(job.result_file) if job.result_file else None
            if stored is not None:
                return _draft_file(round_, stored)
        # Otherwise (its file replaced by a newer draft): the report as it is now.
    draft = drafts.current(round_)
    stored = drafts.open_stored(draft)
    if stored is not None:
        return _draft_file(round_, stored)
    job = job_services.active_job(
        kind=Job.Kind.DRAFT_PDF, round_=round_, content_sha256=draft.sha256
    )
    if job is None and "retry" not in request.GET:
        # A render of this content that has just failed is shown, not started again
        # by every reload; "ลองอีกครั้ง" (?retry) starts another.
        job = Job.objects.filter(
            kind=Job.Kind.DRAFT_PDF,
            round=round_,
            content_sha256=draft.sha256,
            state=Job.State.FAILED,
            finished_at__gte=timezone.now() - timedelta(minutes=1),
        ).first()
    if job is None:
        try:
            job, _ = job_services.start(
                kind=Job.Kind.DRAFT_PDF,
                organization=round_.organization,
                round_=round_,
                user=request.user,
                content_sha256=draft.sha256,
            )
        except job_services.TooManyJobs as refused:  # ITA_DRAFTS_PER_PERSON under way
            return _drafts_busy(request, round_, refused.reason)
        job = job_services.refreshed(job)
        stored = drafts.open_stored(draft)
        if stored is not None:
            return _draft_file(round_, stored)
    # Done, yet no file under this content's name: the report changed while it was
    # rendered; following the job serves what it made.
    return _draft_job_page(
        request, round_, job, waiting=job.is_active or job.state == Job.State.DONE
    )


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, slug, year, kind):
    """Publishing asks first: a page says what will be published (the next version,
    or that nothing changed since the newest; the results not yet approved), and only
    its confirm button (confirm=1) publishes. Without JavaScript as with it.

    Publishing runs as a job (a large report takes longer than a web request may);
    the report page follows it. While one is under way for the round, pressing again
    follows that one instead of starting another."""
    round_ = round_for(request, slug, year, kind, Action.PUBLISH)
    asks_approval = approval_page(round_, request.user)
    if asks_approval is not None:  # the agency publishes what its executive approved
        return redirect(asks_approval)
    if request.method != "POST" or request.POST.get("confirm") != "1":
        return render(request, "reports/publish_confirm.html", _publish_question(round_))
    if request.POST.get("republish_withdrawn") != "1":
        # Content a withdrawn version had: published only once the coordinator says so.
        question = _publish_question(round_)
        if question["repeats_withdrawn"] is not None:
            question["unanswered"] = True
            return render(request, "reports/publish_confirm.html", question, status=400)
    job, started = job_services.start(
        kind=Job.Kind.PUBLISH,
        organization=round_.organization,
        round_=round_,
        user=request.user,
    )
    if not started:
        messages.info(request, "รายงานรอบนี้กำลังเผยแพร่อยู่แล้ว หน้านี้แสดงงานนั้นแทนการเริ่มใหม่")
    page = reverse("reports:page", kwargs={"slug": slug, "year": year, "kind": kind})
    return redirect(f"{page}?job={job.pk}")


def _publish_question(round_) -> dict:
    """What the confirmation page says: the next version, or that nothing changed
    since the newest; the results not yet approved; and a withdrawn version whose
    content this one repeats unchanged (its reason shown: the mistake may still be
    there)."""
    draft = drafts.current(round_)
    versions = list(selectors.publications(round_))
    newest = next((p for p in versions if not p.withdrawn), None)
    unchanged = newest is not None and newest.content_sha256 == draft.sha256
    repeated = None
    if not unchanged:
        repeated = next(
            (p for p in versions if p.withdrawn and p.content_sha256 == draft.sha256), None
        )
    return {
        "round": round_,
        "doc": draft.doc,
        "newest": newest,
        "unchanged": unchanged,
        "repeats_withdrawn": repeated,
        "next_version": (versions[0].version if versions else 0) + 1,
    }


class _PublishedFileResponse(FileResponse):
    """The file's length, type and name come from its record, as WhiteNoise's
    response takes them from its index: nothing to find out from the file itself."""

    def set_headers(self, filelike):
        pass


_CONDITIONAL = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def serve_published_pdf(request, pdf, cache_control: str):
    """A published PDF (reports.selectors.PublishedPdf, a report's or another
    document's) as a static file server would answer: validators (ETag is the
    SHA-256, Last-Modified the publication time) and 304 on a matching
    If-None-Match or If-Modified-Since, HEAD without touching the file, and the
    bytes streamed from the storage (sendfile for files on local disk)."""
    if pdf is None:
        raise Http404("ยังไม่มีรายงานที่เผยแพร่สำหรับรอบนี้")
    if any(header in request.META for header in _CONDITIONAL):
        answer = get_conditional_response(
            request, etag=pdf.headers["ETag"], last_modified=int(pdf.published_at.timestamp())
        )
        if answer is not None:  # 304 Not Modified (or 412 Precondition Failed)
            if answer.status_code == 304:
                answer["ETag"] = pdf.headers["ETag"]
                answer["Last-Modified"] = pdf.headers["Last-Modified"]
                answer["Cache-Control"] = cache_control
            return answer
    if request.method == "HEAD":
        response = HttpResponse(content_type="application/pdf")
    else:
        response = _PublishedFileResponse(pdf.open(), content_type="application/pdf")
    for header, value in pdf.headers.items():
        response[header] = value
    response["Cache-Control"] = cache_control
    return response


class WithdrawalForm(forms.Form):
    """The reason as typed; its rules (required, its length) are the service's. The
    field refuses a NUL character, which PostgreSQL cannot store (the request's
    middleware refuses it first: operations.request_input)."""

    reason = forms.CharField(
        required=False,
        strip=False,
        error_messages={
            "null_characters_not_allowed": "เหตุผลมีอักขระ NUL ซึ่งไม่ใช่ตัวอักษรที่พิมพ์ได้ กรุณาพิมพ์เหตุผลใหม่"
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, slug, year, kind, version):
    """Withdraw a published version with a reason (reports.services): the form is
    the confirmation; what was typed is kept when it is refused."""
    round_ = round_for(request, slug, year, kind, Action.PUBLISH)
    report = get_object_or_404(PublishedReport, round=round_, version=version)
    page = reverse("reports:page", kwargs={"slug": slug, "year": year, "kind": kind})
    errors: list[str] = []
    form = WithdrawalForm(request.POST if request.method == "POST" else None)
    reason = form["reason"].value() or ""
    if form.is_bound and not form.is_valid():
        errors = list(form.errors["reason"])
        reason = reason.replace("\x00", "")  # shown again without what was refused
    elif form.is_bound:
        try:
            withdraw_publication(report=report, user=request.user, reason=reason)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                f"ถอนการเผยแพร่รายงานฉบับที่ {report.version} แล้ว "
                "หน้ารายงานที่เผยแพร่แสดงฉบับนี้ว่าถอนแล้วพร้อมเหตุผล",
            )
            return redirect(page)
    newest_other = (
        PublishedReport.objects.filter(round=round_, withdrawn_at__isnull=True)
        .exclude(pk=report.pk)
        .order_by("-version")
        .first()
    )
    return render(
        request,
        "reports/withdraw.html",
        {
            "round": round_,
            "report": report,
            "reason": reason,
            "errors": errors,
            "newest_other": newest_other,
            "max_chars": WITHDRAWAL_REASON_MAX_CHARS,
        },
        status=400 if errors else 200,
    )


@require_safe
def public_index(request, slug):
    organization = get_object_or_404(Organization, slug=slug)
    return render(
        request,
        "reports/public_index.html",
        {
            "organization": organization,
            "rounds": _with_authority(selectors.published_rounds(organization)),
            # Other published documents (the analysis): apps above fill the registry.
            "sections": [section(request, organization) for section in PUBLIC_SECTIONS],
        },
    )


def _with_authority(rounds: list) -> list:
    annotate_versions([version for round_ in rounds for version in round_.versions])
    return rounds


# Callables (request, organization) -> HTML of a section of the agency's public page,
# registered by the apps above that publish documents of their own (in ready()).
PUBLIC_SECTIONS: list = []


@require_safe
def public_latest_pdf(request, slug, year, kind):
    """The stable link agencies put on their websites: always the newest version,
    which changes when the coordinator publishes again, so caches keep it briefly
    and then ask again (a 304 while it has not changed)."""
    pdf = selectors.published_pdf(slug, year, kind)
    cache_control = f"public, max-age={selectors.LATEST_PDF_SECONDS}"
    return serve_published_pdf(request, pdf, cache_control)


@require_safe
def public_version_pdf(request, slug, year, kind, version):
    """One version, as it was published: never changes."""
    pdf = selectors.published_pdf(slug, year, kind, version)
    return serve_published_pdf(request, pdf, "public, max-age=31536000, immutable")
