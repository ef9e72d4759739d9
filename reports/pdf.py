"""Render a report document to PDF with WeasyPrint, using only the shipped fonts."""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from reports.document import NOT_REPORTED, ReportDocument

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "report.css"


def render_pdf(doc: ReportDocument) -> bytes:
    html = render_to_string("reports/report_pdf.html", {"doc": doc, "not_reported": NOT_REPORTED})
    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts, media_type="print")
    return HTML(string=html, base_url=str(STYLESHEET.parent), media_type="print").write_pdf(
        stylesheets=[stylesheet], font_config=fonts
    )
