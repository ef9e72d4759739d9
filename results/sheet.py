"""The assessment's published results as a sheet: XLSX or CSV, one row per agency.

A header row (within the first rows; a title above it may name the year) holds
`หน่วยงาน` (the agency's name as the assessment prints it, or its portal slug),
one column per indicator of the year's catalogue headed by its number
(`ตัวชี้วัดที่ 1` ... `ตัวชี้วัดที่ 10`, the indicator's name may follow), and
`คะแนนรวม`; optionally `ระดับ...` (the grade band printed) and `จังหวัด` (which
tells apart agencies of one name, as many อบต. are). Every problem is named by
row and column in Thai. The file is read by interchange.tables, which refuses
what is too big, a zip bomb and cells past the import limits before loading it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from openpyxl.utils import get_column_letter

from catalogue.models import FiscalYear, Indicator, IndicatorWording, wording_key
from interchange.tables import Limits, TableFileError, read_table
from organizations.models import Organization
from results.scores import Entry, ScoreError, catalogue_indicators, read_grade, read_score
from thai import conventions as thai

AGENCY, TOTAL, GRADE, PROVINCE = "หน่วยงาน", "คะแนนรวม", "ระดับ", "จังหวัด"
HEADER_SEARCH_ROWS = 20
MAX_PROBLEMS = 200
_INDICATOR = re.compile(r"^ตัวชี้วัดที่\s*([0-9]+(?:\.[0-9]+)?)\s*[.:\-–]?\s*(.*)$", re.S)
_YEAR = re.compile(r"(?:พ\.ศ\.|ปีงบประมาณ|ประจำปี)\s*([0-9]{4})")
# Cells a row counts at most against the bomb bounds (settings: RESULTS_IMPORT_*).
CELLS_PER_ROW = 24


def limits() -> Limits:
    """A national sheet: one row per agency (8,317 in 2568), columns as the measures'."""
    return Limits(
        rows=settings.RESULTS_IMPORT_MAX_ROWS,
        columns=settings.IMPORT_MAX_COLUMNS,
        unpacked_bytes=settings.RESULTS_IMPORT_MAX_UNCOMPRESSED_BYTES,
        cells_per_row=CELLS_PER_ROW,
        table="ตารางผลการประเมิน",
    )


@dataclass
class SheetRow:
    number: int  # the row as the spreadsheet shows it
    name: str  # the agency as the sheet writes it
    entry: Entry


