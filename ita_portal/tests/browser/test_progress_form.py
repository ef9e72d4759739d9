"""Fewer keystrokes on the progress form (issue 21): ticking a step fills its empty
date with today, the reason a measure cannot be carried out is asked only with that
status, and "the chosen files are not saved yet" is said only when files were chosen."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ita_portal.tests.browser.test_journeys import log_in, person
from measures.models import Measure
from organizations.models import Membership
from thai.conventions import be_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def form_page(seed, media_root, live_server, new_context):
    org = seed.organization
    coordinator = person(org, "somying", "สมหญิง ตรวจงาน", Membership.Role.COORDINATOR)
    measure = Measure.objects.get(organization=org, order=5)  # ten steps
    assert measure.steps.count() == 10
    page = log_in(new_context(), coordinator)
    page.goto(f"/measures/{measure.pk}/round/12/")
    return page


def test_ticking_a_step_fills_its_date_with_today(form_page):
    page = form_page
    today = timezone.localdate()
    expected = f"{today.day:02d}/{today.month:02d}/{be_year(today.year)}"
    boxes = page.locator("#progress-form input[type=checkbox][name^=step_]")
    box = next(b for b in boxes.all() if not b.is_checked())
    date = page.locator(f"[name={box.get_attribute('name')}_date]")
    date.fill("")
    box.check()
    expect(date).to_have_value(expected)
    # A date already typed is kept.
    box.uncheck()
    date.fill("01/04/2566")
    box.check()
    expect(date).to_have_value("01/04/2566")


def test_reason_only_with_status_cannot(form_page):
    page = form_page
    reason = page.get_by_label("เหตุผลที่ดำเนินการไม่ได้")
    page.locator("#id_status").select_option(label="อยู่ระหว่างดำเนินการ")
    expect(reason).to_be_hidden()
    page.locator("#id_status").select_option(label="ไม่สามารถดำเนินการได้")
    expect(reason).to_be_visible()


def test_files_not_saved_hint_only_with_files_chosen(form_page):
    page = form_page
    hint = page.get_by_text("ไฟล์ที่เลือกไว้ยังไม่ได้บันทึก")
    status = page.locator("#id_status")
    # "Cannot" without a reason is refused by the server: the form comes back.
    status.select_option(label="ไม่สามารถดำเนินการได้")
    page.get_by_label("เหตุผลที่ดำเนินการไม่ได้").fill("")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    expect(hint).to_have_count(0)

    page.get_by_label("แนบไฟล์หลักฐาน").set_input_files(
        {"name": "หลักฐาน.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    expect(hint).to_be_visible()
