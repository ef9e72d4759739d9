"""The memo and the form of an approved version: real WeasyPrint, read back as text."""

import hashlib

import pytest

from measures.models import Round
from organizations.access import SYSTEM
from paperwork import services
from paperwork.models import Paperwork
from paperwork.tests.conftest import APPROVED, REQUESTED, publish_stand_in
from testing.factories import RoundFactory
from testing.pdftext import embedded_fonts, pdf_text, squash

pytestmark = pytest.mark.django_db


def generate(version, coordinator, executive, **extra):
    return services.generate_for_approval(
        report=version,
        requested_by=coordinator,
        requested_at=REQUESTED,
        approved_by=executive,
        approved_at=APPROVED,
        **extra,
    )


def read(field) -> bytes:
    with field.open("rb") as f:
        return f.read()


def test_memo_names_the_agency_document_link_people_and_be_dates(
    version, agency_coordinator, agency_executive
):
    paperwork = generate(version, agency_coordinator, agency_executive, note="แนบไฟล์รายงานฉบับสมบูรณ์")
    memo = read(paperwork.memo_pdf)
    text = squash(pdf_text(memo))
    for expected in (
        "บันทึกข้อความ",
        "ส่วนราชการองค์การบริหารส่วนตำบลบ้านนา",
        "เรื่องขออนุญาตเผยแพร่ข้อมูลต่อสาธารณะผ่านเว็บไซต์ของหน่วยงาน",
        "เรียนนายกองค์การบริหารส่วนตำบลบ้านนา",
        "รายงานการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
        "ประจำปีงบประมาณพ.ศ.2566รอบ6เดือนฉบับที่1",
        "/p/ban-na/2566/6/v1.pdf",
        "(สมศรีใจดี)",
        "ผู้ประสานงานITA",
        "วันที่3ธันวาคม2569",  # requested: the memo's date
        "อนุญาต",
        "(ประสิทธิ์มั่นคง)",
        "วันที่4ธันวาคม2569",
        "เวลา14.05น.",
        "แนบไฟล์รายงานฉบับสมบูรณ์",
    ):
        assert expected in text, expected
    assert {name.split("+")[-1] for name in embedded_fonts(memo)} <= {"Sarabun", "Sarabun-Bold"}
    assert paperwork.memo_sha256 == hashlib.sha256(memo).hexdigest()
    assert paperwork.memo_size == len(memo)


def test_form_lists_agency_title_link_requester_approver_and_publisher(
    version, agency_coordinator, agency_executive
):
    paperwork = generate(version, agency_coordinator, agency_executive)
    form = read(paperwork.form_pdf)
    text = squash(pdf_text(form))
    for expected in (
        "แบบฟอร์มการเผยแพร่ข้อมูลต่อสาธารณะผ่านเว็บไซต์ของหน่วยงาน",
        "ชื่อหน่วยงานองค์การบริหารส่วนตำบลบ้านนา",
        "ประจำปีงบประมาณพ.ศ.2566รอบ6เดือนฉบับที่1",
        "/p/ban-na/2566/6/v1.pdf",
        "ผู้รับผิดชอบการให้ข้อมูล(สมศรีใจดี)",
        "ผู้อนุมัติรับรอง(ประสิทธิ์มั่นคง)ตำแหน่งนายกองค์การบริหารส่วนตำบลบ้านนา",
        "วันที่อนุมัติ4ธันวาคม2569",
        "ผู้รับผิดชอบการนำข้อมูลขึ้นเผยแพร่(สมศรีใจดี)",
    ):
        assert expected in text, expected
    assert paperwork.form_sha256 == hashlib.sha256(form).hexdigest()


def test_thai_digits_follow_the_agency(version, agency_coordinator, agency_executive, agency):
    agency.thai_digits = True
    agency.save()
    text = squash(pdf_text(read(generate(version, agency_coordinator, agency_executive).memo_pdf)))
    assert "วันที่๔ธันวาคม๒๕๖๙" in text
    assert "ฉบับที่๑" in text


def test_same_version_twice_is_the_same_row(version, agency_coordinator, agency_executive):
    first = generate(version, agency_coordinator, agency_executive)
    again = generate(version, agency_coordinator, agency_executive, note="อีกครั้ง")
    assert again.pk == first.pk
    assert Paperwork.objects.count() == 1
    assert again.note == ""


def test_positions_given_by_the_approval_are_printed_else_the_roles(
    agency, agency_coordinator, agency_executive
):
    # A round whose sign-off block names nobody: the people's roles in the agency.
    twelve = RoundFactory(organization=agency, kind=Round.Kind.TWELVE_MONTHS)
    by_role = generate(
        publish_stand_in(twelve, agency_coordinator), agency_coordinator, agency_executive
    )
    assert by_role.requester_position == "ผู้ประสานงาน ITA"
    assert by_role.approver_position == "ผู้บริหารองค์การบริหารส่วนตำบลบ้านนา"

    six = RoundFactory(organization=agency, kind=Round.Kind.SIX_MONTHS)
    given = generate(
        publish_stand_in(six, agency_coordinator),
        agency_coordinator,
        agency_executive,
        requester_position="นักวิเคราะห์นโยบายและแผนชำนาญการ",
        approver_position="ปลัดองค์การบริหารส่วนตำบล ปฏิบัติหน้าที่ นายก อบต.บ้านนา",
    )
    text = squash(pdf_text(read(given.form_pdf)))
    assert "ตำแหน่งนักวิเคราะห์นโยบายและแผนชำนาญการ" in text
    assert "ตำแหน่งปลัดองค์การบริหารส่วนตำบลปฏิบัติหน้าที่นายกอบต.บ้านนา" in text


def test_files_are_named_by_agency_year_round_version_and_hash(
    version, agency_coordinator, agency_executive
):
    paperwork = generate(version, agency_coordinator, agency_executive)
    assert paperwork.memo_pdf.name.startswith("paperwork/ban-na/2566/round6-v1-memo-")
    assert paperwork.form_pdf.name.startswith("paperwork/ban-na/2566/round6-v1-form-")
    assert paperwork.memo_pdf.name.endswith(f"{paperwork.memo_sha256[:12]}.pdf")


def test_an_analysis_version_gets_its_memo_and_form(
    analysis_version, agency_coordinator, agency_executive
):
    paperwork = generate(analysis_version, agency_coordinator, agency_executive)
    assert paperwork.analysis == analysis_version and paperwork.report is None
    assert paperwork.memo_pdf.name.startswith("paperwork/ban-na/2567/analysis-v1-memo-")
    memo = squash(pdf_text(read(paperwork.memo_pdf)))
    assert "การวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส" in memo
    assert "ประจำปีงบประมาณพ.ศ.2567ฉบับที่1" in memo
    assert "/p/ban-na/2567/analysis/v1.pdf" in memo
    assert "เรียนผู้บริหารองค์การบริหารส่วนตำบลบ้านนา" in memo
    again = generate(analysis_version, agency_coordinator, agency_executive)
    assert again.pk == paperwork.pk


def test_a_command_may_approve_in_the_record(version, agency_coordinator):
    """A version approved by a command (organizations.access.SYSTEM) names it."""
    paperwork = generate(version, agency_coordinator, SYSTEM)
    assert paperwork.approver_name == "คำสั่งของระบบ" and paperwork.approved_by is None
