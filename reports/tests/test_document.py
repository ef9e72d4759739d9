from datetime import date

import pytest

from measures.models import Measure, Round
from progress.models import Evidence, Progress, ReviewState
from reports.document import (
    COLUMNS,
    DETAIL_NOTE,
    NOT_REPORTED,
    RESULT_COLUMN_CHARS,
    LinkView,
    build_document,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def six_months(seed):
    return Round.objects.get(organization=seed.organization, kind=Round.Kind.SIX_MONTHS)


def reloaded(round_: Round) -> Round:
    return Round.objects.select_related("organization", "fiscal_year").get(pk=round_.pk)


def set_digits(round_: Round, *, cover: bool, body: bool) -> Round:
    organization = round_.organization
    organization.cover_thai_digits, organization.thai_digits = cover, body
    organization.save()
    return reloaded(round_)


def test_title_block_and_intro_read_like_the_original(six_months):
    # The published original: Thai digits on the cover, the body as typed (Arabic).
    doc = build_document(six_months)
    assert doc.title == "รายงานการดำเนินการ"
    assert doc.subtitle == "ตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    assert doc.period_line == ("ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ รอบ ๖ เดือน (เดือนตุลาคม ๒๕๖๕ - มีนาคม ๒๕๖๖)")
    assert doc.intro_heading == (
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใสขององค์การบริหารส่วนจังหวัดอุบลราชธานี ประจำปีงบประมาณ พ.ศ. 2566"
    )
    assert "ประจำปีงบประมาณ พ.ศ. 2565 นำมาสู่ข้อเสนอแนะ" in doc.intro
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
    assert second.tool_line == "" and second.tool_name == "เครื่องมือการประเมิน OIT"
    assert first.divisions == ["กองการเจ้าหน้าที่"]
    assert fifth.divisions == [
        "- สำนักปลัดองค์การบริหารส่วนจังหวัด",
        "- หน่วยตรวจสอบภายใน",
        "- ทุกส่วนราชการ",
    ]
    assert first.steps[0].number == "1."
    assert first.result == ["ดำเนินการแล้วเสร็จ เมื่อวันที่ 18 เมษายน 2566"]
    assert "ไม่น้อยกว่าร้อยละ 80 ของจำนวนโครงการ/กิจกรรม" in fifth.steps[1].text
    assert fifth.steps[4].text.endswith("รอบ 6 เดือนภายในเดือนเมษายน และรอบ 12 เดือนภายในเดือนตุลาคม")


def test_typed_text_keeps_its_digits_whatever_the_organization_chooses(six_months):
    measure = Measure.objects.get(organization=six_months.organization, order=1)
    measure.target = "ระบบ ISO 9001:2015"
    measure.monitoring = "1. รายงานผล โทร 045-123456\n2. ผู้บริหารกำกับติดตาม"
    measure.deadline = date(2023, 3, 31)
    measure.save()
    step = measure.steps.get(number=1)
    step.text = "เผยแพร่ที่ https://www.ubonpao.go.th/ita/o36 ร้อยละ ๘๐"
    step.save()
    progress = Progress.objects.get(measure=measure, round=six_months)
    progress.result_text = "ผู้เข้าร่วม 120 คน (ร้อยละ ๘๐)"
    progress.save()

    for cover, body in [(True, True), (False, False), (True, False), (False, True)]:
        row = build_document(set_digits(six_months, cover=cover, body=body)).rows[0]
        assert row.indicator_line == "ตัวชี้วัดระบบ ISO 9001:2015"
        assert row.steps[0].text == "เผยแพร่ที่ https://www.ubonpao.go.th/ita/o36 ร้อยละ ๘๐"
        assert row.monitoring == ["1. รายงานผล โทร 045-123456", "2. ผู้บริหารกำกับติดตาม"]
        assert row.result[1] == "ผู้เข้าร่วม 120 คน (ร้อยละ ๘๐)"

    # The numbers the portal writes follow the choices, each part its own.
    doc = build_document(set_digits(six_months, cover=False, body=True))
    row = doc.rows[0]
    assert doc.period_line.startswith("ประจำปีงบประมาณ พ.ศ. 2566 รอบ 6 เดือน")
    assert doc.intro_heading.endswith("พ.ศ. ๒๕๖๖")
    assert [step.number for step in row.steps[:2]] == ["๑.", "๒."]
    assert row.deadline == "๓๑ มีนาคม ๒๕๖๖"
    assert row.result[0] == "ดำเนินการแล้วเสร็จ เมื่อวันที่ ๑๘ เมษายน ๒๕๖๖"
    doc = build_document(set_digits(six_months, cover=True, body=False))
    assert doc.period_line.startswith("ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ รอบ ๖ เดือน")
    assert (doc.rows[0].steps[0].number, doc.rows[0].deadline) == ("1.", "31 มีนาคม 2566")


def test_measures_without_progress_say_so(six_months):
    twelve = Round.objects.get(organization=six_months.organization, kind=12)
    assert {tuple(r.result) for r in build_document(twelve).rows} == {(NOT_REPORTED,)}


def test_cannot_be_done_prints_the_reason_as_typed(six_months):
    set_digits(six_months, cover=True, body=True)
    measure = Measure.objects.get(organization=six_months.organization, order=3)
    Progress.objects.filter(measure=measure, round=six_months).update(
        status=Progress.Status.CANNOT, completed_on=None, cannot_reason="งบประมาณ 2566 ไม่เพียงพอ"
    )
    row = build_document(reloaded(six_months)).rows[2]
    assert row.result == ["ไม่สามารถดำเนินการได้ เนื่องจากงบประมาณ 2566 ไม่เพียงพอ"]


def add_link(round_: Round, order: int, url: str, title: str = "") -> Evidence:
    progress = Progress.objects.get(measure__organization=round_.organization, measure__order=order)
    return Evidence.objects.create(progress=progress, url=url, title=title)


def test_evidence_links_are_printed_beside_the_result_when_the_organization_chooses(
    six_months,
):
    add_link(six_months, 1, "https://www.ubonpao.go.th/ita/o36", "ประมวลจริยธรรม")
    add_link(six_months, 1, "https://www.ubonpao.go.th/ita/o37")
    row = build_document(six_months).rows[0]
    assert row.links == [
        LinkView("ประมวลจริยธรรม", "https://www.ubonpao.go.th/ita/o36"),
        LinkView("", "https://www.ubonpao.go.th/ita/o37"),
    ]
    assert not row.has_detail
    assert build_document(six_months).rows[1].links == []

    six_months.organization.show_evidence_links = False
    six_months.organization.save()
    assert build_document(reloaded(six_months)).rows[0].links == []


def test_a_long_result_goes_to_a_full_width_row_under_its_measure(six_months):
    progress = Progress.objects.get(measure__order=2, round=six_months)
    paragraph = "จัดประชุมชี้แจงแนวทางให้บุคลากรทุกส่วนราชการรับทราบ มีผู้เข้าร่วม 120 คน "
    progress.result_text = "\n".join([paragraph * 3] * 20)
    progress.save()
    add_link(six_months, 2, "https://www.ubonpao.go.th/ita/o36")
    assert len(progress.result_text) > RESULT_COLUMN_CHARS
    row = build_document(six_months).rows[1]
    assert row.result == ["ดำเนินการแล้วเสร็จ เมื่อวันที่ 30 มีนาคม 2566", DETAIL_NOTE]
    assert row.detail == [paragraph * 3] * 20  # as typed
    assert row.detail_links == [LinkView("", "https://www.ubonpao.go.th/ita/o36")]
    assert row.links == [] and row.has_detail


def test_unapproved_results_are_grouped_by_where_they_stand(six_months):
    states = {3: ReviewState.DRAFT, 5: ReviewState.SUBMITTED, 6: ReviewState.RETURNED}
    for order, state in states.items():
        Progress.objects.filter(measure__order=order, round=six_months).update(review_state=state)
    Progress.objects.filter(measure__order=8, round=six_months).delete()
    doc = build_document(six_months)
    assert [row.order for row in doc.unapproved] == [3, 5, 6, 8]
    assert [(label, [row.order for row in rows]) for label, rows in doc.unapproved_by_state] == [
        ("รอผู้ประสานงานตรวจ", [5]),
        ("ฉบับร่าง เจ้าหน้าที่ยังไม่ได้ส่ง", [3]),
        ("ส่งกลับให้แก้ไข", [6]),
        ("ยังไม่ได้รายงานผล", [8]),
    ]
