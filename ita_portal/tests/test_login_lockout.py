"""Sign-in protection through the real login forms: lockout, unlock, password reset.

Every login here is a POST to the login page, as a browser sends it (the test
client's login() bypasses the form and the lockout alike).
"""

import ast
import os
import re
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core import mail
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from measures.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-1234"
OFFICE = "203.0.113.10"  # one NAT address in front of a whole office
HOME = "198.51.100.20"
LOCKED_TITLE = "ระงับการเข้าสู่ระบบชั่วคราว"
ROOT = Path(__file__).resolve().parents[2]


def post_login(client, username, password, ip=OFFICE, url=None, **extra):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        **extra,
    )


def logged_in_as(client):
    return client.get(reverse("home")).context["user"].username or None


def fail(client, username, times, ip=OFFICE, url=None):
    return [post_login(client, username, "wrong", ip=ip, url=url) for _ in range(times)]


# --- Lockout ---------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_refused(client):
    UserFactory(username="staff")
    for response in fail(client, "staff", 4):
        assert response.status_code == 200
        assert "กรุณาใส่" in response.content.decode()  # the form's own Thai error

    fifth = post_login(client, "staff", "wrong")
    assert fifth.status_code == 429
    assert LOCKED_TITLE in fifth.content.decode()

    right = post_login(client, "staff", PASSWORD)
    page = right.content.decode()
    assert right.status_code == 429
    assert LOCKED_TITLE in page
    assert "ใส่รหัสผ่านผิดหลายครั้งเกินไปสำหรับชื่อผู้ใช้ <strong>staff</strong>" in page
    assert "ระงับการเข้าสู่ระบบของบัญชีนี้ไว้ <strong>15 นาที</strong>" in page
    assert "ผู้ประสานงาน ITA ของหน่วยงาน" in page and "ผู้ดูแลระบบ" in page
    assert 'href="/accounts/login/"' in page
    assert '<html lang="th">' in page and "ITA Portal" in page  # the portal's own layout
    assert logged_in_as(client) is None


def test_the_page_says_when_the_lock_ends(client):
    UserFactory(username="staff")
    fail(client, "staff", 5)
    attempt = AccessAttempt.objects.get(username="staff")
    page = post_login(client, "staff", PASSWORD).content.decode()
    ends = timezone.localtime(attempt.attempt_time + timedelta(minutes=15))
    assert f"เข้าสู่ระบบได้อีกครั้งหลังเวลา <strong>{ends:%H:%M} น." in page
    # Trying during the lock neither counts nor moves its end.
    assert AccessAttempt.objects.get(username="staff").failures_since_start == 5


def test_four_wrong_passwords_then_the_right_one_logs_in_and_clears_the_count(client):
    UserFactory(username="staff")
    fail(client, "staff", 4)
    assert post_login(client, "staff", PASSWORD).status_code == 302
    assert logged_in_as(client) == "staff"
    assert not AccessAttempt.objects.filter(username="staff").exists()

    client.post(reverse("logout"))
    fail(client, "staff", 4)
    assert post_login(client, "staff", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client):
    UserFactory(username="staff")
    fail(client, "staff", 5)
    assert post_login(client, "staff", PASSWORD).status_code == 429
    # Fifteen minutes pass.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=15, seconds=1))
    assert post_login(client, "staff", PASSWORD).status_code == 302
    assert logged_in_as(client) == "staff"


def test_limits_come_from_the_settings(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=90)
    UserFactory(username="staff")
    responses = fail(client, "staff", 2)
    assert [r.status_code for r in responses] == [200, 429]
    assert "ไว้ <strong>1 ชั่วโมง 30 นาที</strong>" in responses[1].content.decode()


def test_another_person_in_the_same_office_still_logs_in(client):
    UserFactory(username="staff")
    UserFactory(username="colleague")
    fail(client, "staff", 5)
    assert post_login(client, "staff", PASSWORD).status_code == 429
    assert post_login(client, "colleague", PASSWORD).status_code == 302
    assert logged_in_as(client) == "colleague"


def test_the_same_person_from_another_address_still_logs_in(client):
    UserFactory(username="staff")
    fail(client, "staff", 5, ip=OFFICE)
    assert post_login(client, "staff", PASSWORD, ip=OFFICE).status_code == 429
    assert post_login(client, "staff", PASSWORD, ip=HOME).status_code == 302


