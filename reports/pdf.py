"""Render a report document to PDF with WeasyPrint, using only the shipped fonts."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from reports import paging
from reports.document import NOT_REPORTED, ReportDocument

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "report.css"


@contextmanager
def _garbage_collection_paused() -> Iterator[None]:
    """WeasyPrint builds hundreds of thousands of boxes that live until the end
    of the render; the cyclic collector rescanning them costs about a tenth of
    the time (docs/benchmarks.md). Reference counting still frees the rest."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def report_html(doc: ReportDocument) -> str:
    """The HTML that WeasyPrint lays out: with the stylesheet and the fonts, all that
    the PDF is made from (reports.drafts hashes it)."""
    return render_to_string("reports/report_pdf.html", {"doc": doc, "not_reported": NOT_REPORTED})


def render_pdf(doc: ReportDocument) -> bytes:
    return html_to_pdf(report_html(doc))


def html_to_pdf(html: str) -> bytes:
    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts, media_type="print")

    layouts = 0

    def layout(html: str):
        nonlocal layouts
        if layouts:
            # The layout before this one (reports.paging lays out up to MAX_PASSES
            # times) is garbage by now: its boxes go before this one makes as many.
            gc.collect()
        layouts += 1
        with _garbage_collection_paused():
            return HTML(string=html, base_url=str(STYLESHEET.parent), media_type="print").render(
                stylesheets=[stylesheet], font_config=fonts
            )

    document = paging.render(html, layout)
    with _garbage_collection_paused():
        return document.write_pdf()
