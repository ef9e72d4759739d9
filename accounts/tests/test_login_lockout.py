"""Sign-in protection through the real login forms: the limits on wrong passwords
(accounts/signin.py) and unlocking.

Every login here is a POST to the login page, as a browser sends it (the test
client's login() bypasses the form and the lockout alike).
"""

import ast
import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from accounts.tests.logins import (
    HOME,
    LOCKED_TITLE,
    OFFICE,
    PASSWORD,
    ROOT,
    fail,
    logged_in_as,
    make_user,
    post_login,
    run_with_settings,
)

pytestmark = pytest.mark.django_db


# --- Lockout ---------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_refused(client):
    make_user(username="staff")
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
    make_user(username="staff")
    fail(client, "staff", 5)
    attempt = AccessAttempt.objects.get(username="staff")
    page = post_login(client, "staff", PASSWORD).content.decode()
    ends = timezone.localtime(attempt.attempt_time + timedelta(minutes=15))
    assert f"เข้าสู่ระบบได้อีกครั้งหลังเวลา <strong>{ends:%H:%M} น." in page
    # Trying during the lock neither counts nor moves its end.
    assert AccessAttempt.objects.get(username="staff").failures_since_start == 5


def test_four_wrong_passwords_then_the_right_one_logs_in_and_clears_the_count(client):
    make_user(username="staff")
    fail(client, "staff", 4)
    assert post_login(client, "staff", PASSWORD).status_code == 302
    assert logged_in_as(client) == "staff"
    assert not AccessAttempt.objects.filter(username="staff").exists()

    client.post(reverse("logout"))
    fail(client, "staff", 4)
    assert post_login(client, "staff", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client):
    make_user(username="staff")
    fail(client, "staff", 5)
    assert post_login(client, "staff", PASSWORD).status_code == 429
    # Fifteen minutes pass.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=15, seconds=1))
    assert post_login(client, "staff", PASSWORD).status_code == 302
    assert logged_in_as(client) == "staff"


def test_limits_come_from_the_settings(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=90)
    make_user(username="staff")
    responses = fail(client, "staff", 2)
    assert [r.status_code for r in responses] == [200, 429]
    assert "ไว้ <strong>1 ชั่วโมง 30 นาที</strong>" in responses[1].content.decode()


def test_another_person_in_the_same_office_still_logs_in(client):
    make_user(username="staff")
    make_user(username="colleague")
    fail(client, "staff", 5)
    assert post_login(client, "staff", PASSWORD).status_code == 429
    assert post_login(client, "colleague", PASSWORD).status_code == 302
    assert logged_in_as(client) == "colleague"


def test_the_same_person_from_another_address_still_logs_in(client):
    make_user(username="staff")
    fail(client, "staff", 5, ip=OFFICE)
    assert post_login(client, "staff", PASSWORD, ip=OFFICE).status_code == 429
    assert post_login(client, "staff", PASSWORD, ip=HOME).status_code == 302


def test_guessing_one_account_from_many_addresses_stops_each_address_that_guessed(client):
    make_user(username="coordinator")
    # 20 wrong passwords, 4 from each of 5 addresses: no single address reaches 5.
    responses = []
    for n in range(5):
        responses += fail(client, "coordinator", 4, ip=f"192.0.2.{n + 1}")
    assert [r.status_code for r in responses] == [200] * 19 + [429]
    # Every address that guessed is locked for the account, the right password too.
    for n in range(5):
        response = post_login(client, "coordinator", PASSWORD, ip=f"192.0.2.{n + 1}")
        assert response.status_code == 429
        assert LOCKED_TITLE in response.content.decode()
    # A new address's first wrong guess is its last.
    assert [r.status_code for r in fail(client, "coordinator", 2, ip="192.0.2.99")] == [429, 429]
    assert post_login(client, "coordinator", PASSWORD, ip="192.0.2.99").status_code == 429
    # Other accounts are not affected.
    make_user(username="staff")
    assert post_login(client, "staff", PASSWORD, ip="192.0.2.1").status_code == 302


def test_the_owner_still_signs_in_while_others_guess_the_password_from_many_addresses(client):
    make_user(username="staff-procurement")
    for n in range(21):
        post_login(client, "staff-procurement", "wrong", ip=f"192.0.2.{n + 1}")
    # The owner, at an address that has not guessed, is not locked out.
    assert post_login(client, "staff-procurement", PASSWORD, ip=HOME).status_code == 302
    assert logged_in_as(client) == "staff-procurement"


