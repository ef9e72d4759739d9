from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_GET, require_POST, require_safe

from measures.access import Action, can, check
from measures.models import Organization
from reports import charts, selectors, services
from reports.dashboard import build_dashboard, organization_rounds
from reports.document import NOT_REPORTED, build_document
from reports.models import PublishedReport
from reports.pdf import render_pdf


def _round_for(request, slug: str, year: int, kind: int, action: Action):
    round_ = selectors.get_round(slug, year, kind)
    if round_ is None:
        raise Http404("ไม่พบรอบการรายงานนี้")
    check(request.user, round_.organization, action)
    return round_


@login_required
@require_GET
def report_page(request, slug, year, kind):
    round_ = _round_for(request, slug, year, kind, Action.VIEW_REPORT)
    return render(
        request,
        "reports/report_page.html",
        {
            "doc": build_document(round_),
            "not_reported": NOT_REPORTED,
            "round": round_,
            "publications": selectors.publications(round_),
            "can_publish": can(request.user, round_.organization, Action.PUBLISH),
        },
    )


@login_required
@require_GET
def report_pdf(request, slug, year, kind):
    round_ = _round_for(request, slug, year, kind, Action.VIEW_REPORT)
    doc = build_document(round_)
    response = HttpResponse(render_pdf(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{doc.filename}"'
    return response


@login_required
@require_POST
def publish(request, slug, year, kind):
    round_ = _round_for(request, slug, year, kind, Action.PUBLISH)
    report = services.publish_round(round_=round_, user=request.user)
    messages.success(
        request,
        f"เผยแพร่รายงานฉบับที่ {report.version} แล้ว ลิงก์สาธารณะแสดงฉบับนี้ตั้งแต่บัดนี้",
    )
    return redirect("reports:page", slug=slug, year=year, kind=kind)


def _serve(request, slug: str, year: int, kind: int, pdf, cache_control: str):
    """A published PDF as a static file server would answer: validators (ETag is the
    SHA-256, Last-Modified the publication time) and 304 on a matching
    If-None-Match or If-Modified-Since, HEAD without touching the file, and the
    bytes streamed from the storage (sendfile for files on local disk)."""
    if pdf is None:
        raise Http404("ยังไม่มีรายงานที่เผยแพร่สำหรับรอบนี้")
    filename = f"ita-{slug}-{year}-round{kind}-v{pdf.version}.pdf"
    headers = {
        "Content-Disposition": f'inline; filename="{filename}"',
        "ETag": f'"{pdf.sha256}"',
        "Last-Modified": http_date(pdf.published_at.timestamp()),
        "Cache-Control": cache_control,
        "X-Content-SHA256": pdf.sha256,
    }
    head = HttpResponse(content_type="application/pdf", headers=headers)
    answer = get_conditional_response(
        request,
        etag=headers["ETag"],
        last_modified=int(pdf.published_at.timestamp()),
        response=head,
    )
    if answer is not head:  # 304 Not Modified (or 412)
        return answer
    if request.method == "HEAD":
        head["Content-Length"] = pdf.size
        return head
    storage = PublishedReport._meta.get_field("pdf").storage
    return FileResponse(
        storage.open(pdf.name, "rb"),
        content_type="application/pdf",
        filename=filename,
        headers=headers,
    )


@require_safe
def public_index(request, slug):
    organization = get_object_or_404(Organization, slug=slug)
    return render(
        request,
        "reports/public_index.html",
        {"organization": organization, "rounds": selectors.published_rounds(organization)},
    )


@require_safe
def public_latest_pdf(request, slug, year, kind):
    """The stable link agencies put on their websites: always the newest version,
    which changes when the coordinator publishes again, so caches keep it briefly
    and then ask again (a 304 while it has not changed)."""
    pdf = selectors.published_pdf(slug, year, kind)
    cache_control = f"public, max-age={selectors.LATEST_PDF_SECONDS}"
    return _serve(request, slug, year, kind, pdf, cache_control)


@require_safe
def public_version_pdf(request, slug, year, kind, version):
    """One version, as it was published: never changes."""
    pdf = selectors.published_pdf(slug, year, kind, version)
    return _serve(request, slug, year, kind, pdf, "public, max-age=31536000, immutable")


@login_required
@require_GET
def dashboard(request, slug, year, kind):
    """The executive dashboard of a round: shares by tool, indicator and division,
    what is late, who has not reported, and the latest changes."""
    round_ = _round_for(request, slug, year, kind, Action.VIEW_DASHBOARD)
    dash = build_dashboard(round_)
    return render(
        request,
        "reports/dashboard.html",
        {
            "round": round_,
            "dash": dash,
            "charts": charts.dashboard_charts(dash),
            "rounds": organization_rounds(round_),
            "can_view_report": can(request.user, round_.organization, Action.VIEW_REPORT),
        },
    )
