"""The seed report through real WeasyPrint, read back with pypdf."""

import pytest

from measures.models import Round
from measures.seed import read_seed
from reports.document import build_document
from reports.pdf import render_pdf
from reports.tests.pdftext import embedded_fonts, in_document_digits, pdf_text, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_pdf(seed):
    round_ = Round.objects.get(organization=seed.organization, kind=Round.Kind.SIX_MONTHS)
    return render_pdf(build_document(round_))


def test_every_step_and_result_extracts_exactly(seed_pdf):
    text = squash(pdf_text(seed_pdf))
    expected = [
        "รายงานการดำเนินการ",
        "ตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ รอบ ๖ เดือน (เดือนตุลาคม ๒๕๖๕ - มีนาคม ๒๕๖๖)",
        "องค์การบริหารส่วนจังหวัดอุบลราชธานี",
        "อำเภอเมืองอุบลราชธานี จังหวัดอุบลราชธานี",
    ]
    data = read_seed()
    for measure in data["measures"]:
        for step in measure["steps"]:
            expected.append(in_document_digits(f"{step['number']}. {step['text']}"))
            for item in step.get("items", []):
                expected.append(in_document_digits(f"{item['marker']} {item['text']}"))
        expected += [in_document_digits(line) for line in measure["monitoring"]]
    expected += [
        "ดำเนินการแล้วเสร็จ เมื่อวันที่ ๑๘ เมษายน ๒๕๖๖",
        "ดำเนินการแล้วเสร็จ เมื่อวันที่ ๓๐ มีนาคม ๒๕๖๖",
        "ดำเนินการแล้วเสร็จ เมื่อวันที่ ๑๓ มีนาคม ๒๕๖๖",
        "ดำเนินการแล้วเสร็จ เมื่อวันที่ ๓๑ มีนาคม ๒๕๖๖",
        "ดำเนินการแล้วเสร็จ เมื่อวันที่ ๒๔ มีนาคม ๒๕๖๖",
        "ดำเนินการแล้วเสร็จ เมื่อวันที่ ๒๗ มีนาคม ๒๕๖๖",
    ]
    missing = [line for line in expected if squash(line) not in text]
    assert missing == []
    # The target cells: tools as in the original (not on the second OIT measure).
    assert [text.count(f"เครื่องมือการประเมิน{tool}") for tool in ("OIT", "IIT", "EIT")] == [1, 4, 2]
    names = {
        (tool["code"], ind["number"]): ind["name"]
        for tool in data["catalogue"]
        for ind in tool["indicators"]
    }
    for measure in data["measures"]:
        label = measure["target"] or names[(measure["tool"], measure["indicator"])]
        assert squash(f"ตัวชี้วัด{label}") in text, label
    assert sum(len(m["steps"]) for m in data["measures"]) == 46


def test_only_sarabun_is_embedded(seed_pdf):
    fonts = embedded_fonts(seed_pdf)
    assert fonts, "no fonts found"
    assert all(name.split("+")[-1].startswith("Sarabun") for name in fonts), fonts


def test_pages_are_numbered_in_the_documents_digits(seed_pdf):
    text = squash(pdf_text(seed_pdf))
    assert "หน้า๑/" in text
    assert "หน้า1/" not in text


def test_pdf_is_a4_landscape(seed_pdf):
    from io import BytesIO

    from pypdf import PdfReader

    box = PdfReader(BytesIO(seed_pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_sara_am_pasted_as_two_characters_still_extracts_exactly(seed):
    # Text pasted from old PDFs often has ํ + า for ำ; coming first in the
    # document it used to turn every later ดำเนินการ into ดําเนินการ.
    from measures.models import Measure

    step = Measure.objects.get(organization=seed.organization, order=1).steps.get(number=1)
    step.text = "จัดท\u0e4d\u0e32ประมวลจริยธรรมส\u0e4d\u0e32หรับเจ้าหน้าที่"
    step.save()
    round_ = Round.objects.get(organization=seed.organization, kind=Round.Kind.SIX_MONTHS)
    text = squash(pdf_text(render_pdf(build_document(round_))))
    assert "จัดทำประมวลจริยธรรมสำหรับเจ้าหน้าที่" in text
    assert "ดำเนินการแล้วเสร็จเมื่อวันที่๑๘เมษายน๒๕๖๖" in text
    assert "\u0e4d" not in text
