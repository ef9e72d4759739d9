"""The overseers' pages: the roll-up across agencies and its export (oversight.rollup).
Read only: nothing here writes; each agency's row leads to its dashboard and report,
which the rulebook opens to overseers of that agency."""

import csv
import io
from collections.abc import Iterator
from datetime import datetime

import openpyxl
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from openpyxl.styles import Font

from catalogue.models import FiscalYear
from interchange.tables import escape_formula
from measures.models import Round
from oit.selectors import completeness, completeness_text
from operations.request_input import query_int
from organizations import access
from organizations.models import (
    District,
    Organization,
    OrganizationKind,
    OverseerScope,
    Province,
)
from oversight import charts, weakness
from oversight.dashboard import BANGKOK, STATUSES, bangkok_today
from oversight.rollup import DEFAULT_SORT, Filters, build_rollup, sort_choices
from results.selectors import results_of, totals_of
from thai import conventions as thai

PAGE_SIZE = 50
SEARCH_MAX_CHARS = 100
NOT_AN_OVERSEER = "หน้านี้สำหรับผู้กำกับติดตามหลายหน่วยงาน บัญชีของคุณยังไม่ได้รับขอบเขตการกำกับติดตาม"


def _require_overseer(user) -> None:
    if not access.is_overseer(user):
        raise PermissionDenied(NOT_AN_OVERSEER)


class RollUpFilterForm(forms.Form):
    """The roll-up's filters, read from the address. A value that is not valid is
    named in Thai beside its field and left out; the others still apply."""

    q = forms.CharField(
        label="ค้นหาชื่อหน่วยงาน",
        required=False,
        max_length=SEARCH_MAX_CHARS,
        error_messages={"max_length": f"ค้นหาได้ไม่เกิน {SEARCH_MAX_CHARS} ตัวอักษร"},
    )
    province = forms.TypedChoiceField(
        label="จังหวัด",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "ไม่พบจังหวัดนี้ในขอบเขตที่คุณกำกับติดตาม"},
    )
    district = forms.TypedChoiceField(
        label="อำเภอ",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "ไม่พบอำเภอนี้ในจังหวัดที่เลือก"},
    )
    kind = forms.ChoiceField(
        label="ประเภทหน่วยงาน",
        choices=[("", "ทุกประเภท"), *OrganizationKind.choices],
        required=False,
        error_messages={"invalid_choice": "ไม่มีประเภทหน่วยงานนี้"},
    )
    published = forms.ChoiceField(
        label="การเผยแพร่รายงานรอบนี้",
        choices=[("", "ทั้งหมด"), ("yes", "เผยแพร่แล้ว"), ("no", "ยังไม่เผยแพร่")],
        required=False,
        error_messages={"invalid_choice": "เลือกได้เฉพาะ เผยแพร่แล้ว หรือ ยังไม่เผยแพร่"},
    )
    behind = forms.BooleanField(label="เฉพาะหน่วยงานที่มีมาตรการเลยกำหนด", required=False)
    oit = forms.ChoiceField(
        label="ข้อมูลสาธารณะ (OIT)",
        choices=[("", "ทั้งหมด"), ("complete", "ครบทุกข้อ"), ("incomplete", "ยังไม่ครบ")],
        required=False,
        error_messages={"invalid_choice": "เลือกได้เฉพาะ ครบทุกข้อ หรือ ยังไม่ครบ"},
    )
    weak = forms.ChoiceField(
        label="ผลการประเมินปีก่อน",
        required=False,
        error_messages={"invalid_choice": "ไม่มีตัวชี้วัดนี้ในเกณฑ์การประเมินปีก่อน"},
    )
    sort = forms.ChoiceField(
        label="เรียงตาม",
        choices=sort_choices(),
        required=False,
        error_messages={"invalid_choice": "ไม่มีการเรียงลำดับแบบนี้ จึงเรียงตามมาตรการที่เลยกำหนด"},
    )

    def __init__(self, data, *, user, indicators=()):
        super().__init__(data)
        # The previous year's indicators (weakness.indicators_of): "weak on N".
        self.fields["weak"].choices = [
            ("", "ทุกหน่วยงาน"),
            *((i.number, f"ต่ำกว่าเป้าหมายในตัวชี้วัดที่ {i.number} {i.name}") for i in indicators),
        ]
        # The provinces (and the chosen province's districts) of the agencies in scope:
        # one query each, for the choices and their validation alike.
        organizations = access.overseen_organizations(user)
        provinces = Province.objects.filter(organizations__in=organizations).distinct()
        self.fields["province"].choices = [("", "ทุกจังหวัด"), *provinces.values_list("pk", "name")]
        districts = []
        province = query_int(data.get("province"))
        if province is not None:
            districts = District.objects.filter(
                province_id=province, organizations__in=organizations
            ).distinct()
            districts = list(districts.values_list("pk", "name"))
        self.fields["district"].choices = [("", "ทุกอำเภอ"), *districts]

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_bound else {}
        return Filters(
            province_id=data.get("province"),
            district_id=data.get("district"),
            kind=data.get("kind", ""),
            search=" ".join(thai.normalize_sara_am(data.get("q", "")).split()),
            published=data.get("published", ""),
            behind=bool(data.get("behind")),
            weak=data.get("weak", ""),
            oit=data.get("oit", ""),
        )

    def ordering(self) -> str:
        return (self.cleaned_data.get("sort") if self.is_bound else "") or DEFAULT_SORT


