"""django-axes' admin pages (wrong passwords, the login log, the failure log) in
Thai, as the superuser reads them: Thai names, column headers and record titles
(axes writes its titles in English), times in BE."""

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.urls import reverse
from django.utils import timezone

from accounts.tests.logins import make_user
from testing.pages import visible_text

pytestmark = pytest.mark.django_db

PASSWORD = "pass-1234"
OFFICE = "203.0.113.10"
# What axes' admin writes in English where the portal has no Thai.
ENGLISH = [
    "Attempted Access",
    "Access Log for",
    "Failed access",
    "Attempt Time",
    "Logout Time",
    "IP Address",
    "Username",
    "access log",
    "access failure",
    "access attempt",
    "Attempt Remaining",
    "Meta Data",
    "Form Data",
]


def assert_thai(text: str) -> None:
    for words in ENGLISH:
        assert words not in text, words
    assert str(timezone.localdate().year) not in text  # no CE year


@pytest.fixture
def admin_client(client):
    """Staff's two wrong passwords, then the right one, through the login form; the
    superuser's own client reads the admin."""
    make_user(username="staff", password=PASSWORD)
    for password in ("wrong", "wrong"):
        client.post(
            reverse("login"), {"username": "staff", "password": password}, REMOTE_ADDR=OFFICE
        )
    make_user(username="other")
    client.post(reverse("login"), {"username": "other", "password": "wrong"}, REMOTE_ADDR=OFFICE)
    response = client.post(
        reverse("login"),
        {"username": "staff", "password": PASSWORD},
        REMOTE_ADDR=OFFICE,
        HTTP_USER_AGENT="Firefox",
    )
    assert response.status_code == 302
    admin = type(client)()
    admin.force_login(make_user(username="admin", is_staff=True, is_superuser=True))
    return admin


def now_be() -> str:
    """The admin's way of writing this minute's date, e.g. "27 พ.ย. 2569"."""
    today = timezone.localdate()
    months = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย."]
    months += ["ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
    return f"{today.day} {months[today.month - 1]} {today.year + 543}"


def test_wrong_passwords_in_thai(admin_client):
    attempt = AccessAttempt.objects.get(username="other")
    listing = visible_text(admin_client.get(reverse("admin:axes_accessattempt_changelist")))
    assert "เลือก การใส่รหัสผ่านผิด เพื่อดู" in listing  # read only: axes writes them
    assert "ชื่อผู้ใช้ ที่อยู่ IP จำนวนครั้งที่ผิด สถานะ เวลาล่าสุด" in listing
    assert f"other {OFFICE} 1 ผิดได้อีก 4 ครั้งก่อนถูกล็อก {now_be()}" in listing
    # The date drill-down above the list: this year in BE.
    assert f"‹ {timezone.localdate().year + 543} " in listing
    assert_thai(listing)

    page = visible_text(
        admin_client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk]))
    )
    title = f"ใส่รหัสผ่านผิด: other จาก {OFFICE} ล่าสุดเมื่อ {now_be()}"
    assert page.startswith(title)  # the page's <title>
    assert f"› การใส่รหัสผ่านผิด › {title}" in page  # the breadcrumbs
    assert "ข้อมูลที่ส่งมา" in page and "ข้อมูลการเชื่อมต่อ" in page
    assert_thai(page)


def test_the_login_log_in_thai(admin_client):
    log = AccessLog.objects.get(username="staff")
    listing = visible_text(admin_client.get(reverse("admin:axes_accesslog_changelist")))
    assert "เลือก ประวัติการเข้าสู่ระบบ เพื่อดู" in listing
    assert (
        "เข้าสู่ระบบเมื่อ ออกจากระบบเมื่อ ที่อยู่ IP ชื่อผู้ใช้ โปรแกรมที่ใช้ (User Agent) หน้าที่ใช้เข้าสู่ระบบ"
    ) in listing
    assert re.search(
        rf"{now_be()} \d\d:\d\d น\. - {OFFICE} staff Firefox /accounts/login/", listing
    )
    assert_thai(listing)

    page = visible_text(admin_client.get(reverse("admin:axes_accesslog_change", args=[log.pk])))
    assert f"เข้าสู่ระบบ: staff จาก {OFFICE} เมื่อ {now_be()}" in page
    assert re.search(rf"เข้าสู่ระบบเมื่อ: {now_be()} \d\d:\d\d น\. ออกจากระบบเมื่อ: -", page)
    assert_thai(page)


def test_the_failure_log_in_thai(admin_client):
    failure = AccessFailureLog.objects.filter(username="staff").first()
    listing = visible_text(admin_client.get(reverse("admin:axes_accessfailurelog_changelist")))
    assert "เลือก ประวัติการใส่รหัสผ่านผิด เพื่อดู" in listing
    assert "ใส่รหัสผ่านผิดเมื่อ ที่อยู่ IP ชื่อผู้ใช้" in listing
    assert len(re.findall(rf"{now_be()} \d\d:\d\d น\. {OFFICE} (?:staff|other)", listing)) == 3
    assert_thai(listing)

    url = reverse("admin:axes_accessfailurelog_change", args=[failure.pk])
    page = visible_text(admin_client.get(url))
    assert f"ใส่รหัสผ่านผิด: staff จาก {OFFICE} เมื่อ {now_be()}" in page
    assert_thai(page)
