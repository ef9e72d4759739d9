"""The OIT page as a file to paste into the assessment's system: each format a
small class with an identifier, a Thai name and `export(page) -> (filename,
content type, bytes)`, laying out the same rows (oit.selectors.oit_page) in the
items' order: number, title, link."""

import csv
import io

import openpyxl
from openpyxl.styles import Alignment, Font

from interchange.tables import escape_formula
from oit.selectors import OitPage

TITLES = ("ข้อ", "ชื่อข้อ", "ลิงก์")


def _rows(page: OitPage) -> list[tuple[str, str, str]]:
    return [(row.item.number, row.item.title, row.url) for row in page.rows]


def _stem(page: OitPage) -> str:
    return f"oit-{page.organization.slug}-{page.fiscal_year.year}"


class CsvExporter:
    identifier = "csv"
    name = "CSV (UTF-8)"

    def export(self, page: OitPage) -> tuple[str, str, bytes]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(TITLES)
        for row in _rows(page):
            writer.writerow([escape_formula(cell) for cell in row])
        # The BOM: Excel opens the Thai text as UTF-8.
        return f"{_stem(page)}.csv", "text/csv; charset=utf-8", out.getvalue().encode("utf-8-sig")


class XlsxExporter:
    identifier = "xlsx"
    name = "Excel (XLSX)"

    def export(self, page: OitPage) -> tuple[str, str, bytes]:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = f"OIT {page.fiscal_year.year}"
        sheet.append(TITLES)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in _rows(page):
            sheet.append([escape_formula(cell) for cell in row])
        for letter, width in zip("ABC", (8, 70, 70), strict=True):
            sheet.column_dimensions[letter].width = width
        for cells in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
            cells[0].alignment = Alignment(wrap_text=True, vertical="top")
        out = io.BytesIO()
        book.save(out)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return f"{_stem(page)}.xlsx", content_type, out.getvalue()


EXPORTERS = {exporter.identifier: exporter for exporter in (CsvExporter(), XlsxExporter())}
