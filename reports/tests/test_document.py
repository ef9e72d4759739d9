import pytest

from measures.models import Measure, Progress, Round
from reports.document import COLUMNS, NOT_REPORTED, build_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def six_months(seed):
    return Round.objects.get(organization=seed.organization, kind=Round.Kind.SIX_MONTHS)


def test_title_block_and_intro_come_from_the_data(six_months):
    doc = build_document(six_months)
    assert doc.title == "รายงานการดำเนินการ"
    assert doc.subtitle == "ตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    assert doc.period_line == ("ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ รอบ ๖ เดือน (เดือนตุลาคม ๒๕๖๕ - มีนาคม ๒๕๖๖)")
    assert doc.intro_heading == (
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใสขององค์การบริหารส่วนจังหวัดอุบลราชธานี ประจำปีงบประมาณ พ.ศ. ๒๕๖๖"
    )
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๕ นำมาสู่ข้อเสนอแนะ" in doc.intro
    assert doc.columns == COLUMNS


def test_twelve_month_round_period(six_months):
    twelve = Round.objects.get(organization=six_months.organization, kind=12)
    assert build_document(twelve).period_line == (
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ รอบ ๑๒ เดือน (เดือนตุลาคม ๒๕๖๕ - กันยายน ๒๕๖๖)"
    )


def test_rows_follow_the_published_layout(six_months):
    rows = build_document(six_months).rows
    assert len(rows) == 8
    first, second, fifth = rows[0], rows[1], rows[4]
    assert (first.tool_line, first.indicator_line) == (
        "เครื่องมือการประเมิน OIT",
        "ตัวชี้วัดการเสริมสร้างวัฒนธรรมองค์กร",
    )
    # As in the original, the tool is printed on every row but the second, which
    # is another measure of the same indicator (OIT 10) as the first.
    assert [row.tool_line for row in rows] == [
        "เครื่องมือการประเมิน OIT",
        "",
        "เครื่องมือการประเมิน IIT",
        "เครื่องมือการประเมิน IIT",
        "เครื่องมือการประเมิน IIT",
        "เครื่องมือการประเมิน EIT",
        "เครื่องมือการประเมิน IIT",
        "เครื่องมือการประเมิน EIT",
    ]
    assert second.tool_line == ""
    assert first.divisions == ["กองการเจ้าหน้าที่"]
    assert fifth.divisions == [
        "- สำนักปลัดองค์การบริหารส่วนจังหวัด",
        "- หน่วยตรวจสอบภายใน",
        "- ทุกส่วนราชการ",
    ]
    assert first.steps[0].number == "๑."
    assert first.result == ["ดำเนินการแล้วเสร็จ เมื่อวันที่ ๑๘ เมษายน ๒๕๖๖"]
    assert fifth.steps[4].text.endswith("รอบ ๖ เดือนภายในเดือนเมษายน และรอบ ๑๒ เดือนภายในเดือนตุลาคม")


def test_arabic_digits_when_the_organization_chooses_them(six_months):
    six_months.organization.thai_digits = False
    six_months.organization.save()
    doc = build_document(Round.objects.get(pk=six_months.pk))
    assert doc.period_line == ("ประจำปีงบประมาณ พ.ศ. 2566 รอบ 6 เดือน (เดือนตุลาคม 2565 - มีนาคม 2566)")
    assert doc.rows[0].result == ["ดำเนินการแล้วเสร็จ เมื่อวันที่ 18 เมษายน 2566"]
    assert not any(ch in "๐๑๒๓๔๕๖๗๘๙" for row in doc.rows for s in row.steps for ch in s.text)


def test_measures_without_progress_say_so(six_months):
    twelve = Round.objects.get(organization=six_months.organization, kind=12)
    assert {tuple(r.result) for r in build_document(twelve).rows} == {(NOT_REPORTED,)}


def test_cannot_be_done_prints_the_reason(six_months):
    measure = Measure.objects.get(organization=six_months.organization, order=3)
    Progress.objects.filter(measure=measure, round=six_months).update(
        status=Progress.Status.CANNOT, completed_on=None, cannot_reason="งบประมาณไม่เพียงพอ"
    )
    row = build_document(six_months).rows[2]
    assert row.result == ["ไม่สามารถดำเนินการได้ เนื่องจากงบประมาณไม่เพียงพอ"]
