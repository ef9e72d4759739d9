"""The analysis's pages: the coordinator's page (texts per weak point, preview,
publishing), the draft PDF, publishing and withdrawing, and the public links."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from analysis import selectors
from analysis.document import NO_MEASURE, NOT_WRITTEN, build_view
from analysis.jobs import KIND
from analysis.models import PublishedAnalysis
from analysis.services import (
    StaleNoteError,
    analysis_html,
    annotate_versions,
    approval_page,
    document_for,
    save_note,
    withdraw_analysis,
)
from catalogue.models import FiscalYear
from jobs import services as job_services
from jobs.models import Job
from operations.request_input import query_int
from organizations.access import Action, can, check
from organizations.models import Organization
from reports.pdf.drafts import content_sha256
from reports.pdf.render import html_to_pdf
from reports.selectors import LATEST_PDF_SECONDS
from reports.services import WITHDRAWAL_REASON_MAX_CHARS
from reports.views import REFRESH_SECONDS, WithdrawalForm, serve_published_pdf

SAVED = "บันทึกข้อความวิเคราะห์ของ{label} แล้ว"
STALE = (
    "ข้อความของตัวชี้วัดนี้ถูกบันทึกโดย {who} เมื่อ {when} หลังจากที่คุณเปิดหน้านี้ "
    "ข้อความที่คุณพิมพ์ยังอยู่ในช่องด้านล่าง ข้อความที่บันทึกไว้ล่าสุดคือ "
    "สิ่งที่พบ: “{found}” ข้อเสนอแนะ: “{proposed}” กรุณารวมข้อความแล้วบันทึกอีกครั้ง"
)


def _subject(request, slug: str, year: int, action: Action):
    organization = get_object_or_404(Organization, slug=slug)
    check(request.user, organization, action)  # 404 outsiders, 403 members who may not
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    if fiscal_year is None:
        raise Http404("ไม่พบปีงบประมาณนี้")
    return organization, fiscal_year


@dataclass
class NoteForm:
    found: str
    proposed: str
    version: int
    errors: list[str] = field(default_factory=list)
    stale: str = ""


def _forms(view) -> dict:
    forms = {}
    for row, point in zip(view.analysis.weak, view.weak_points, strict=True):
        note = row.note
        forms[point.key] = NoteForm(
            note.found if note else "", note.proposed if note else "", note.version if note else 0
        )
    return forms


def _stale_message(current) -> str:
    if current is None:
        return "ข้อความของตัวชี้วัดนี้เปลี่ยนไปหลังจากที่คุณเปิดหน้านี้ กรุณาบันทึกอีกครั้ง"
    who = (
        current.updated_by.get_full_name() or current.updated_by.username
        if current.updated_by
        else "ระบบ"
    )
    when = timezone.localtime(current.updated_at).strftime("%H:%M น.")
    return STALE.format(who=who, when=when, found=current.found, proposed=current.proposed)


def _post_note(request, organization, fiscal_year, view, forms):
    """Save one weak point's texts; None when saved (redirect), else the status."""
    key = (request.POST.get("tool", ""), request.POST.get("number", ""))
    found, proposed = request.POST.get("found", ""), request.POST.get("proposed", "")
    form = forms.get(key)
    if form is None:
        messages.error(request, "ไม่พบตัวชี้วัดที่เป็นจุดอ่อนนี้ในผลการประเมิน กรุณาโหลดหน้าใหม่")
        return 400
    seen = query_int(request.POST.get("version")) or 0
    typed = NoteForm(found.replace("\x00", ""), proposed.replace("\x00", ""), seen)
    forms[key] = typed
    try:
        save_note(
            organization=organization,
            fiscal_year=fiscal_year,
            user=request.user,
            key=key,
            found=found,
            proposed=proposed,
            seen_version=seen,
        )
    except StaleNoteError as error:
        typed.version = error.current.version if error.current else 0
        typed.stale = _stale_message(error.current)
        return 409
    except ValidationError as error:
        typed.errors = error.messages
        return 400
    label = next(p.label for p in view.weak_points if p.key == key)
    messages.success(request, SAVED.format(label=label))
    return None


@login_required
@require_http_methods(["GET", "POST"])
def analysis_page(request, slug, year):
    action = Action.PUBLISH if request.method == "POST" else Action.VIEW_REPORT
    organization, fiscal_year = _subject(request, slug, year, action)
    view = build_view(selectors.build_analysis(organization, fiscal_year))
    can_edit = can(request.user, organization, Action.PUBLISH)
    forms = _forms(view) if can_edit else {}
    status = 200
    if request.method == "POST":
        status = _post_note(request, organization, fiscal_year, view, forms)
        if status is None:
            return redirect("analysis:page", slug=slug, year=year)
    publications = annotate_versions(list(selectors.publications(organization, fiscal_year)))
    context = {
        "doc": view,
        "organization": organization,
        "fiscal_year": fiscal_year,
        "forms": [(point, forms[point.key]) for point in view.weak_points] if can_edit else [],
        "can_edit": can_edit,
        "publications": publications,
        "live": next((p for p in publications if not p.withdrawn), None),
        "publish_job": _publish_job(request, organization, fiscal_year),
        "refresh_seconds": REFRESH_SECONDS,
        "not_written": NOT_WRITTEN,
        "no_measure": NO_MEASURE,
    }
    return render(request, "analysis/page.html", context, status=status)