def test_others_guessing_do_not_lock_the_owner_where_they_signed_in_before(client):
    make_user(username="staff")
    assert post_login(client, "staff", PASSWORD, ip=OFFICE).status_code == 302
    client.post(reverse("logout"))
    for n in range(20):
        post_login(client, "staff", "wrong", ip=f"192.0.2.{n + 1}")
    # At the office the owner mistypes once, then signs in.
    assert post_login(client, "staff", "wrong", ip=OFFICE).status_code == 200
    assert post_login(client, "staff", PASSWORD, ip=OFFICE).status_code == 302
    assert logged_in_as(client) == "staff"


def test_spraying_many_usernames_from_one_address_locks_that_address(client):
    """A few passwords tried on each of many usernames (password spraying): 20 wrong
    passwords from one address lock it for every username but those that have signed
    in from there before."""
    make_user(username="executive")
    make_user(username="colleague")
    assert post_login(client, "colleague", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    responses = []
    for n in range(10):
        responses += fail(client, f"staff-{n}", 2)
    assert [r.status_code for r in responses] == [200] * 19 + [429]

    response = post_login(client, "executive", PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert "ใส่รหัสผ่านผิดจากเครือข่ายของคุณ (ที่อยู่ IP เดียวกัน) หลายครั้งเกินไป" in page
    assert "ระงับการเข้าสู่ระบบจากเครือข่ายนี้ไว้ <strong>15 นาที</strong>" in page
    last = max(AccessAttempt.objects.values_list("attempt_time", flat=True))
    ends = timezone.localtime(last + timedelta(minutes=15))
    assert f"เข้าสู่ระบบได้อีกครั้งหลังเวลา <strong>{ends:%H:%M} น." in page
    # Further tries are refused unread: no more records of wrong passwords.
    fail(client, "staff-10", 3)
    assert AccessFailureLog.objects.count() == 20
    # Elsewhere the executive signs in; here, who signed in from here before does.
    assert post_login(client, "colleague", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert post_login(client, "executive", PASSWORD, ip=HOME).status_code == 302
    # The superuser lifts the address's lock.
    client.post(reverse("logout"))
    call_command("axes_reset_ip", OFFICE, stdout=StringIO())
    assert post_login(client, "executive", PASSWORD).status_code == 302


def test_the_limit_per_address_comes_from_the_settings(client, settings):
    settings.ITA_ADDRESS_FAILURE_LIMIT = 8
    responses = []
    for n in range(4):
        responses += fail(client, f"staff-{n}", 2)
    assert [r.status_code for r in responses] == [200] * 7 + [429]
    settings.ITA_ADDRESS_FAILURE_LIMIT = 0  # off
    make_user(username="executive")
    assert post_login(client, "executive", PASSWORD).status_code == 302


def test_admin_login_is_locked_too_with_a_thai_page(client):
    make_user(username="admin", is_staff=True, is_superuser=True)
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
    make_user(username="staff")
    fail(client, "staff", 6)
    logged = AccessFailureLog.objects.filter(username="staff")
    assert logged.count() == 5  # the sixth, refused while locked, is not a password tried
    assert logged.filter(locked_out=True).count() == 1


@pytest.mark.parametrize(
    "env, message",
    [
        ({"AXES_FAILURE_LIMIT": "0"}, "AXES_FAILURE_LIMIT"),
        ({"ITA_USERNAME_FAILURE_LIMIT": "3"}, "ITA_USERNAME_FAILURE_LIMIT"),
        ({"ITA_ADDRESS_FAILURE_LIMIT": "3"}, "ITA_ADDRESS_FAILURE_LIMIT"),
    ],
)
def test_impossible_limits_refuse_to_start(env, message):
    result = run_with_settings(env, "import ita_portal.settings")
    assert result.returncode != 0
    assert message in result.stderr


# --- Unlocking --------------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return make_user(username="admin", is_staff=True, is_superuser=True)


def test_superuser_sees_the_lock_in_thai_and_unlocks_it(client, superuser):
    make_user(username="staff")
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
    make_user(username="staff")
    fail(client, "staff", 5)
    attempt = AccessAttempt.objects.get(username="staff")
    admin = type(client)()
    admin.force_login(superuser)
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 302
    assert post_login(client, "staff", PASSWORD).status_code == 302


def test_superuser_unlocks_with_the_command(client):
    make_user(username="staff")
    fail(client, "staff", 5)
    assert post_login(client, "staff", PASSWORD).status_code == 429
    out = StringIO()
    call_command("axes_reset_username", "staff", stdout=out)
    assert "1 attempts removed." in out.getvalue()
    assert post_login(client, "staff", PASSWORD).status_code == 302


def test_clean_up_expired_records_from_the_admin(client, superuser):
    make_user(username="staff")
    make_user(username="old")
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
    coordinator = make_user(username="coord", is_staff=True)
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
