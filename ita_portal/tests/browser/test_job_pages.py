"""Pages that follow a background job, in a real browser: they reload themselves
(a meta refresh, nothing inline: the Content-Security-Policy watch is on) until the job
is done, and then show what came of it."""

import hashlib

import pytest
from playwright.sync_api import expect

from ita_portal.tests.browser.test_journeys import person
from jobs import tasks
from jobs.models import Job
from measures.models import Round
from organizations.models import Membership
from reports.models import PublishedReport
from reports.pdf import drafts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ทดสอบ-browser-2566"


def log_in(context, user, path):
    page = context.new_page()
    page.goto(f"/accounts/login/?next={path}")
    page.get_by_label("ชื่อผู้ใช้").fill(user.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="เข้าสู่ระบบ").click()
    return page


def test_the_report_page_follows_a_publication_until_it_is_done(
    seed, media_root, live_server, new_context
):
    six = Round.objects.get(organization=seed.organization, kind=Round.Kind.SIX_MONTHS)
    coordinator = person(seed.organization, "somying", "สมหญิง ตรวจงาน", Membership.Role.COORDINATOR)
    # Pressed a moment ago; the worker is busy with other jobs.
    job = Job.objects.create(
        kind=Job.Kind.PUBLISH, organization=seed.organization, round=six, requested_by=coordinator
    )
    page = log_in(new_context(), coordinator, f"/reports/ubon-pao/2566/6/?job={job.pk}")
    status = page.locator("#publish-job")
    expect(status).to_contain_text("กำลังเผยแพร่… (รอคิว)")
    expect(status).to_contain_text("หน้านี้จะแสดงผลเองเมื่อเผยแพร่เสร็จ")

    tasks.run(job.pk)  # the worker takes it; nobody touches the page
    expect(status).to_have_text("เผยแพร่รายงานฉบับที่ 1 แล้ว ลิงก์สาธารณะแสดงฉบับนี้ตั้งแต่บัดนี้")
    report = PublishedReport.objects.get()
    expect(page.locator(".hash")).to_have_text(report.sha256)

    # Pressing the button again asks first, and says nothing changed since version 1;
    # confirming makes no version 2 (without a broker, the job runs at once).
    page.get_by_role("link", name="เผยแพร่รายงานฉบับนี้").click()
    expect(page.locator("#publish-unchanged")).to_contain_text("รายงานไม่มีการเปลี่ยนแปลงจากฉบับที่ 1")
    page.get_by_role("button", name="ยืนยัน (ไม่สร้างฉบับใหม่)").click()
    expect(status).to_contain_text("ไม่มีการเปลี่ยนแปลงจากฉบับที่ 1")
    assert PublishedReport.objects.count() == 1


def test_the_draft_pdf_page_waits_for_the_file_and_then_hands_it_over(
    seed, media_root, live_server, new_context
):
    six = Round.objects.get(organization=seed.organization, kind=Round.Kind.SIX_MONTHS)
    executive = person(seed.organization, "nayok", "ประเสริฐ บริหาร", Membership.Role.EXECUTIVE)
    draft = drafts.current(six)
    # Someone asked for this very draft a moment ago; the worker has not taken it yet.
    job = Job.objects.create(
        kind=Job.Kind.DRAFT_PDF,
        organization=seed.organization,
        round=six,
        requested_by=executive,
        content_sha256=draft.sha256,
    )
    page = log_in(new_context(), executive, "/reports/ubon-pao/2566/6/pdf/")
    expect(page.locator("#draft-job")).to_contain_text("กำลังจัดทำไฟล์ PDF (รอคิว)")

    def the_pdf(response) -> bool:
        return "/pdf/" in response.url and response.status == 200

    with page.expect_response(the_pdf, timeout=15_000) as answer:
        tasks.run(job.pk)  # the worker takes it; the page reloads by itself
    response = answer.value
    stored = (media_root / draft.name).read_bytes()
    assert response.headers["content-type"] == "application/pdf"
    assert int(response.headers["content-length"]) == len(stored)
    # Chromium shows it in its PDF viewer; the same address, asked again in this
    # person's session, gives the stored file's bytes (and starts no other job).
    again = page.context.request.get(response.url)
    assert hashlib.sha256(again.body()).digest() == hashlib.sha256(stored).digest()
    assert Job.objects.count() == 1
