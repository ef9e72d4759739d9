"""Every page of the PDF reads on its own (reports.pdf.paging), through real WeasyPrint,
read back page by page with pypdf in the order the page is drawn: the header row,
then each row's cells from the first column on."""

from dataclasses import replace

import pytest
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from measures.models import Round
from progress.models import Progress
from reports.document import COLUMNS, build_document
from reports.pdf import render as pdf
from reports.pdf.render import STYLESHEET, render_pdf
from testing.pdftext import page_texts, squash

pytestmark = pytest.mark.django_db

HEADER = squash("".join(COLUMNS))
# A realistic long result: 5,300 characters in paragraphs with dates, figures and links.
PARAGRAPH = (
    "จัดประชุมชี้แจงแนวทางการดำเนินงานตามมาตรการให้บุคลากรทุกส่วนราชการรับทราบ "
    "เมื่อวันที่ 15 มีนาคม 2566 มีผู้เข้าร่วม 120 คน คิดเป็นร้อยละ 80 ของบุคลากรทั้งหมด "
    "และเผยแพร่ผลการดำเนินงานทางเว็บไซต์ของหน่วยงาน https://www.ubonpao.go.th/ita/o36 "
    "พร้อมรายงานผู้บริหารทราบตามลำดับ"
)
LONG_RESULT = "\n".join([PARAGRAPH] * 40)[:5300]


@pytest.fixture
def long_result(six):
    """Measure 2's result: 5,300 characters."""
    progress = Progress.objects.get(measure__order=2, round=six)
    progress.result_text = LONG_RESULT
    progress.save()
    return six


def pages_of(round_: Round) -> tuple[list[str], object]:
    doc = build_document(round_)
    return [squash(text) for text in page_texts(render_pdf(doc))], doc


def assert_each_page_reads_on_its_own(pages: list[str], doc) -> None:
    assert "หน้า" not in pages[0], "the cover carries a page number"
    for number, page in enumerate(pages[1:], start=2):
        assert page.endswith(f"หน้า{number}/{len(pages)}"), number
        assert HEADER in page, f"page {number} has no header row"
        rows = page[page.index(HEADER) + len(HEADER) :]
        # The first row on the page, new or continued, opens with its tool and indicator.
        assert rows.startswith("เครื่องมือการประเมิน"), f"page {number} opens with {rows[:80]}"
    for row in doc.rows:
        label = squash(f"{row.tool_line}{row.indicator_line}")
        first_step = squash(f"{row.steps[0].number} {row.steps[0].text}")
        # The measure starts with its tool and indicator beside its whole first step.
        page = next(page for page in pages if first_step in page)
        assert label in page[: page.index(first_step)], row.order


def test_the_seed_pdf_pages_read_on_their_own(six):
    pages, doc = pages_of(six)
    assert_each_page_reads_on_its_own(pages, doc)
    # The signatures are not alone on the last page.
    assert pages[-1].index(HEADER) < pages[-1].index("(ลงชื่อ)")


def test_a_long_result_wraps_across_pages_under_the_header(long_result):
    pages, doc = pages_of(long_result)
    assert_each_page_reads_on_its_own(pages, doc)
    text = "".join(pages)
    # Every paragraph is printed, in a full-width row under the measure...
    assert text.count(squash(PARAGRAPH)) == LONG_RESULT.count(PARAGRAPH)
    # ...so the report grows by a few pages, not by the 17 of the narrow column.
    assert len(pages) <= 16
    # The pages the result runs over say whose result it is.
    label = squash("ตัวชี้วัดมาตรการส่งเสริมความโปร่งใสและป้องกันการทุจริต")
    assert all(label in page for page in pages if squash(PARAGRAPH[:60]) in page)


@pytest.mark.parametrize("report", ["six", "long_result"])
def test_a_report_is_laid_out_once(report, request, monkeypatch):
    """The labels and breaks are decided in WeasyPrint's one layout (reports.pdf.paging);
    the seed's signatures, which a layout without them would leave alone on a page of
    their own, are kept with the last measure in that same layout."""
    layouts = []
    render = HTML.render

    def counted(self, *args, **kwargs):
        layouts.append(self)
        return render(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "render", counted)
    pages, _ = pages_of(request.getfixturevalue(report))
    assert len(layouts) == 1
    assert pages[-1].index(HEADER) < pages[-1].index("(ลงชื่อ)")


def test_a_report_whose_rows_fit_their_pages_is_weasyprints_own_render(six):
    """Where no row continues on another page, the paging adds nothing: the PDF is the
    one WeasyPrint makes of the same HTML with the continuation labels hidden."""
    doc = build_document(six)
    short = [
        replace(row, steps=[replace(row.steps[0], items=[])], detail=[], detail_links=[])
        for row in doc.rows[:1]
    ]
    html = pdf.report_html(replace(doc, rows=short))
    ours = pdf.html_to_pdf(html)
    assert len(page_texts(ours)) == 2  # the cover, and the table with the signatures

    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts, media_type="print")
    unpaged = html.replace(' paged"', '"')
    assert unpaged != html
    weasyprint_s = (
        HTML(string=unpaged, base_url=str(STYLESHEET.parent), media_type="print")
        .render(stylesheets=[stylesheet], font_config=fonts)
        .write_pdf()
    )
    assert page_texts(ours) == page_texts(weasyprint_s)
    assert ours == weasyprint_s
