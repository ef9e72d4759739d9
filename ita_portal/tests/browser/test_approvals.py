"""Approval before publishing, in a real browser (issue 20): the coordinator presses
publish and sends the report for approval with a note; the executive finds it on
their home page, reads it and approves; the job publishes, and the agency's public
page says who asked and who approved. The published PDF carries their names."""

import pytest
from playwright.sync_api import expect

from approvals.models import ApprovalRequest
from ita_portal.tests.browser.test_job_pages import log_in
from ita_portal.tests.browser.test_journeys import person
from organizations.models import Membership
from reports.models import PublishedReport
from testing.pdftext import pdf_text, squash

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RENDER_MS = 90_000


def test_coordinator_sends_executive_approves_public_sees_the_names(
    seed, media_root, live_server, new_context, csp_violations
):
    org = seed.organization
    coordinator = person(org, "somying", "สมหญิง ตรวจงาน", Membership.Role.COORDINATOR)
    executive = person(org, "nayok", "ประเสริฐ บริหาร", Membership.Role.EXECUTIVE)

    page = log_in(new_context(), coordinator, "/reports/ubon-pao/2566/6/")
    page.get_by_role("link", name="เผยแพร่รายงานฉบับนี้").click()
    expect(page.locator("h1")).to_have_text("ขออนุมัติเผยแพร่รายงาน")
    page.get_by_label("บันทึกถึงผู้อนุมัติ").fill("ขออนุมัติเผยแพร่รายงานรอบ 6 เดือน")
    page.get_by_label("ตำแหน่งของผู้ขออนุมัติ").fill("นักวิเคราะห์นโยบายและแผน")
    page.get_by_role("button", name="ส่งขออนุมัติ").click()
    expect(page.locator("main")).to_contain_text("ส่งขออนุมัติแล้ว")
    expect(page.locator("#open-request")).to_contain_text("ยังรอผู้อนุมัติ")

    boss = log_in(new_context(), executive, "/")
    waiting = boss.locator("#waiting-approvals")
    expect(waiting).to_contain_text("ขอโดย สมหญิง ตรวจงาน")
    waiting.get_by_role("link").first.click()
    expect(boss.locator("main")).to_contain_text("ขออนุมัติเผยแพร่รายงานรอบ 6 เดือน")
    # Renders take seconds on a busy machine: the draft and the publication wait longer.
    draft = boss.request.get(boss.locator("#read-draft").get_attribute("href"), timeout=RENDER_MS)
    assert draft.ok and "ฉบับร่าง" in pdf_text(draft.body())
    boss.get_by_label("ตำแหน่งของผู้อนุมัติ").fill("นายกองค์การบริหารส่วนจังหวัดอุบลราชธานี")
    boss.get_by_role("button", name="อนุมัติให้เผยแพร่").click(no_wait_after=True)
    expect(boss.locator("#publish-job")).to_contain_text(
        "เผยแพร่รายงานฉบับที่ 1 แล้ว", timeout=RENDER_MS
    )

    public = new_context().new_page()
    public.goto("/p/ubon-pao/")
    expect(public.locator(".authority")).to_contain_text(
        "ขออนุมัติโดย สมหญิง ตรวจงาน (นักวิเคราะห์นโยบายและแผน)"
    )
    expect(public.locator(".authority")).to_contain_text(
        "อนุมัติโดย ประเสริฐ บริหาร (นายกองค์การบริหารส่วนจังหวัดอุบลราชธานี)"
    )
    pdf = public.request.get(public.get_by_role("link", name="ฉบับที่ 1").get_attribute("href"))
    text = squash(pdf_text(pdf.body()))
    assert squash("(ประเสริฐ บริหาร)") in text and squash("(สมหญิง ตรวจงาน)") in text
    assert ApprovalRequest.objects.get().publication == PublishedReport.objects.get()
    assert csp_violations == []
