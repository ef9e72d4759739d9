"""The progress form's limits in a real browser: the live character counter, and
files the portal would refuse held back before anything is sent (so nothing
typed is lost to a refused request), with no Content-Security-Policy violation."""

import pytest
from playwright.sync_api import expect

from ita_portal.tests.browser.test_journeys import SAMNAK_PALAD, log_in, person
from measures.models import Measure
from organizations.models import Membership
from progress.models import Progress

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_counter_and_file_warning(seed, media_root, live_server, new_context, settings):
    settings.MAX_RESULT_CHARS = 40
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    org = seed.organization
    staff = person(org, "somchai", "สมชาย ใจดี", Membership.Role.STAFF, [SAMNAK_PALAD])
    measure = Measure.objects.get(organization=org, order=2)
    page = log_in(new_context(), staff)
    page.goto(f"/measures/{measure.pk}/round/12/")

    result = page.get_by_label("รายละเอียดผลการดำเนินการ")
    counter = page.locator("#id_result_text_counter")
    expect(counter).to_have_text("พิมพ์แล้ว 0 / 40 ตัวอักษร")
    result.fill("เผยแพร่บนเว็บไซต์แล้ว\nและติดประกาศ")  # 34 characters, one line break
    expect(counter).to_have_text("พิมพ์แล้ว 34 / 40 ตัวอักษร")
    result.press_sequentially("ที่สำนักงาน")
    expect(counter).to_have_text("พิมพ์แล้ว 45 / 40 ตัวอักษร เกิน 5 ตัวอักษร กรุณาสรุปให้สั้นลง")
    expect(counter).to_have_class("form-text char-counter text-danger fw-bold")

    files = page.get_by_label("แนบไฟล์หลักฐาน")
    files.set_input_files(
        {"name": "ภาพถ่าย.pdf", "mimeType": "application/pdf", "buffer": b"0" * (3 * 512 * 1024)}
    )
    problems = page.locator("#id_files_problems")
    expect(problems).to_have_text("ไฟล์ “ภาพถ่าย.pdf” มีขนาด 1.5 MB ใหญ่เกินที่รับได้ (ไฟล์ละไม่เกิน 1 MB)")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(problems).to_contain_text("(ยังไม่ได้ส่งข้อมูล)")
    expect(result).to_have_value("เผยแพร่บนเว็บไซต์แล้ว\nและติดประกาศที่สำนักงาน")
    assert not Progress.objects.filter(measure=measure, round__kind=12).exists()

    # With the file taken off, the form goes to the server, which refuses the long text.
    files.set_input_files([])
    page.get_by_role("button", name="บันทึก", exact=True).click()
    too_long = "รายละเอียดผลการดำเนินการยาว 45 ตัวอักษร เกินที่รับได้ (40 ตัวอักษร)"
    expect(page.locator(".invalid-feedback", has_text=too_long)).to_be_visible()
    expect(page.locator("main .alert-danger[role=alert]").first).to_contain_text(too_long)
    expect(result).to_have_value("เผยแพร่บนเว็บไซต์แล้ว\nและติดประกาศที่สำนักงาน")
