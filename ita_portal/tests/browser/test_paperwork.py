"""The memo's texts, in a real browser: the coordinator goes from the report page to
the paperwork page, downloads a version's memo, and edits the memo's subject; an
unknown placeholder is refused by name with what was typed kept, the preview shows
the document, and the saved text is what the next memo says (nothing inline: the
Content-Security-Policy watch is on)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from ita_portal.tests.browser.test_job_pages import log_in
from ita_portal.tests.browser.test_journeys import person
from measures.models import Round
from organizations.access import SYSTEM
from organizations.models import Membership
from paperwork.models import PaperworkTemplate
from paperwork.services import generate_for_approval
from reports.models import PublishedReport
from reports.services import record_stand_in_publications
from testing.factories import OrganizationFactory, RoundFactory
from testing.pdftext import pdf_text, squash

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPROVED = datetime(2026, 12, 4, 14, 5, tzinfo=ZoneInfo("Asia/Bangkok"))


def test_coordinator_downloads_the_memo_and_edits_its_subject(
    media_root, live_server, new_context, csp_violations
):
    agency = OrganizationFactory(slug="ban-na", name="องค์การบริหารส่วนตำบลบ้านนา")
    coordinator = person(agency, "somsri", "สมศรี ใจดี", Membership.Role.COORDINATOR)
    executive = person(agency, "prasit", "ประสิทธิ์ มั่นคง", Membership.Role.EXECUTIVE)
    six = RoundFactory(organization=agency, kind=Round.Kind.SIX_MONTHS)
    record_stand_in_publications(
        user=SYSTEM,
        publications=[(six, APPROVED)],
        pdf="published/stand-in.pdf",
        sha256="0" * 64,
        size=9,
        published_by=coordinator,
    )
    report = PublishedReport.objects.get(round=six)
    approval = {"requested_at": APPROVED, "approved_at": APPROVED}
    generate_for_approval(
        report=report, requested_by=coordinator, approved_by=executive, **approval
    )

    page = log_in(new_context(), coordinator, "/reports/ban-na/2566/6/")
    page.locator("#paperwork-link").click()
    row = page.locator("#paperwork tbody tr")
    expect(row).to_contain_text("ประสิทธิ์ มั่นคง")
    memo = page.request.get(row.get_by_role("link", name="บันทึกข้อความ (PDF)").get_attribute("href"))
    assert memo.ok and "เรียน" in squash(pdf_text(memo.body()))

    page.get_by_role("link", name="แก้ไขแม่แบบบันทึกข้อความขออนุญาตเผยแพร่ข้อมูล").click()
    subject = page.get_by_label("เรื่อง")
    subject.fill("ขออนุญาตเผยแพร่{ชื่อเรื่อง}")
    page.get_by_role("button", name="บันทึกแม่แบบ").click()
    expect(page.locator("#template-form")).to_contain_text("ไม่รู้จักช่องข้อมูล {ชื่อเรื่อง}")
    expect(subject).to_have_value("ขออนุญาตเผยแพร่{ชื่อเรื่อง}")

    subject.fill("ขออนุญาตเผยแพร่รายงาน ฉบับที่ {ฉบับที่}")
    page.get_by_role("button", name="ดูตัวอย่าง").click()
    expect(page.locator("#preview")).to_contain_text("ขออนุญาตเผยแพร่รายงาน ฉบับที่ ๑")
    page.get_by_role("button", name="บันทึกแม่แบบ").click()
    expect(page.locator("main")).to_contain_text("บันทึกแม่แบบบันทึกข้อความขออนุญาตเผยแพร่ข้อมูลแล้ว")
    assert PaperworkTemplate.objects.get().parts["subject"] == "ขออนุญาตเผยแพร่รายงาน ฉบับที่ {ฉบับที่}"
    assert csp_violations == []