def _rollup_for(request, year: int, kind: int):
    _require_overseer(request.user)
    if kind not in Round.Kind.values:
        raise Http404("รอบการรายงานมีเฉพาะรอบ 6 เดือนและรอบ 12 เดือน")
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    indicators = weakness.indicators_of(fiscal_year.year - 1)
    form = RollUpFilterForm(request.GET, user=request.user, indicators=indicators)
    form.is_valid()  # invalid fields are named on the page and left out
    rollup = build_rollup(request.user, fiscal_year, kind, form.filters(), sort=form.ordering())
    rollup.assessed_indicators = indicators
    return fiscal_year, form, rollup


def _scope_descriptions(user) -> list[str]:
    """What the user oversees, in words, for the page's heading."""
    scopes = [
        (scope.office + ": " if scope.office else "") + scope.describe()
        for scope in OverseerScope.objects.filter(user=user).select_related("province")
    ]
    if access.can_administer_installation(user) and not scopes:
        scopes = ["ผู้ดูแลระบบ: ทุกหน่วยงานในระบบ"]
    return scopes


def _query(request, **changes) -> str:
    """The address's query string with `changes` (None drops a key)."""
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return params.urlencode()


@login_required
@require_GET
def oversight_index(request):
    """The roll-up of the newest fiscal year that has rounds: its 12-month round once
    the 6-month one has ended, else the 6-month round."""
    _require_overseer(request.user)
    year = (
        Round.objects.order_by("-fiscal_year__year")
        .values_list("fiscal_year__year", flat=True)
        .first()
    )
    if year is None:
        year = FiscalYear.objects.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        raise Http404("ยังไม่มีปีงบประมาณในระบบ")
    six = Round(fiscal_year=FiscalYear(year=year), kind=Round.Kind.SIX_MONTHS)
    kind = Round.Kind.TWELVE_MONTHS if six.end < bangkok_today() else Round.Kind.SIX_MONTHS
    return redirect("oversight:oversight", year=year, kind=kind)


def _headers(request, sort: str) -> list[dict]:
    """The agencies table's sortable column headers."""
    headers = []
    for key, label in (
        ("name", "หน่วยงาน"),
        ("province", "จังหวัด / อำเภอ"),
        ("measures", "มาตรการ"),
        ("done", "ความคืบหน้า"),
        ("late", "เลยกำหนด"),
        ("not_reported", "ส่วนราชการที่ยังไม่รายงาน"),
        ("published", "รายงานรอบนี้"),
        ("activity", "ความเคลื่อนไหวล่าสุด"),
    ):
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        # Numbers first open from the largest; names from A.
        first = key if key in ("name", "province") else f"-{key}"
        wanted = (key if descending else f"-{key}") if current else first
        headers.append(
            {
                "label": label,
                "query": _query(request, sort=wanted, page=None),
                "current": current,
                "aria_sort": ("descending" if descending else "ascending") if current else "",
            }
        )
    return headers


