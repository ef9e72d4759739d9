"""The domain's compound words are not split at line ends in the report (issue 21:
หน่วย|งาน, ผู้|รับผิดชอบ, ให้|บริการ, ปฏิบัติ|งาน), and the text still extracts
exactly: the seed report through real WeasyPrint, read back with pdftotext -raw,
which keeps the PDF's lines."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reports.document import build_document
from reports.pdf.render import render_pdf
from reports.tests.test_pdf import seed_texts
from testing.pdftext import pdftotext_raw, squash
from thai import words
from thai.words import COMPOUNDS

pytestmark = pytest.mark.django_db


def split_compounds(text: str) -> list[tuple[str, str, str]]:
    """(compound, end of a line, start of the next) where a line ends inside one."""
    lines = [line.strip() for line in text.splitlines()]
    found = []
    for before, after in zip(lines, lines[1:], strict=False):
        for word in COMPOUNDS:
            for cut in range(1, len(word)):
                if before.endswith(word[:cut]) and after.startswith(word[cut:]):
                    found.append((word, before[-12:], after[:12]))
    return found


def pages(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


def test_compounds_stay_whole_at_line_ends_and_the_text_extracts_exactly(six, monkeypatch):
    pdf = render_pdf(build_document(six))
    text = pdftotext_raw(pdf)
    assert split_compounds(text) == []
    squashed = squash(text)
    assert [line for line in seed_texts() if squash(line) not in squashed] == []
    # The same report with no compound kept whole (the filter matching nothing): the
    # dictionary's breaks split some of them, and keeping them costs at most a page.
    monkeypatch.setattr(words, "_COMPOUND", re.compile(r"(?!)"))
    plain = render_pdf(build_document(six))
    assert split_compounds(pdftotext_raw(plain)) != []
    assert pages(plain) <= pages(pdf) <= pages(plain) + 1


def test_the_report_page_keeps_them_whole_too(coordinator_client, six):
    page = coordinator_client.get(reverse("reports:page", args=["ubon-pao", 2566, 6]))
    html = page.content.decode()
    assert '<span class="kw">หน่วยงาน</span>' in html
    assert '<span class="kw">ผู้รับผิดชอบ</span>' in html
    # What the page reads is the text as typed.
    assert "เจ้าหน้าที่ผู้รับผิดชอบรายงานผลการดำเนินการให้ผู้บริหารทราบ" in re.sub(r"<[^>]+>", "", html)
