"""The analysis keeps the domain's compound words whole at line ends, as the report
does (issue 21, thai.words): its PDF through real WeasyPrint, read back with
pdftotext -raw (which keeps the PDF's lines), and its page's HTML."""

import re

import pytest
from django.urls import reverse

from analysis.document import build_view
from analysis.selectors import build_analysis
from analysis.services import analysis_html, save_note
from analysis.tests.conftest import EIT6, OIT10
from catalogue.models import FiscalYear
from reports.pdf.render import html_to_pdf
from reports.tests.test_pdf_words import pages, split_compounds
from testing.pdftext import pdftotext_raw, squash
from thai import words

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

# What a coordinator writes on a weak point: the domain's words, in lines that each
# end somewhere else on the page (a line of the PDF holds some 120 letters).
PHRASES = [
    "เจ้าหน้าที่ผู้รับผิดชอบของหน่วยงานยังไม่ได้เผยแพร่ข้อมูลบนเว็บไซต์",
    "ผู้บริหารกำกับติดตามการปฏิบัติงานของบุคลากรทุกส่วนราชการ",
    "การให้บริการประชาชนมีประสิทธิภาพน้อยกว่าที่หน่วยงานกำหนด",
    "ผู้ประสานงานดำเนินการประชาสัมพันธ์ช่องทางร้องเรียน",
    "ผู้บังคับบัญชามอบหมายการปฏิบัติหน้าที่ให้ชัดเจน",
    "หน่วยงานจัดสรรงบประมาณเพื่อพัฒนาบุคลากรให้เจ้าหน้าที่",
    "ป้องกันการใช้ตำแหน่งหน้าที่เพื่อผลประโยชน์ส่วนตน",
]
FOUND = "\n".join(
    f"{n}) " + "".join(PHRASES[n % len(PHRASES) :] + PHRASES[: n % len(PHRASES)])
    for n in range(1, 8)
)
PROPOSED = "\n".join(f"{n}) " + " ".join(reversed(PHRASES[n:] + PHRASES[:n])) for n in range(1, 8))


@pytest.fixture
def written(scored, org, coordinator):
    fy = FiscalYear.objects.get(year=2566)
    for key in (EIT6, OIT10):
        save_note(
            organization=org,
            fiscal_year=fy,
            user=coordinator,
            key=key,
            found=FOUND,
            proposed=PROPOSED,
            seen_version=0,
        )
    return fy


def _pdf(org, fy) -> bytes:
    return html_to_pdf(analysis_html(build_view(build_analysis(org, fy))))


def test_compounds_stay_whole_at_line_ends_and_the_text_extracts_exactly(written, org, monkeypatch):
    pdf = _pdf(org, written)
    text = pdftotext_raw(pdf)
    assert split_compounds(text) == []
    squashed = squash(text)
    for line in [*FOUND.splitlines(), *PROPOSED.splitlines(), "ค่าเป้าหมายของหน่วยงาน 85.00"]:
        assert squash(line) in squashed, line
    # The same analysis with no compound kept whole: the dictionary's breaks split
    # some, and keeping them costs at most a page (as in the report).
    monkeypatch.setattr(words, "_COMPOUND", re.compile(r"(?!)"))
    plain = _pdf(org, written)
    assert split_compounds(pdftotext_raw(plain)) != []
    assert pages(plain) <= pages(pdf) <= pages(plain) + 1


def test_the_analysis_page_keeps_them_whole_too(coordinator_client, written):
    page = coordinator_client.get(reverse("analysis:page", args=["ubon-pao", 2566]))
    html = page.content.decode()
    sheet = html[html.index('<article class="ita-report ita-analysis"') :]
    assert '<span class="kw">ผู้รับผิดชอบ</span>' in sheet  # a free text
    assert '<span class="kw">หน่วยงาน</span>' in sheet  # the summary, the title
    # What the page reads is the text as typed.
    assert PROPOSED.splitlines()[0] in re.sub(r"<[^>]+>", "", sheet)