@login_required
@require_GET
def oversight(request, year, kind):
    fiscal_year, form, rollup = _rollup_for(request, year, kind)
    page = Paginator(rollup.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    headers = _headers(request, form.ordering())
    years = list(FiscalYear.objects.order_by("-year").values_list("year", flat=True))
    rows = []
    ids = [row.pk for row in page]
    assessed = results_of(ids, rollup.assessed_year)
    oit = completeness(ids, fiscal_year) if ids else {}
    for row in page:
        tally = row.tally
        bar = charts.stacked_bar(tally, width=160)
        done, total = oit.get(row.pk, (0, 0))
        oit_text = completeness_text(done, total) if total else ""
        rows.append((row, tally, bar, assessed.get(row.pk), (done == total, oit_text)))
    weak = weakness.weak_totals(rollup.summaries, rollup.assessed_year, rollup.assessed_indicators)
    return render(
        request,
        "oversight/oversight.html",
        {
            "rollup": rollup,
            "form": form,
            "page": page,
            "rows": rows,
            "page_numbers": page.paginator.get_elided_page_range(page.number),
            "page_query": _query(request, page=None),
            "export_query": _query(request, page=None),
            "headers": headers,
            "years": years,
            "year": year,
            "kind": kind,
            "scopes": _scope_descriptions(request.user),
            "legend": charts.legend(),
            "overall_ring": charts.progress_ring(rollup.overall.tally, caption="ทุกหน่วยงานที่แสดง"),
            "province_rows": [(g, charts.stacked_bar(g.tally)) for g in rollup.by_province],
            "kind_rows": [(g, charts.stacked_bar(g.tally)) for g in rollup.by_kind],
            "weak": weak,
            "can_import_results": access.may_import_results(request.user),
            "weak_chart": weakness.chart(weak) if weak.any else "",
        },
    )


# --- export -----------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "หน่วยงาน",
    "ประเภทหน่วยงาน",
    "จังหวัด",
    "อำเภอ",
    "ที่มาของข้อมูล",
    "จำนวนมาตรการ",
    *(charts.LABELS[s] for s in STATUSES),  # AgencyRow.counts are in this order
    "ร้อยละแล้วเสร็จ",
    "มาตรการที่เลยกำหนด",
    "ส่วนราชการที่ยังไม่รายงาน",
    "เผยแพร่รายงานรอบนี้",
    "ฉบับที่",
    "วันที่เผยแพร่",
    "ลิงก์รายงาน PDF",
    "ความเคลื่อนไหวล่าสุด",
]


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value, BANGKOK)
    return f"{thai.format_thai_date(local.date())} {local:%H:%M} น."


def export_columns(rollup) -> list[str]:
    year = rollup.fiscal_year.year
    return [
        *EXPORT_COLUMNS,
        f"คะแนนรวม ITA ปี {year - 1}",
        f"ระดับผลการประเมิน ปี {year - 1}",
        "ตัวชี้วัดที่ต่ำกว่าค่าเป้าหมาย",
        f"ข้อมูลสาธารณะ (OIT) ปี {year}",
    ]


def export_rows(request, rollup) -> Iterator[list]:
    """The export's rows, one at a time, as the roll-up reads them (a chunk at a time),
    with each agency's previous-year result (one query) and OIT completeness (a few
    queries), read for every agency of the filter at once."""
    agencies = rollup.summaries.values("organization_id")
    assessed = totals_of(agencies, rollup.assessed_year)
    oit = completeness(Organization.objects.filter(pk__in=agencies), rollup.fiscal_year)
    for row in rollup.rows:
        total, grade, weak = assessed.get(row.pk, ("", "", []))
        done, items = oit.get(row.pk, (0, 0))
        pdf = ""
        if row.published:
            pdf = request.build_absolute_uri(
                reverse("reports:public_pdf", args=[row.slug, rollup.fiscal_year.year, rollup.kind])
            )
        yield [
            escape_formula(row.name),
            row.kind_label,
            row.province,
            row.district,
            row.origin_label,
            row.measures,
            *row.counts,
            row.done_percent,
            row.late,
            row.divisions_not_reported,
            "เผยแพร่แล้ว" if row.published else "ยังไม่เผยแพร่",
            row.published_version or "",
            _when(row.published_at),
            pdf,
            _when(row.last_activity),
            total,
            grade,
            ", ".join(weak),
            completeness_text(done, items) if items else "",
        ]


@login_required
@require_GET
def oversight_export(request, year, kind, fmt):
    """What the roll-up shows (its filters and order, every page) as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404("ส่งออกได้เป็น CSV หรือ XLSX")
    fiscal_year, form, rollup = _rollup_for(request, year, kind)
    rows = export_rows(request, rollup)
    stem = f"ita-oversight-{fiscal_year.year}-round{kind}"
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")  # Excel opens UTF-8 Thai correctly with the BOM
        writer = csv.writer(out)
        writer.writerow(export_columns(rollup))
        writer.writerows(rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet(f"{fiscal_year.year} รอบ {kind} เดือน")
        sheet.append(
            [f"ภาพรวมหลายหน่วยงาน ปีงบประมาณ พ.ศ. {fiscal_year.year} {Round.Kind(kind).label}"]
        )
        header = []
        for title in export_columns(rollup):
            cell = openpyxl.cell.WriteOnlyCell(sheet, value=title)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
