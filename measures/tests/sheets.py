"""Helpers for the spreadsheet tests: build files as people make them, and
capture what an organization's year holds so a test can say "nothing changed"."""

import csv
import io

import openpyxl

from measures.interchange.shape import COLUMNS
from measures.models import Division, Measure, Progress, Round


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
