from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

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


def _serve(report: PublishedReport) -> FileResponse:
    response = FileResponse(report.pdf.open("rb"), content_type="application/pdf")
    r = report.round
    filename = f"ita-{r.organization.slug}-{r.fiscal_year.year}-round{r.kind}-v{report.version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = f'"{report.sha256}"'
    response["X-Content-SHA256"] = report.sha256
    return response


@require_GET
def public_index(request, slug):
    organization = get_object_or_404(Organization, slug=slug)
    return render(
        request,
        "reports/public_index.html",
        {"organization": organization, "rounds": selectors.published_rounds(organization)},
    )


@require_GET
def public_latest_pdf(request, slug, year, kind):
    report = selectors.latest_publication(slug, year, kind)
    if report is None:
        raise Http404("ยังไม่มีรายงานที่เผยแพร่สำหรับรอบนี้")
    response = _serve(report)
    # The newest version may change when the coordinator publishes again.
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def public_version_pdf(request, slug, year, kind, version):
    report = get_object_or_404(
        PublishedReport.objects.select_related("round__organization", "round__fiscal_year"),
        round__organization__slug=slug,
        round__fiscal_year__year=year,
        round__kind=kind,
        version=version,
    )
    response = _serve(report)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


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