def test_guessing_one_account_from_many_addresses_locks_it_everywhere(client):
    UserFactory(username="coordinator")
    # 20 wrong passwords, 4 from each of 5 addresses: no single address reaches 5.
    responses = []
    for n in range(5):
        responses += fail(client, "coordinator", 4, ip=f"192.0.2.{n + 1}")
    assert [r.status_code for r in responses] == [200] * 19 + [429]
    response = post_login(client, "coordinator", PASSWORD, ip=HOME)
    assert response.status_code == 429
    assert LOCKED_TITLE in response.content.decode()
    # Other accounts are not affected.
    UserFactory(username="staff")
    assert post_login(client, "staff", PASSWORD, ip="192.0.2.1").status_code == 302


def test_admin_login_is_locked_too_with_a_thai_page(client):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    admin_login = reverse("admin:login")
    for response in fail(client, "admin", 4, url=admin_login):
        assert response.status_code == 200
    assert post_login(client, "admin", "wrong", url=admin_login).status_code == 429

    response = post_login(client, "admin", PASSWORD, url=admin_login)
    page = response.content.decode()
    assert response.status_code == 429
    assert LOCKED_TITLE in page
    assert f'href="{admin_login}"' in page
    assert client.get(reverse("admin:index")).status_code == 302  # still not logged in
    # The portal's login form shares the count.
    assert post_login(client, "admin", PASSWORD).status_code == 429


def test_failures_are_kept_for_the_superuser(client):
    UserFactory(username="staff")
    fail(client, "staff", 6)
    logged = AccessFailureLog.objects.filter(username="staff")
    assert logged.count() == 5  # the sixth, refused while locked, is not a password tried
    assert logged.filter(locked_out=True).count() == 1


# --- Behind the TLS proxy ---------------------------------------------------------------------


