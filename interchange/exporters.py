"""Exporters: each output format is a small class with an identifier, a Thai
name and `export(sheets) -> (filename, content type, bytes)`. They lay out the
same `Sheet`, built from one selector, so XLSX and CSV cannot disagree."""

import csv
import io
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from catalogue.models import FiscalYear, Indicator
from interchange import shape
from interchange.importer import sheet_name
from interchange.selectors import export_measures
from interchange.tables import FORMULA_START, escape_formula
from measures.models import Round
from measures.services import StepData
from organizations.models import Organization
from thai import conventions as thai

FONT_NAME = "Sarabun"
FONT_SIZE = 16
# Excel column widths (characters) that keep the six columns readable on A4 landscape.
COLUMN_WIDTHS = (30, 26, 60, 38, 18, 34)


@dataclass(frozen=True)
class Sheet:
    name: str
    filename_stem: str
    titles: list[str]
    rows: list[tuple[str, ...]]


def _steps(measure, digits) -> list[StepData]:
    """The steps with their numbers in the document's digits, text as typed."""
    return [
        StepData(digits(str(s.number)), s.text, tuple(s.items.all())) for s in measure.steps.all()
    ]


def _indicator(measure, digits, *, name_is_ambiguous: bool) -> str:
    """The indicator cell: the portal's words and numbers in the document's digits,
    the agency's own wording (the measure's target) as typed."""
    cell = shape.format_indicator(measure, name_is_ambiguous=name_is_ambiguous)
    if not measure.target:
        return digits(cell)
    return measure.target.join(digits(part) for part in cell.split(measure.target))


def _result(progress, thai_digits: bool) -> str:
    """The result cell: the status sentence's date in the document's digits, the
    reason and the result text as typed."""
    cell = shape.format_result(progress)
    if progress is None or not cell.startswith(progress.result_line):
        return cell
    return progress.status_line(thai_digits=thai_digits) + cell[len(progress.result_line) :]


def build_sheet(
    *, organization: Organization, fiscal_year: FiscalYear, round_kind: int = 6, ids=None
) -> Sheet:
    """One organization × fiscal year in the interchange shape; the result column is
    the progress of `round_kind`. Text people typed is written as typed; the numbers
    the portal writes (step numbers, dates, the titles' years) in the organization's
    digits (reports.document)."""

    def digits(text: str) -> str:
        return thai.localize_digits(text, organization.thai_digits)

    names = Counter(
        (code, shape.name_key(name))
        for code, name in Indicator.objects.filter(tool__fiscal_year=fiscal_year).values_list(
            "tool__code", "name"
        )
    )
    rows = []
    for measure in export_measures(organization, fiscal_year, round_kind, ids):
        indicator = measure.indicator
        ambiguous = names[(indicator.tool.code, shape.name_key(indicator.name))] > 1
        progress = measure.round_progress[0] if measure.round_progress else None
        rows.append(
            (
                _indicator(measure, digits, name_is_ambiguous=ambiguous),
                shape.format_divisions([a.division.name for a in measure.assignments.all()]),
                shape.format_steps(_steps(measure, digits)),
                "\n".join(measure.monitoring_lines),
                digits(shape.format_date(measure.deadline)),
                _result(progress, organization.thai_digits),
            )
        )
    round_ = Round(organization=organization, fiscal_year=fiscal_year, kind=round_kind)
    period = digits(
        f"(เดือน{thai.format_month_year(round_.start)} - {thai.format_month_year(round_.end)})"
    )
    titles = [
        f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสของ{organization.name} "
        + digits(f"ประจำปีงบประมาณ พ.ศ. {fiscal_year.year}"),
        "ผลการดำเนินการ" + digits(round_.get_kind_display()) + f" {period}",
    ]
    return Sheet(
        name=sheet_name(organization, fiscal_year.year),
        filename_stem=f"ita-measures-{organization.slug}-{fiscal_year.year}-round{round_kind}",
        titles=titles,
        rows=rows,
    )


