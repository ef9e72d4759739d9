"""What a reader sees on the PDF's pages (issue 21), read from the real PDF: its text
(pypdf), its pages as pictures (poppler's pdftoppm) and WeasyPrint's own layout of it.

- A draft says "ฉบับร่าง" with the time it was made on every page; a published PDF
  nowhere, and the report page says so until the report is published.
- The table is closed by a rule at every page foot, also where a measure continues,
  and long measures fill the page before they continue.
- The header's names break between words, the deadline column's on two lines.
"""

import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from weasyprint.formatting_structure import boxes

from demo.generate import generate_measures
from measures.models import Round
from organizations.models import Division, Organization
from reports.document import build_document, draft_mark
from reports.pdf import drafts
from reports.pdf.render import lay_out, render_pdf, report_html
from reports.services import publish_round
from testing.pages import visible_text
from testing.pdftext import page_texts, squash

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

DPI = 50
DARK = 160  # a pixel this dark or darker is ink
MM = DPI / 25.4
# The page's margins (static/css/report.css): the table runs between them.
LEFT, RIGHT, TOP, BOTTOM = 12 * MM, 12 * MM, 14 * MM, 16 * MM


def pictures(pdf: bytes, folder: Path) -> list[Image.Image]:
    (folder / "report.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", str(folder / "report.pdf"), str(folder / "page")],
        check=True,
    )
    pages = []
    for path in sorted(folder.glob("page-*.pgm")):
        with Image.open(path) as page:
            pages.append(page.copy())
    return pages


def table_foot(page: Image.Image) -> tuple[float, float]:
    """Where the table ends on a page: the share of the table's width its bottom line
    covers (1: closed by a rule), and the share of the page's height for content left
    blank under it."""
    width, height = page.size
    ink = page.load()
    # The table's left border: the column near the left margin with the most ink.
    edge = max(
        range(int(LEFT - 4 * MM), int(LEFT + 8 * MM)),
        key=lambda x: sum(ink[x, y] < DARK for y in range(height)),
    )
    bottom = max(y for y in range(height) if ink[edge, y] < DARK)
    right = int(width - RIGHT)
    ruled = sum(ink[x, bottom] < DARK or ink[x, bottom - 1] < DARK for x in range(edge, right)) / (
        right - edge
    )
    foot = height - BOTTOM
    return ruled, (foot - bottom) / (foot - TOP)


@pytest.fixture
def long_round(six):
    """20 measures like the seed's, about 25 pages."""
    organization = Organization.objects.create(slug="long-report", name="หน่วยงานรายงานยาว")
    Division.objects.create(organization=organization, name="กองทดสอบหนึ่ง")
    Division.objects.create(organization=organization, name="กองทดสอบสอง")
    round_ = Round.objects.create(organization=organization, fiscal_year=six.fiscal_year, kind=6)
    generate_measures(round_, 20, like=six)
    return round_


def test_every_page_of_a_draft_says_so_with_the_time_it_was_made(six):
    before = timezone.now()
    draft = drafts.make(six)
    after = timezone.now()
    with drafts.open_stored(draft) as stored:
        pdf = stored.read()
    marks = {squash(draft_mark(when, six.organization.thai_digits)) for when in (before, after)}
    pages = [squash(text) for text in page_texts(pdf)]
    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        assert any(mark in page for mark in marks), (number, page[:120])
    assert re.search(r"ฉบับร่างจัดทำเมื่อ.+เวลา.+น\.", pages[0])
    # Asked for again unchanged: the same stored draft, with the time it was made.
    assert drafts.make(six).name == draft.name
    with drafts.open_stored(draft) as stored:
        assert stored.read() == pdf


@pytest.mark.django_db(transaction=True)
def test_a_published_pdf_carries_no_draft_mark_and_the_page_says_draft_until_then(
    six, coordinator, coordinator_client
):
    page = reverse("reports:page", args=["ubon-pao", 2566, 6])
    assert "ฉบับร่าง ยังไม่ได้เผยแพร่" in visible_text(coordinator_client.get(page))
    drafts.make(six)  # someone looked at the draft first
    report = publish_round(round_=six, user=coordinator)
    with report.pdf.open("rb") as stored:
        text = "".join(page_texts(stored.read()))
    assert "ฉบับร่าง" not in squash(text)
    assert "ฉบับร่าง ยังไม่ได้เผยแพร่" not in visible_text(coordinator_client.get(page))


@pytest.mark.parametrize("report", ["six", "long_round"])
def test_the_table_is_closed_at_every_page_foot_and_fills_the_page(report, request, tmp_path):
    """A measure that does not fit fills the page and continues on the next: what is
    left blank under the table is never more than the head of a measure that could
    not start there (its tool and indicator, or its first step whole), or the last
    lines that go over to the signatures' page; the published original's pages run
    full the same way."""
    pdf = render_pdf(build_document(request.getfixturevalue(report)))
    pages = pictures(pdf, tmp_path)
    for number, page in enumerate(pages[1:], start=2):  # the cover has no table
        ruled, blank = table_foot(page)
        assert ruled > 0.95, f"page {number}: the table is left open at its foot"
        if number < len(pages):
            assert blank < 0.2, f"page {number}: {blank:.0%} of the page left blank"


def header_lines(doc) -> list[list[str]]:
    """The lines of each header cell, as WeasyPrint laid out the PDF's first body page."""
    page = lay_out(report_html(doc)).pages[1]._page_box
    cells, stack = [], [page]
    while stack:
        box = stack.pop()
        if isinstance(box, boxes.TableCellBox) and box.element.tag == "th":
            cells.append(box)
        elif isinstance(box, boxes.ParentBox):
            stack.extend(box.children)
    cells.sort(key=lambda cell: cell.position_x)
    return [[_text(line) for line in _lines(cell)] for cell in cells]


def _lines(box):
    if isinstance(box, boxes.LineBox):
        yield box
    elif isinstance(box, boxes.ParentBox):
        for child in box.children:
            yield from _lines(child)


def _text(box) -> str:
    if isinstance(box, boxes.TextBox):
        return box.text
    return "".join(_text(child) for child in getattr(box, "children", ()))


def test_the_header_breaks_between_words(six):
    doc = build_document(six)
    assert not doc.has_deadlines  # the seed's measures have none
    lines = header_lines(doc)
    assert lines[5] == ["ผลการ", "ดำเนินการ"]
    assert lines[4] == ["กำหนดเวลา", "แล้วเสร็จ"]
