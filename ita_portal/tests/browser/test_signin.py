"""Sign-in protection in a real browser: five wrong passwords lock the account with a
Thai page, a colleague at the same computer still signs in, and the superuser unlocks
from the admin."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ทดสอบ-browser-2566"


def try_login(page: Page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(password)
    page.locator("main").get_by_role("button", name="เข้าสู่ระบบ").click()


def test_locked_out_then_unlocked_by_the_superuser(new_context):
    users = get_user_model().objects
    users.create_user(username="somchai", password=PASSWORD, first_name="สมชาย")
    users.create_user(username="somying", password=PASSWORD, first_name="สมหญิง")
    users.create_superuser(username="admin", password=PASSWORD)

    page = new_context().new_page()
    page.goto("/accounts/login/")
    # No mail server is configured: no reset link, but whom to ask.
    expect(page.get_by_role("link", name="ลืมรหัสผ่าน?")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("ติดต่อผู้ประสานงาน ITA ของหน่วยงาน")

    for _ in range(4):
        try_login(page, "somchai", "ผิด")
        expect(page.locator("main")).to_contain_text("กรุณาใส่")
    try_login(page, "somchai", "ผิด")
    expect(page.get_by_role("heading", level=1)).to_have_text("ระงับการเข้าสู่ระบบชั่วคราว")
    try_login(page, "somchai", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("ระงับการเข้าสู่ระบบชั่วคราว")
    expect(page.locator("main")).to_contain_text("ไว้ 15 นาที")
    expect(page.locator("main")).to_contain_text("ผู้ประสานงาน ITA ของหน่วยงาน")

    # A colleague at the same computer (same address) signs in.
    colleague = new_context().new_page()
    try_login(colleague, "somying", PASSWORD)
    expect(colleague.get_by_role("heading", level=1)).to_contain_text("สวัสดี")

    # The superuser unlocks somchai from the admin.
    admin = new_context().new_page()
    admin.goto("/admin/login/")
    admin.get_by_label("ชื่อผู้ใช้").fill("admin")
    admin.get_by_label("รหัสผ่าน").fill(PASSWORD)
    admin.get_by_role("button", name="เข้าสู่ระบบ").click()
    admin.get_by_role("link", name="การใส่รหัสผ่านผิด").first.click()
    row = admin.locator("#result_list tbody tr", has_text="somchai")
    expect(row).to_contain_text("ถูกล็อก")
    row.locator("input[type=checkbox]").check()
    admin.locator("select[name=action]").select_option(label="ปลดล็อก (ลบรายการที่เลือก)")
    admin.get_by_role("button", name="ไป").click()
    expect(admin.locator(".messagelist")).to_contain_text("ปลดล็อกแล้ว 1 รายการ (somchai)")

    try_login(page, "somchai", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("สวัสดี")