def _publish_job(request, organization, fiscal_year) -> Job | None:
    jobs = Job.objects.filter(kind=KIND, organization=organization, fiscal_year=fiscal_year)
    job_id = query_int(request.GET.get("job"))
    job = jobs.filter(pk=job_id).first() if job_id is not None else None
    if job is None:
        job = jobs.filter(state__in=Job.ACTIVE).first()
    return job_services.refreshed(job) if job else None


@login_required
@require_GET
def analysis_pdf(request, slug, year):
    """The draft PDF of the analysis as it stands, marked as a draft on every page.
    A few pages: rendered in the request."""
    organization, fiscal_year = _subject(request, slug, year, Action.VIEW_REPORT)
    view = build_view(selectors.build_analysis(organization, fiscal_year))
    pdf = html_to_pdf(analysis_html(view, drafted_at=timezone.now()))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{view.filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, slug, year):
    """Asks first (what will be published); its confirm button (confirm=1) starts the
    publishing job, which the analysis page then follows."""
    organization, fiscal_year = _subject(request, slug, year, Action.PUBLISH)
    asks_approval = approval_page(organization, fiscal_year, request.user)
    if asks_approval is not None:  # the agency publishes what its executive approved
        return redirect(asks_approval)
    page = reverse("analysis:page", kwargs={"slug": slug, "year": year})
    if request.method != "POST" or request.POST.get("confirm") != "1":
        view = build_view(selectors.build_analysis(organization, fiscal_year))
        versions = list(selectors.publications(organization, fiscal_year))
        newest = next((p for p in versions if not p.withdrawn), None)
        unchanged = newest is not None and newest.content_sha256 == content_sha256(
            analysis_html(view)
        )
        context = {
            "doc": view,
            "newest": newest,
            "unchanged": unchanged,
            "next_version": (versions[0].version if versions else 0) + 1,
            "page": page,
        }
        return render(request, "analysis/publish_confirm.html", context)
    job = _publish_job(request, organization, fiscal_year)
    if job is not None and job.is_active:
        messages.info(request, "การวิเคราะห์นี้กำลังเผยแพร่อยู่แล้ว หน้านี้แสดงงานนั้นแทนการเริ่มใหม่")
    else:
        document = document_for(
            organization=organization, fiscal_year=fiscal_year, user=request.user
        )
        job, _ = job_services.start(
            kind=KIND,
            organization=organization,
            fiscal_year=fiscal_year,
            user=request.user,
            params={"document": document.pk},
        )
    return redirect(f"{page}?job={job.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, slug, year, version):
    organization, fiscal_year = _subject(request, slug, year, Action.PUBLISH)
    publication = get_object_or_404(
        PublishedAnalysis.objects.select_related("document__organization"),
        document__organization=organization,
        document__fiscal_year=fiscal_year,
        version=version,
    )
    page = reverse("analysis:page", kwargs={"slug": slug, "year": year})
    form = WithdrawalForm(request.POST if request.method == "POST" else None)
    reason, errors = form["reason"].value() or "", []
    if form.is_bound and not form.is_valid():
        errors, reason = list(form.errors["reason"]), reason.replace("\x00", "")
    elif form.is_bound:
        try:
            withdraw_analysis(publication=publication, user=request.user, reason=reason)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"ถอนการเผยแพร่การวิเคราะห์ฉบับที่ {version} แล้ว")
            return redirect(page)
    context = {
        "organization": organization,
        "fiscal_year": fiscal_year,
        "publication": publication,
        "reason": reason,
        "errors": errors,
        "page": page,
        "max_chars": WITHDRAWAL_REASON_MAX_CHARS,
    }
    return render(request, "analysis/withdraw.html", context, status=400 if errors else 200)


@require_safe
def public_latest_pdf(request, slug, year):
    """The stable link: the newest version not withdrawn."""
    pdf = selectors.published_pdf(slug, year)
    if pdf is None:
        raise Http404("ยังไม่มีการวิเคราะห์ที่เผยแพร่สำหรับปีนี้")
    return serve_published_pdf(request, pdf, f"public, max-age={LATEST_PDF_SECONDS}")


@require_safe
def public_version_pdf(request, slug, year, version):
    pdf = selectors.published_pdf(slug, year, version)
    if pdf is None:
        raise Http404("ไม่พบการวิเคราะห์ฉบับนี้")
    return serve_published_pdf(request, pdf, "public, max-age=31536000, immutable")


def public_section(request, organization) -> str:
    """The agency's published analyses on its public page (reports:public_index)."""
    documents = selectors.published_documents(organization)
    annotate_versions([version for document in documents for version in document.versions])
    return render_to_string(
        "analysis/public_section.html",
        {"organization": organization, "documents": documents},
        request=request,
    )