@dataclass
class Sheet:
    rows: list[SheetRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    columns_seen: set[int] = field(default_factory=set)

    def refuse(self, text: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)
        elif len(self.problems) == MAX_PROBLEMS:
            self.problems.append("... และปัญหาอื่นอีก (แสดง 200 รายการแรก)")


@dataclass
class Layout:
    header_row: int
    agency: int
    total: int
    grade: int | None
    province: int | None
    indicators: dict[int, Indicator]  # column index -> indicator


def _text(value) -> str:
    return " ".join(thai.normalize_sara_am(str(value if value is not None else "")).split())


def _where(row: int, column: int, header: str) -> str:
    return f"แถวที่ {row} คอลัมน์ {get_column_letter(column + 1)} ({header})"


def _find_header(rows) -> tuple[int, list[str]] | None:
    for index, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [_text(c) for c in cells]
        if AGENCY in texts:
            return index, texts
    return None


def _year_mentioned(rows, fiscal_year: FiscalYear, sheet: Sheet) -> None:
    """A title above the header naming another year: the sheet of another year."""
    for number, cells in rows:
        for cell in cells:
            found = _YEAR.search(thai.to_arabic_digits(_text(cell)))
            if found and int(found.group(1)) != fiscal_year.year:
                sheet.refuse(
                    f"แถวที่ {number}: ไฟล์นี้ระบุปี พ.ศ. {found.group(1)} แต่กำลังนำเข้าเป็นผลการประเมิน"
                    f"ปีงบประมาณ {fiscal_year.year} กรุณาตรวจสอบว่าเลือกไฟล์และปีถูกต้อง"
                )
                return


def _names_of(indicators: list[Indicator]) -> dict[int, set[str]]:
    """Each indicator's accepted names as keys: its own and the catalogue's variants."""
    names = {i.pk: {wording_key(i.name)} for i in indicators}
    variants = IndicatorWording.objects.filter(
        indicator__in=indicators, organization__isnull=True
    ).values_list("indicator_id", "key")
    for pk, key in variants:
        names[pk].add(key)
    return names


def _indicator_columns(texts, number: int, indicators, fiscal_year, sheet) -> dict[int, Indicator]:
    by_number: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        by_number.setdefault(indicator.number, []).append(indicator)
    names = _names_of(indicators)
    columns: dict[int, Indicator] = {}
    seen: set[int] = set()  # indicators with a column, right or wrongly named
    for column, text in enumerate(texts):
        found = _INDICATOR.match(thai.to_arabic_digits(text))
        if not found:
            continue
        where = f"แถวที่ {number} คอลัมน์ {get_column_letter(column + 1)} “{text}”"
        matches = by_number.get(found.group(1), [])
        if len(matches) != 1:
            sheet.refuse(
                f"{where}: เกณฑ์การประเมินปีงบประมาณ {fiscal_year.year} ไม่มีตัวชี้วัดที่ {found.group(1)} "
                "ไฟล์นี้อาจเป็นผลการประเมินของปีอื่น"
            )
            continue
        indicator = matches[0]
        seen.add(indicator.pk)
        name = found.group(2).strip()
        if name and wording_key(name) not in names[indicator.pk]:
            sheet.refuse(
                f"{where}: ชื่อไม่ตรงกับตัวชี้วัดที่ {indicator.number} ของปีงบประมาณ {fiscal_year.year} "
                f"(“{indicator.name}”) ไฟล์นี้อาจเป็นผลการประเมินของปีอื่น"
            )
        elif indicator in columns.values():
            sheet.refuse(f"{where}: ตัวชี้วัดที่ {indicator.number} มีมากกว่าหนึ่งคอลัมน์")
        else:
            columns[column] = indicator
    sheet.columns_seen = seen
    return columns


def _layout(rows, fiscal_year: FiscalYear, indicators, sheet: Sheet) -> Layout | None:
    found = _find_header(rows)
    if found is None:
        sheet.refuse(
            f"ไม่พบแถวหัวตารางที่มีคอลัมน์ “{AGENCY}” ใน {HEADER_SEARCH_ROWS} แถวแรก "
            f"หัวตารางต้องมี “{AGENCY}”, “ตัวชี้วัดที่ 1” ถึงตัวชี้วัดสุดท้ายของปี และ “{TOTAL}”"
        )
        return None
    index, texts = found
    number = rows[index][0]
    _year_mentioned(rows[:index], fiscal_year, sheet)
    columns = _indicator_columns(texts, number, indicators, fiscal_year, sheet)
    for indicator in indicators:
        if indicator.pk not in sheet.columns_seen:
            sheet.refuse(
                f"แถวที่ {number} (หัวตาราง): ไม่มีคอลัมน์ “ตัวชี้วัดที่ {indicator.number}” "
                f"({indicator.tool.code} {indicator.name}) "
                f"ของเกณฑ์การประเมินปีงบประมาณ {fiscal_year.year}"
            )
    if TOTAL not in texts:
        sheet.refuse(f"แถวที่ {number} (หัวตาราง): ไม่มีคอลัมน์ “{TOTAL}”")
        return None
    grade = next((i for i, t in enumerate(texts) if t.startswith(GRADE)), None)
    province = texts.index(PROVINCE) if PROVINCE in texts else None
    return Layout(number, texts.index(AGENCY), texts.index(TOTAL), grade, province, columns)


def _province_key(text: str) -> str:
    return _text(text).removeprefix("จังหวัด").strip()


class Agencies:
    """The sheet's agencies among those the importer may import: one query for
    every name and slug the sheet writes."""

    def __init__(self, organizations, names: set[str]):
        found = organizations.filter(Q(slug__in=names) | Q(name__in=names)).select_related(
            "province"
        )
        self.by_slug: dict[str, Organization] = {}
        self.by_name: dict[str, list[Organization]] = {}
        for org in found:
            self.by_slug[org.slug] = org
            self.by_name.setdefault(_text(org.name), []).append(org)

    def find(self, name: str, province: str) -> tuple[Organization | None, str]:
        """The agency, or None and why."""
        if name in self.by_slug:
            return self.by_slug[name], ""
        matches = self.by_name.get(name, [])
        if province:
            matches = [o for o in matches if o.province and o.province.name == province]
        if len(matches) == 1:
            return matches[0], ""
        if not matches:
            where = f" ในจังหวัด{province}" if province else ""
            return None, (
                f"ไม่พบหน่วยงาน “{name}”{where} ในหน่วยงานที่คุณนำเข้าผลได้ "
                "กรุณาตรวจชื่อตามที่ผลการประเมินพิมพ์ หรือใช้ชื่อย่อในลิงก์ของหน่วยงาน (เช่น ubon-pao)"
            )
        provinces = ", ".join(sorted({o.province.name if o.province else "-" for o in matches}))
        return None, (
            f"ชื่อ “{name}” ตรงกับ {len(matches)} หน่วยงาน (จังหวัด {provinces}) "
            f"กรุณาเพิ่มคอลัมน์ “{PROVINCE}” หรือใช้ชื่อย่อในลิงก์ของหน่วยงาน"
        )


def _cell(cells, column: int | None):
    return cells[column] if column is not None and column < len(cells) else None


def _read_row(number, cells, layout: Layout, agencies: Agencies, seen: dict, sheet: Sheet):
    name = _text(_cell(cells, layout.agency))
    where = _where(number, layout.agency, AGENCY)
    if not name:
        sheet.refuse(f"{where}: ไม่ได้ระบุหน่วยงาน")
        return None
    province = _province_key(_cell(cells, layout.province) or "")
    organization, why = agencies.find(name, province)
    if organization is None:
        sheet.refuse(f"{where}: {why}")
        return None
    if organization.pk in seen:
        sheet.refuse(
            f"{where}: “{name}” ซ้ำกับแถวที่ {seen[organization.pk]} "
            "หน่วยงานหนึ่งมีผลการประเมินของปีหนึ่งได้แถวเดียว"
        )
        return None
    seen[organization.pk] = number
    scores, bad = {}, False
    for column, indicator in layout.indicators.items():
        try:
            scores[indicator.pk] = read_score(_cell(cells, column))
        except ScoreError as error:
            sheet.refuse(f"{_where(number, column, f'ตัวชี้วัดที่ {indicator.number}')}: {error}")
            bad = True
    try:
        total = read_score(_cell(cells, layout.total))
    except ScoreError as error:
        sheet.refuse(f"{_where(number, layout.total, TOTAL)}: {error}")
        bad = True
    try:
        grade = read_grade(_cell(cells, layout.grade))
    except ScoreError as error:
        sheet.refuse(f"{_where(number, layout.grade, 'ระดับ')}: {error}")
        bad = True
    if bad:
        return None
    return SheetRow(number, name, Entry(organization, total, grade, scores))


def read_sheet(content: bytes, fiscal_year: FiscalYear, organizations) -> Sheet:
    """The sheet's rows, read and checked against the year's catalogue and the
    agencies in `organizations` (the importer's). `problems` lists what is wrong."""
    sheet = Sheet(indicators=catalogue_indicators(fiscal_year))
    if not sheet.indicators:
        sheet.refuse(f"ปีงบประมาณ {fiscal_year.year} ยังไม่มีตัวชี้วัดในเกณฑ์การประเมิน")
        return sheet
    try:
        table = read_table(content, bounds=limits())
    except TableFileError as error:
        sheet.refuse(str(error))
        return sheet
    layout = _layout(table.rows, fiscal_year, sheet.indicators, sheet)
    if layout is None or sheet.problems:
        return sheet
    body = [
        (number, list(cells))
        for number, cells in table.rows
        if number > layout.header_row and any(_text(c) for c in cells)
    ]
    if not body:
        sheet.refuse(f"ไม่มีแถวข้อมูลหน่วยงานใต้หัวตาราง (แถวที่ {layout.header_row})")
        return sheet
    names = {_text(_cell(cells, layout.agency)) for _, cells in body}
    agencies = Agencies(organizations, names - {""})
    seen: dict[int, int] = {}
    for number, cells in body:
        row = _read_row(number, cells, layout, agencies, seen, sheet)
        if row is not None:
            sheet.rows.append(row)
    return sheet