def _client_ips_with_settings(env, *requests):
    """The client address axes reads from each (X-Forwarded-For, REMOTE_ADDR) request,
    in a process started with these environment variables (the settings read them once,
    at start)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    code = (
        "import django; django.setup()\n"
        "from django.test import RequestFactory\n"
        "from axes.helpers import get_client_ip_address\n"
        f"for xff, remote in {list(requests)!r}:\n"
        "    r = RequestFactory().post('/accounts/login/', REMOTE_ADDR=remote, "
        "HTTP_X_FORWARDED_FOR=xff)\n"
        "    print(get_client_ip_address(r))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "ita_portal.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_behind_the_proxy_the_client_is_the_address_the_proxy_appended():
    proxy = {"DJANGO_BEHIND_TLS_PROXY": "1"}
    seen = _client_ips_with_settings(
        proxy,
        ("203.0.113.10", "10.0.0.2"),
        # What a client sends itself stands to the left and is ignored.
        ("1.2.3.4, 203.0.113.10", "10.0.0.2"),
        # An intranet client behind the proxy is still told apart from the proxy.
        ("8.8.8.8, 192.168.1.20", "10.0.0.2"),
    )
    assert seen == ["203.0.113.10", "203.0.113.10", "192.168.1.20"]
    # Two proxies (e.g. a CDN, then the agency's own): the one before the last.
    two = {**proxy, "DJANGO_PROXY_COUNT": "2"}
    three_hops = ("1.2.3.4, 203.0.113.10, 198.51.100.1", "10.0.0.2")
    assert _client_ips_with_settings(two, three_hops) == ["203.0.113.10"]


def test_without_the_proxy_forwarded_headers_are_not_trusted():
    assert _client_ips_with_settings({}, ("203.0.113.10", "192.0.2.55")) == ["192.0.2.55"]


def test_a_client_cannot_escape_the_lock_by_forging_forwarded_for(client, settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.IPWARE_STRICT = False
    UserFactory(username="staff")
    for n in range(5):
        forged = f"192.0.2.{n + 1}, {OFFICE}"
        post_login(client, "staff", "wrong", ip="10.0.0.2", HTTP_X_FORWARDED_FOR=forged)
    response = post_login(
        client, "staff", PASSWORD, ip="10.0.0.2", HTTP_X_FORWARDED_FOR=f"8.8.8.8, {OFFICE}"
    )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}
    # Another client behind the same proxy is not locked.
    other = post_login(client, "staff", PASSWORD, ip="10.0.0.2", HTTP_X_FORWARDED_FOR=HOME)
    assert other.status_code == 302


@pytest.mark.parametrize(
    "env, message",
    [
        ({"AXES_FAILURE_LIMIT": "0"}, "AXES_FAILURE_LIMIT and AXES_COOLOFF_MINUTES"),
        ({"ITA_USERNAME_FAILURE_LIMIT": "3"}, "ITA_USERNAME_FAILURE_LIMIT"),
    ],
)
def test_impossible_limits_refuse_to_start(env, message):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", "import ita_portal.settings"],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert message in result.stderr


# --- Unlocking --------------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


def test_superuser_sees_the_lock_in_thai_and_unlocks_it(client, superuser):
    UserFactory(username="staff")
    fail(client, "staff", 5)
    assert post_login(client, "staff", PASSWORD).status_code == 429

    admin = type(client)()
    admin.force_login(superuser)
    index = admin.get(reverse("admin:index")).content.decode()
    assert "การเข้าสู่ระบบ" in index
    assert "การใส่รหัสผ่านผิด" in index and "ประวัติการเข้าสู่ระบบ" in index

    changelist = reverse("admin:axes_accessattempt_changelist")
    page = admin.get(changelist).content.decode()
    for heading in ("ชื่อผู้ใช้", "ที่อยู่ IP", "จำนวนครั้งที่ผิด", "สถานะ"):
        assert heading in page
    assert "ถูกล็อก" in page
    assert "ปลดล็อก (ลบรายการที่เลือก)" in page

    attempt = AccessAttempt.objects.get(username="staff")
    response = admin.post(
        changelist,
        {"action": "unlock", "_selected_action": [attempt.pk]},
        follow=True,
    )
    assert "ปลดล็อกแล้ว 1 รายการ (staff)" in response.content.decode()
    assert not AccessAttempt.objects.exists()

    assert post_login(client, "staff", PASSWORD).status_code == 302
    assert logged_in_as(client) == "staff"


def test_superuser_unlocks_by_deleting_the_record(client, superuser):
    UserFactory(username="staff")
    fail(client, "staff", 5)
    attempt = AccessAttempt.objects.get(username="staff")
    admin = type(client)()
    admin.force_login(superuser)
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 302
    assert post_login(client, "staff", PASSWORD).status_code == 302


def test_superuser_unlocks_with_the_command(client):
    UserFactory(username="staff")
    fail(client, "staff", 5)
    assert post_login(client, "staff", PASSWORD).status_code == 429
    out = StringIO()
    call_command("axes_reset_username", "staff", stdout=out)
    assert "1 attempts removed." in out.getvalue()
    assert post_login(client, "staff", PASSWORD).status_code == 302


def test_clean_up_expired_records_from_the_admin(client, superuser):
    UserFactory(username="staff")
    UserFactory(username="old")
    fail(client, "staff", 2)
    fail(client, "old", 2)
    admin = type(client)()
    admin.force_login(superuser)  # (a login also clears expired records: after it)
    AccessAttempt.objects.filter(username="old").update(
        attempt_time=F("attempt_time") - timedelta(hours=1)
    )
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = admin.get(changelist).content.decode()
    assert "ผิดได้อีก 3 ครั้งก่อนถูกล็อก" in page and "พ้นเวลาระงับแล้ว" in page
    response = admin.post(
        changelist,
        {
            "action": "cleanup_expired_attempts",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "ล้างรายการที่พ้นเวลาระงับแล้ว 1 รายการ" in response.content.decode()
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["staff"]


def test_a_coordinator_cannot_see_or_clear_the_lockout_records(client):
    coordinator = UserFactory(username="coord", is_staff=True)
    admin = type(client)()
    admin.force_login(coordinator)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert admin.get(changelist).status_code == 403
    assert "การใส่รหัสผ่านผิด" not in admin.get(reverse("admin:index")).content.decode()


def _po_entries(path):
    """(msgctxt, msgid, msgid_plural) -> msgstr (msgstr[0] for plurals) of a .po file,
    its strings unescaped as gettext reads them."""
    entries, field = {}, None
    values: dict[str, str] = {}
    fields = r"msgctxt|msgid|msgid_plural|msgstr|msgstr\[0\]"
    for line in Path(path).read_text(encoding="utf-8").splitlines() + [""]:
        match = re.match(rf'^({fields}) (".*")$', line)
        if match:
            field = match.group(1)
            values[field] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and field:
            values[field] += ast.literal_eval(line)
        elif not line.strip() and values:
            if values.get("msgid"):
                key = (values.get("msgctxt"), values["msgid"], values.get("msgid_plural"))
                entries[key] = values.get("msgstr", values.get("msgstr[0]"))
            values, field = {}, None
    return entries


def test_the_compiled_thai_catalog_matches_its_source():
    entries = _po_entries(ROOT / "locale" / "th" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 30
    with translation.override("th"):
        for (context, msgid, plural), msgstr in entries.items():
            if plural:
                found = translation.ngettext(msgid, plural, 1)
            elif context:
                found = translation.pgettext(context, msgid)
            else:
                found = translation.gettext(msgid)
            assert found == msgstr, msgid


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
    UserFactory(username="staff", email="staff@example.go.th")
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
    UserFactory(username="staff", email="staff@example.go.th", first_name="สมชาย")
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