class BaseExporter:
    identifier = ""
    verbose_name = ""
    extension = ""
    content_type = ""

    def filename(self, sheets: Sequence[Sheet]) -> str:
        stem = sheets[0].filename_stem if len(sheets) == 1 else "ita-measures"
        return f"{stem}.{self.extension}"

    def export(self, sheets: Sequence[Sheet]) -> tuple[str, str, bytes]:
        raise NotImplementedError


# Thai vowel and tone marks above or below a letter take no width of their own.
_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
# About how many base letters of 16 pt Sarabun fit in one Excel width unit,
# and the height of one line, in points.
LETTERS_PER_WIDTH_UNIT = 0.8
LINE_HEIGHT = FONT_SIZE * 1.4


# The highest row Excel and LibreOffice show (points); text below it is hidden.
MAX_ROW_HEIGHT = 409
# The wrapped lines of the font that fit in such a row.
MAX_ROW_LINES = int((MAX_ROW_HEIGHT - 4) // LINE_HEIGHT)


def _capacity(width: int) -> int:
    return max(1, int(width * LETTERS_PER_WIDTH_UNIT))


def _wrapped(line: str, capacity: int) -> int:
    return max(1, math.ceil(len(_MARKS.sub("", line)) / capacity))


def row_height(row: Sequence[str], widths: Sequence[int] = COLUMN_WIDTHS) -> float:
    """Points for a row whose tallest cell wraps within its column width."""
    lines = 1
    for text, width in zip(row, widths, strict=False):
        capacity = _capacity(width)
        lines = max(lines, sum(_wrapped(line, capacity) for line in text.split("\n")))
    return round(lines * LINE_HEIGHT + 4, 1)


def _cut_line(line: str, capacity: int) -> list[str]:
    """A line too long for one row in pieces that each fit one, every piece but the
    last ending with shape.CONTINUED_LINE (import joins them back without a break);
    cut after a space where there is one."""
    room = capacity * MAX_ROW_LINES
    pieces = []
    while _wrapped(line, capacity) > MAX_ROW_LINES:
        cut = room - len(shape.CONTINUED_LINE) - 1
        # Marks take no width: count letters until the room is full.
        letters = end = 0
        while end < len(line) and letters < cut:
            letters += not _MARKS.match(line[end])
            end += 1
        while end < len(line) and _MARKS.match(line[end]):
            end += 1  # never part a letter from its marks
        space = line.rfind(" ", 0, end)
        end = space + 1 if space > end // 2 else end
        pieces.append(line[:end] + shape.CONTINUED_LINE)
        line = line[end:]
    return [*pieces, line]


def _cell_chunks(text: str, width: int) -> list[str]:
    """A cell's text in parts that each fit one row, cut between lines (or, for a
    line taller than a row, inside it: `_cut_line`)."""
    capacity = _capacity(width)
    chunks, lines, used = [], [], 0
    for whole in text.split("\n"):
        for line in _cut_line(whole, capacity):
            height = _wrapped(line, capacity)
            if lines and used + height > MAX_ROW_LINES:
                chunks.append("\n".join(lines))
                lines, used = [], 0
            lines.append(line)
            used += height
    return [*chunks, "\n".join(lines)]


def split_row(row: Sequence[str], widths: Sequence[int] = COLUMN_WIDTHS) -> list[tuple[str, ...]]:
    """The row as shown in a spreadsheet: one row, or when a cell is taller than
    MAX_ROW_HEIGHT, that row and continuation rows under it, as the report's own
    table continues on the next page: their first cell says shape.CONTINUED_ROW and
    the other cells go on where the row above stopped (import joins them back)."""
    cells = zip(row[1:], widths[1:], strict=True)
    columns = [[row[0]], *(_cell_chunks(text, width) for text, width in cells)]
    count = max(map(len, columns))
    return [
        tuple(
            (chunks[index] if index < len(chunks) else "")
            if column or not index
            else shape.CONTINUED_ROW
            for column, chunks in enumerate(columns)
        )
        for index in range(count)
    ]


class XlsxExporter(BaseExporter):
    identifier = "xlsx"
    verbose_name = "Excel (XLSX)"
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)

    def _put(self, cell, text: str, *, bold: bool = False, center: bool = False) -> None:
        cell.value = text
        if text.startswith(FORMULA_START):
            # Kept as text, shown without a quote, never evaluated.
            cell.data_type = "s"
            cell.quotePrefix = True
        cell.font = Font(name=FONT_NAME, size=FONT_SIZE, bold=bold)
        cell.alignment = Alignment(
            wrap_text=True,
            vertical="center" if center else "top",
            horizontal="center" if center else None,
        )

    def _write_sheet(self, worksheet, sheet: Sheet) -> None:
        width = len(shape.COLUMNS)
        last = get_column_letter(width)
        for number, title in enumerate(sheet.titles, start=1):
            worksheet.merge_cells(f"A{number}:{last}{number}")
            self._put(worksheet.cell(number, 1), title, bold=True, center=True)
            worksheet.row_dimensions[number].height = row_height(
                [title], widths=[sum(COLUMN_WIDTHS)]
            )
        header = len(sheet.titles) + 1
        for column, heading in enumerate(shape.COLUMNS, start=1):
            cell = worksheet.cell(header, column)
            self._put(cell, heading, bold=True, center=True)
            cell.fill = PatternFill("solid", fgColor="D9D9D9")
            cell.border = self.border
        worksheet.row_dimensions[header].height = row_height(shape.COLUMNS)
        rows = [part for row in sheet.rows for part in split_row(row)]
        for number, row in enumerate(rows, start=header + 1):
            for column, text in enumerate(row, start=1):
                cell = worksheet.cell(number, column)
                self._put(cell, text)
                cell.border = self.border
            # Spreadsheets do not grow rows to fit wrapped text on opening.
            worksheet.row_dimensions[number].height = row_height(row)
        for column, chars in enumerate(COLUMN_WIDTHS, start=1):
            worksheet.column_dimensions[get_column_letter(column)].width = chars
        worksheet.freeze_panes = f"A{header + 1}"
        worksheet.print_title_rows = f"{header}:{header}"
        worksheet.page_setup.orientation = "landscape"
        worksheet.page_setup.paperSize = worksheet.PAPERSIZE_A4
        worksheet.page_setup.fitToWidth = 1
        worksheet.page_setup.fitToHeight = 0
        worksheet.sheet_properties.pageSetUpPr.fitToPage = True

    def export(self, sheets: Sequence[Sheet]) -> tuple[str, str, bytes]:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        for sheet in sheets:
            self._write_sheet(workbook.create_sheet(sheet.name), sheet)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return self.filename(sheets), self.content_type, buffer.getvalue()


class CsvExporter(BaseExporter):
    identifier = "csv"
    verbose_name = "CSV (UTF-8)"
    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def export(self, sheets: Sequence[Sheet]) -> tuple[str, str, bytes]:
        if len(sheets) != 1:
            raise ValueError("ไฟล์ CSV เก็บได้ครั้งละหนึ่งหน่วยงานและหนึ่งปีงบประมาณ")
        sheet, width = sheets[0], len(shape.COLUMNS)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for title in sheet.titles:
            writer.writerow([escape_formula(title)] + [""] * (width - 1))
        writer.writerow(shape.COLUMNS)
        for row in sheet.rows:
            writer.writerow([escape_formula(text) for text in row])
        # The BOM makes Excel read the file as UTF-8, so Thai shows correctly.
        return self.filename(sheets), self.content_type, buffer.getvalue().encode("utf-8-sig")


EXPORTERS = {exporter.identifier: exporter for exporter in (XlsxExporter(), CsvExporter())}
