"""Render a report document to PDF with WeasyPrint, using only the shipped fonts.

One WeasyPrint layout, in which reports.pdf.paging decides the labels and breaks
(a second one in the rare report whose signatures would stand alone), then the PDF.
The cyclic garbage collector is kept off WeasyPrint's boxes while it works
(docs/benchmarks.md).
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration

from reports.document import NOT_REPORTED, ReportDocument, draft_mark
from reports.pdf import paging, thai_breaks  # noqa: F401 (WeasyPrint's line breaks)

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


def report_html(doc: ReportDocument, drafted_at: datetime | None = None) -> str:
    """The HTML that WeasyPrint lays out: with the stylesheet and the fonts, all that
    the PDF is made from (reports.pdf.drafts hashes it). A draft's (`drafted_at`: when
    it is made) says so on every page, with that time."""
    mark = draft_mark(drafted_at, doc.thai_digits) if drafted_at else ""
    return render_to_string(
        "reports/report_pdf.html", {"doc": doc, "not_reported": NOT_REPORTED, "draft_mark": mark}
    )


def render_pdf(doc: ReportDocument, drafted_at: datetime | None = None) -> bytes:
    return html_to_pdf(report_html(doc, drafted_at))


def html_to_pdf(html: str) -> bytes:
    """The PDF of a document's HTML (a report's, laid out by reports.pdf.paging)."""
    with _older_objects_frozen(), _garbage_collection_paused():
        return lay_out(html).write_pdf()


def lay_out(html: str) -> Document:
    """The document laid out, its pages as WeasyPrint made them."""
    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts, media_type="print")

    def layout(sign_offs_height: float | None = None) -> Document:
        parsed = HTML(string=html, base_url=str(STYLESHEET.parent), media_type="print")
        with paging.paged(parsed.etree_element, sign_offs_height):
            return parsed.render(stylesheets=[stylesheet], font_config=fonts)

    document = layout()
    sign_offs_height = paging.sign_offs_alone(document)
    if sign_offs_height is not None:
        document = layout(sign_offs_height)
    return document


@contextmanager
def _older_objects_frozen() -> Iterator[None]:
    """The objects that were there before the render (Django, the loaded modules)
    left out of the collections that follow it: each then looks at what the renders
    made only (docs/benchmarks.md). Garbage is collected first: frozen, it
    would stay for the render, and a render's garbage is all cycles (boxes, styles).

    The first render of a process collects and freezes; the objects stay frozen for
    the life of the process (a worker child lives CELERY_WORKER_MAX_TASKS_PER_CHILD
    jobs): a full collection of Django's objects before every render cost a tenth of
    the seed's render (0.14 s). What a render leaves is younger than the freeze and is
    collected as usual; an object alive at the freeze that later dies is still freed
    by its reference count, unless it is in a cycle (a few objects, once)."""
    if not gc.get_freeze_count():
        # Nobody froze objects before (a server may, before forking).
        gc.collect()
        gc.freeze()
    yield
