"""The seed report through real WeasyPrint, read back with pypdf and pdftotext."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from demo.seed import load_report_data, read_seed
from measures.models import Measure, Round
from progress.models import Evidence, Progress
from reports.document import build_document
from reports.pdf.render import render_pdf
from testing.forms import built_and_rolled_back
from testing.pdftext import embedded_fonts, page_texts, pdf_text, pdftotext_raw, squash

pytestmark = pytest.mark.django_db

# The five steps of the published original that carry digits, as it prints them:
# typed in Arabic digits, kept so however the agency sets its document's digits.
ORIGINAL_STEP_DIGITS = [
    "ของหน่วยงานภาครัฐ ในปี พ.ศ. 2565",
    "ความโปร่งใสภายในหน่วยงาน ตามข้อ 42 ไปสู่การปฏิบัติอย่างเป็นรูปธรรม",
    "แจ้งเวียนแผนการใช้จ่ายงบประมาณประจำปี พ.ศ. 2566 ความคืบหน้า",
    "ไม่น้อยกว่าร้อยละ 80 ของจำนวนโครงการ/กิจกรรม",
    "รอบ 6 เดือนภายในเดือนเมษายน และรอบ 12 เดือนภายในเดือนตุลาคม",
]


@pytest.fixture(scope="module")
def seed_pdf(django_db_setup, django_db_blocker) -> bytes:
    """The seed's report as a PDF, rendered once for the tests that only read it."""

    def render():
        seed = load_report_data(read_seed())
        six = Round.objects.get(organization=seed.organization, kind=Round.Kind.SIX_MONTHS)
        return render_pdf(build_document(six))

    return built_and_rolled_back(django_db_blocker, render)


def item_lines(items) -> list[str]:
    lines = []
    for item in items:
        lines.append(f"{item['marker']} {item['text']}")
        lines += item_lines(item.get("items", []))
    return lines


def seed_texts() -> list[str]:
    """Every step (with its number), sub-item and monitoring line of the seed."""
    texts = []
    for measure in read_seed()["measures"]:
        for step in measure["steps"]:
            texts.append(f"{step['number']}. {step['text']}")
            texts += item_lines(step.get("items", []))
        texts += measure["monitoring"]
    return texts


def test_every_text_of_the_seed_extracts_exactly_as_in_the_original(seed_pdf):
    expected = [
        "รายงานการดำเนินการ",
        "ตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        # The cover in Thai digits, the body as typed, as the original prints them.
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ รอบ ๖ เดือน (เดือนตุลาคม ๒๕๖๕ - มีนาคม ๒๕๖๖)",
        "องค์การบริหารส่วนจังหวัดอุบลราชธานี",
        "อำเภอเมืองอุบลราชธานี จังหวัดอุบลราชธานี",
        *seed_texts(),
        *ORIGINAL_STEP_DIGITS,
        "ดำเนินการแล้วเสร็จ เมื่อวันที่ 18 เมษายน 2566",
        "ดำเนินการแล้วเสร็จ เมื่อวันที่ 30 มีนาคม 2566",
        "ดำเนินการแล้วเสร็จ เมื่อวันที่ 13 มีนาคม 2566",
        "ดำเนินการแล้วเสร็จ เมื่อวันที่ 31 มีนาคม 2566",
        "ดำเนินการแล้วเสร็จ เมื่อวันที่ 24 มีนาคม 2566",
        "ดำเนินการแล้วเสร็จ เมื่อวันที่ 27 มีนาคม 2566",
    ]
    for reading in (pdf_text(seed_pdf), pdftotext_raw(seed_pdf)):
        text = squash(reading)
        missing = [line for line in expected if squash(line) not in text]
        assert missing == []
        # No typed digit was turned into a Thai one in the body, page numbers included.
        body = text[text.index(squash("มาตรการส่งเสริมคุณธรรมและความโปร่งใสของ")) :]
        assert not set("๐๑๒๓๔๕๖๗๘๙") & set(body)
    text = squash(pdf_text(seed_pdf))
    data = read_seed()
    names = {
        (tool["code"], ind["number"]): ind["name"]
        for tool in data["catalogue"]
        for ind in tool["indicators"]
    }
    for measure in data["measures"]:
        label = measure["target"] or names[(measure["tool"], measure["indicator"])]
        assert squash(f"ตัวชี้วัด{label}") in text, label
    assert sum(len(m["steps"]) for m in data["measures"]) == 46


def test_typed_text_keeps_its_digits_when_the_organization_writes_thai_digits(six):
    organization = six.organization
    organization.thai_digits = True
    organization.save()
    step = Measure.objects.get(organization=organization, order=1).steps.get(number=1)
    step.text = "จัดทำคู่มือตามมาตรฐาน ISO 9001:2015 เผยแพร่ที่ https://www.ubonpao.go.th/ita/o36"
    step.save()
    text = squash(pdf_text(render_pdf(build_document(Round.objects.get(pk=six.pk)))))
    assert squash(f"๑. {step.text}") in text
    assert squash("๒. การจัดตั้งทีมให้คำปรึกษา") in text
    assert squash("ดำเนินการแล้วเสร็จ เมื่อวันที่ ๑๘ เมษายน ๒๕๖๖") in text
    for original in ORIGINAL_STEP_DIGITS:
        assert squash(original) in text
    assert "หน้า๒/" in text


def test_evidence_links_print_as_links_in_the_result_column(six):
    progress = Progress.objects.get(measure__order=1, round=six)
    Evidence.objects.create(
        progress=progress, url="https://www.ubonpao.go.th/ita/o36", title="ประมวลจริยธรรม"
    )
    pdf = render_pdf(build_document(six))
    assert squash("ประมวลจริยธรรม https://www.ubonpao.go.th/ita/o36") in squash(pdf_text(pdf))
    uris = [
        annotation.get_object()["/A"]["/URI"]
        for page in PdfReader(BytesIO(pdf)).pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    assert "https://www.ubonpao.go.th/ita/o36" in uris


def test_only_sarabun_is_embedded(seed_pdf):
    fonts = embedded_fonts(seed_pdf)
    assert fonts, "no fonts found"
    assert all(name.split("+")[-1].startswith("Sarabun") for name in fonts), fonts


def test_pages_are_numbered_in_the_documents_digits_except_the_cover(seed_pdf):
    pages = [squash(text) for text in page_texts(seed_pdf)]
    assert "หน้า" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert page.endswith(f"หน้า{number}/{len(pages)}"), number


def test_pdf_is_a4_landscape(seed_pdf):
    box = PdfReader(BytesIO(seed_pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_sara_am_pasted_as_two_characters_still_extracts_exactly(six):
    # Text pasted from old PDFs often has ํ + า for ำ; coming first in the
    # document it used to turn every later ดำเนินการ into ดําเนินการ.
    step = Measure.objects.get(organization=six.organization, order=1).steps.get(number=1)
    step.text = "จัดท\u0e4d\u0e32ประมวลจริยธรรมส\u0e4d\u0e32หรับเจ้าหน้าที่"
    step.save()
    text = squash(pdf_text(render_pdf(build_document(six))))
    assert "จัดทำประมวลจริยธรรมสำหรับเจ้าหน้าที่" in text
    assert "ดำเนินการแล้วเสร็จเมื่อวันที่18เมษายน2566" in text
    assert "\u0e4d" not in text
