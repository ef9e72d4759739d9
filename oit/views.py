"""The agency's OIT page: public (`oit:public`, every item with its link), the
coordinator's view with completeness and the form for the agency's own links
(`oit:edit`), and its export as CSV or XLSX (`oit:export`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_safe

from catalogue.models import FiscalYear, OitItem
from linkcheck.selectors import attach_statuses
from measures.models import Round
from oit import selectors
from oit.exporters import EXPORTERS
from oit.services import LinkConflict, set_link
from organizations.access import check_oit_page, may_set_oit_links
from organizations.models import Organization
from thai.conventions import to_arabic_digits


def _year(year: int) -> FiscalYear:
    if not 2543 <= year <= 2643:
        raise Http404("ไม่พบปีงบประมาณ")
    return get_object_or_404(FiscalYear, year=year)


def _base(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


@require_safe
def public(request, slug, year):
    organization = get_object_or_404(Organization, slug=slug)
    page = selectors.oit_page(organization, _year(year), _base(request))
    return render(request, "oit/public.html", {"page": page})


def _agency(request, slug) -> Organization:
    organization = get_object_or_404(Organization, slug=slug)
    check_oit_page(request.user, organization)  # 404 outsiders, 403 staff
    return organization


def _save_rows(request, page) -> tuple[dict, dict, int]:
    """Each item whose link the form changed, saved on its own: (typed links,
    errors by item id, how many saved). A row left as shown is not written, so a
    link someone else changed meanwhile is kept."""
    typed, errors, saved = {}, {}, 0
    for row in page.rows:
        key = str(row.item.pk)
        if f"url-{key}" not in request.POST:
            continue
        url, shown = request.POST[f"url-{key}"], request.POST.get(f"shown-{key}", "")
        typed[row.item.pk] = url
        if url.strip() == shown.strip():
            continue
        try:
            version = int(to_arabic_digits(request.POST.get(f"version-{key}", "")))
        except ValueError:
            version = -1  # not a version the form showed: refused as changed since
        try:
            set_link(
                user=request.user,
                organization=page.organization,
                item=row.item,
                url=url,
                seen_version=version,
            )
            saved += 1
        except ValidationError as error:
            errors[row.item.pk] = " ".join(error.messages)
        except LinkConflict as conflict:
            errors[row.item.pk] = conflict.message
    return typed, errors, saved


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug, year):
    organization = _agency(request, slug)
    fiscal_year = _year(year)
    may_edit = may_set_oit_links(request.user, organization)
    typed, errors = {}, {}
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("บทบาทของคุณไม่มีสิทธิ์แก้ไขลิงก์ข้อ OIT ของหน่วยงานนี้")
        page = selectors.oit_page(organization, fiscal_year, _base(request))
        typed, errors, saved = _save_rows(request, page)
        if not errors:
            text = f"บันทึกลิงก์ {saved} ข้อแล้ว" if saved else "ไม่มีลิงก์ที่เปลี่ยน"
            messages.success(request, text)
            return redirect("oit:edit", slug=organization.slug, year=fiscal_year.year)
        if saved:
            messages.success(request, f"บันทึกลิงก์ {saved} ข้อแล้ว ข้ออื่นยังไม่ได้บันทึก")
    page = selectors.oit_page(organization, fiscal_year, _base(request))
    # What the daily link check found about the agency's own links: one query.
    attach_statuses(page.rows, attribute="own_url")
    for row in page.rows:
        row.typed = typed.get(row.item.pk, row.own_url)
        row.error = errors.get(row.item.pk, "")
    context = {
        "page": page,
        "may_edit": may_edit,
        "errors": [(row.item, row.error) for row in page.rows if row.error],
        "untitled": sum(1 for row in page.rows if not row.item.title),
        "exporters": EXPORTERS.values(),
    }
    return render(request, "oit/edit.html", context, status=200)


@login_required
@require_safe
def export(request, slug, year, fmt):
    organization = _agency(request, slug)
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise Http404("ไม่มีรูปแบบไฟล์นี้")
    page = selectors.oit_page(organization, _year(year), _base(request))
    filename, content_type, content = exporter.export(page)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def public_section(request, organization) -> str:
    """The agency's OIT pages on its public page (reports:public_index): the years of
    its rounds whose catalogue lists OIT items, newest first (one query)."""
    items = OitItem.objects.filter(fiscal_year=OuterRef("pk"))
    rounds = Round.objects.filter(fiscal_year=OuterRef("pk"), organization=organization)
    years = (
        FiscalYear.objects.filter(Exists(items), Exists(rounds))
        .order_by("-year")
        .values_list("year", flat=True)
    )
    return render_to_string(
        "oit/public_section.html",
        {"organization": organization, "years": list(years)},
        request=request,
    )
