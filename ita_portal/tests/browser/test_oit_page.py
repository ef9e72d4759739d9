"""A coordinator completes the agency's OIT page: from the home page's completeness
to the item page, a link that is not a web address refused with the item named and
what was typed kept, then every item linked (the measures' item filled by the
portal from the published report), and the public page showing them."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from catalogue.models import OitItem
from ita_portal.tests.browser.test_journeys import log_in, person
from measures.models import Round
from organizations.models import Membership
from reports.models import PublishedReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_completes_the_oit_page(seed, live_server, new_context, media_root):
    org = seed.organization
    coordinator = person(org, "somchai", "สมชาย ประสานงาน", Membership.Role.COORDINATOR)
    for order, (number, title, filled) in enumerate(
        [
            ("O1", "โครงสร้าง", ""),
            ("O2", "ข้อมูลผู้บริหาร", ""),
            ("O42", "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", "measures"),
        ],
        start=1,
    ):
        OitItem.objects.create(
            fiscal_year=seed.fiscal_year, number=number, order=order, title=title, filled_by=filled
        )
    six = Round.objects.get(organization=org, kind=Round.Kind.SIX_MONTHS)
    content = b"%PDF-1.7\n%%EOF\n"
    report = PublishedReport(
        round=six,
        version=1,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        published_by=coordinator,
    )
    report.pdf.save("report.pdf", ContentFile(content), save=False)
    report.save()

    page = log_in(new_context(), coordinator)
    expect(page.locator("#oit-completeness")).to_have_text("ครบ 1 จาก 3 ข้อ")
    page.get_by_role("link", name="ลิงก์ข้อ OIT ปีงบประมาณ 2566").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ลิงก์ข้อ OIT ปีงบประมาณ พ.ศ. 2566")
    measures_row = page.locator("#oit-O42")
    expect(measures_row).to_contain_text(f"ระบบเติมให้: {live_server.url}/p/{org.slug}/2566/6.pdf")

    page.get_by_label("ลิงก์ข้อ O1").fill("www.example.go.th/structure")
    page.get_by_label("ลิงก์ข้อ O2").fill("https://www.example.go.th/executives")
    page.get_by_role("button", name="บันทึกลิงก์").click()
    expect(page.locator("#oit-errors")).to_contain_text(
        "ข้อ O1: “www.example.go.th/structure” ไม่ใช่ลิงก์ของหน้าเว็บ"
    )
    expect(page.get_by_label("ลิงก์ข้อ O1")).to_have_value("www.example.go.th/structure")
    expect(page.locator("#oit-completeness")).to_have_text("ครบ 2 จาก 3 ข้อ")

    page.get_by_label("ลิงก์ข้อ O1").fill("https://www.example.go.th/structure")
    page.get_by_role("button", name="บันทึกลิงก์").click()
    expect(page.get_by_role("alert")).to_contain_text("บันทึกลิงก์ 1 ข้อแล้ว")
    expect(page.locator("#oit-completeness")).to_have_text("ครบ 3 จาก 3 ข้อ")

    page.locator("#oit-public-link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("(OIT) ปีงบประมาณ พ.ศ. 2566")
    expect(page.locator("#oit-O1")).to_contain_text("https://www.example.go.th/structure")
    expect(page.locator("#oit-O42")).to_contain_text("เอกสารที่เผยแพร่ผ่านระบบ")
