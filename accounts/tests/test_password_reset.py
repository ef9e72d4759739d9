"""Password reset: by mail when mail is configured, otherwise whom to ask."""

import os
import re
import subprocess
import sys

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.logins import ROOT, logged_in_as, make_user, post_login

pytestmark = pytest.mark.django_db


# --- Password reset ---------------------------------------------------------------------------


def test_without_mail_the_login_page_offers_no_reset_and_says_whom_to_ask(client, settings):
    settings.PASSWORD_RESET_BY_MAIL = False
    settings.ITA_SUPPORT_CONTACT = "กองยุทธศาสตร์ โทร 0 4524 4444"
    page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") not in page
    assert "ลืมรหัสผ่าน: ติดต่อผู้ประสานงาน ITA ของหน่วยงานหรือผู้ดูแลระบบ" in page
    assert "กองยุทธศาสตร์ โทร 0 4524 4444" in page


def test_without_mail_the_reset_page_sends_nothing_and_says_whom_to_ask(client, settings):
    settings.PASSWORD_RESET_BY_MAIL = False
    make_user(username="staff", email="staff@example.go.th")
    for response in (
        client.get(reverse("password_reset")),
        client.post(reverse("password_reset"), {"email": "staff@example.go.th"}),
        client.get(reverse("password_reset_done")),
    ):
        page = response.content.decode()
        assert response.status_code == 200
        assert "ระบบนี้ยังไม่ได้ตั้งค่าการส่งอีเมล" in page
        assert "ผู้ประสานงาน ITA ของหน่วยงาน" in page
        assert "<form" not in page.split("<main", 1)[1]
        assert "ส่งลิงก์" not in page
    assert mail.outbox == []


def test_with_mail_the_reset_flow_works_in_thai(client, settings):
    settings.PASSWORD_RESET_BY_MAIL = True
    make_user(username="staff", email="staff@example.go.th", first_name="สมชาย")
    login_page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}">ลืมรหัสผ่าน?</a>' in login_page

    form = client.get(reverse("password_reset")).content.decode()
    assert "ส่งลิงก์ตั้งรหัสผ่านใหม่" in form and "อีเมล" in form
    response = client.post(reverse("password_reset"), {"email": "staff@example.go.th"})
    assert response.status_code == 302
    done = client.get(response.url).content.decode()
    assert "ตรวจอีเมลของคุณ" in done

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["staff@example.go.th"]
    assert message.subject == "ตั้งรหัสผ่านใหม่สำหรับ ITA Portal (testserver)"
    assert "เรียน สมชาย" in message.body and "ชื่อผู้ใช้: staff" in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)

    confirm = client.get(link, follow=True)
    page = confirm.content.decode()
    assert "ตั้งรหัสผ่านใหม่สำหรับชื่อผู้ใช้ <strong>staff</strong>" in page
    assert "รหัสผ่านใหม่" in page
    assert "รหัสผ่านต้องมีอย่างน้อย 8 ตัวอักษร" in page  # the rules, in Thai
    set_password_url = confirm.redirect_chain[-1][0]

    refused = client.post(
        set_password_url, {"new_password1": "12345678", "new_password2": "12345678"}
    ).content.decode()
    assert "รหัสผ่านนี้เป็นตัวเลขทั้งหมด" in refused
    assert "รหัสผ่านนี้ใช้กันทั่วไป เดาได้ง่าย" in refused
    mismatch = client.post(
        set_password_url, {"new_password1": "ใหม่-ยาวพอ-2568", "new_password2": "อื่น-2568"}
    ).content.decode()
    assert "รหัสผ่านทั้งสองช่องไม่ตรงกัน" in mismatch

    response = client.post(
        set_password_url,
        {"new_password1": "ใหม่-ยาวพอ-2568", "new_password2": "ใหม่-ยาวพอ-2568"},
        follow=True,
    )
    assert "ตั้งรหัสผ่านใหม่แล้ว" in response.content.decode()
    assert post_login(client, "staff", "ใหม่-ยาวพอ-2568").status_code == 302
    assert logged_in_as(client) == "staff"

    # The link works once.
    client.post(reverse("logout"))
    used = client.get(link, follow=True).content.decode()
    assert "ลิงก์นี้ใช้ไม่ได้แล้ว" in used


def test_settings_offer_reset_only_with_a_mail_server():
    def reads(env):
        environment = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "EMAIL_", "DEFAULT_FROM"))
        }
        code = (
            "from ita_portal import settings as s; "
            "print(s.PASSWORD_RESET_BY_MAIL, s.EMAIL_BACKEND, s.DEFAULT_FROM_EMAIL)"
        )
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**environment, **env},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert reads({}) == [
        "False",
        "django.core.mail.backends.dummy.EmailBackend",
        "webmaster@localhost",
    ]
    assert reads({"EMAIL_HOST": "smtp.example.go.th", "EMAIL_HOST_USER": "ita@example.go.th"}) == [
        "True",
        "django.core.mail.backends.smtp.EmailBackend",
        "ita@example.go.th",
    ]
