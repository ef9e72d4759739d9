"""Helpers for the spreadsheet tests: build files as people make them, and
capture what an organization's year holds so a test can say "nothing changed"."""

import csv
import io

import openpyxl

from interchange.shape import COLUMNS, CONTINUED_ROW
from measures.models import Measure, Round
from organizations.models import Division
from progress.models import Progress


def xlsx_bytes(rows, *, titles=(), header=COLUMNS, sheet_title="Sheet1") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for title in titles:
        sheet.append([title])
    if header:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, *, titles=(), header=COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for title in titles:
        writer.writerow([title])
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def year_state(organization, fiscal_year) -> dict:
    """Everything an import may touch, without primary keys."""
    measures = []
    for m in Measure.objects.filter(organization=organization, fiscal_year=fiscal_year).order_by(
        "order"
    ):
        measures.append(
            {
                "order": m.order,
                "tool": m.indicator.tool.code,
                "indicator": m.indicator.number,
                "target": m.target,
                "divisions": [a.division.name for a in m.assignments.order_by("order")],
                "steps": [
                    (s.number, s.text, [(i.depth, i.marker, i.text) for i in s.items.all()])
                    for s in m.steps.order_by("number")
                ],
                "monitoring": m.monitoring,
                "deadline": m.deadline,
                "progress": sorted(
                    (p.round.kind, p.status, p.completed_on, p.result_text, p.cannot_reason)
                    for p in m.progress.all()
                ),
            }
        )
    return {
        "measures": measures,
        "divisions": sorted(
            Division.objects.filter(organization=organization).values_list("name", "kind")
        ),
        "rounds": sorted(
            Round.objects.filter(organization=organization).values_list("kind", "is_open")
        ),
        "progress_rows": Progress.objects.filter(measure__organization=organization).count(),
    }


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def cell_xml(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: dict[int, list[str]], *, dimension: str | None = None, head: str = "") -> str:
    """A worksheet part: `rows` maps a row number to its cells (see cell_xml)."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = "".join(f'<row r="{n}">{"".join(cells)}</row>' for n, cells in sorted(rows.items()))
    return f'{head}<worksheet xmlns="{_MAIN}">{dim}<sheetData>{body}</sheetData></worksheet>'


def minimal_xlsx(
    sheet: str, *, workbook_head: str = "", shared_strings: str | None = None, styles: str = ""
) -> bytes:
    """An XLSX file written part by part with zipfile, as a hostile or unusual
    program could write it (openpyxl would fix what these tests need broken).
    `shared_strings` and `styles` are the <si> and <xf> elements of those parts."""
    import zipfile

    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
            f'Type="{_OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{workbook_head}<workbook xmlns="{_MAIN}" xmlns:r="{_OFFICE}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
            f'Type="{_OFFICE}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared_strings is not None:
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            "</Relationships>",
            f'<Relationship Id="rId2" Type="{_OFFICE}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>',
        )
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{_MAIN}">{shared_strings}</sst>'
    if styles:
        parts["xl/styles.xml"] = (
            f'<styleSheet xmlns="{_MAIN}"><cellXfs>{styles}</cellXfs></styleSheet>'
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>\n' + text)
    return buffer.getvalue()


def measure_rows(sheet) -> list[int]:
    """The row where each measure starts (a measure taller than a spreadsheet shows
    continues on rows whose first cell is shape.CONTINUED_ROW)."""
    return [
        row[0].row
        for row in sheet.iter_rows(min_row=4)
        if row[0].value and not str(row[0].value).startswith(CONTINUED_ROW)
    ]
