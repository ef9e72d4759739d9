"""What reminders sent, in the admin for the superuser: Thai columns with the day and
the time in BE; read only; coordinators do not open it (a row names a person, not an
agency); the list costs the same number of queries whatever its rows."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from reminders.models import Kind, SentReminder
from testing.admin_pages import admin_url, list_page, root_client, writes_refused
from testing.factories import UserFactory
from testing.pages import visible_text

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 1, 15, 9, 30, tzinfo=ZoneInfo("Asia/Bangkok"))
WHEN_BE = "15 ม.ค. 2569 09:30 น."


def sent(user, day=date(2026, 1, 15), status=SentReminder.Status.SENT) -> SentReminder:
    row = SentReminder.objects.create(
        user=user,
        kind=Kind.LATE,
        subject_key=f"progress:{user.pk}:late:w0",
        day=day,
        email=f"{user.username}@example.go.th",
        subject="แจ้งเตือน: มาตรการที่เลยกำหนดรายงานผล 1 มาตรการ",
        status=status,
        attempts=1,
    )
    SentReminder.objects.filter(pk=row.pk).update(updated_at=WHEN)
    return row


@pytest.fixture
def reminder(db):
    return sent(UserFactory(username="somsri", first_name="สมศรี", last_name="ใจดี"))


def test_the_superuser_reads_what_was_sent_in_thai_and_be(reminder):
    client = root_client()
    text, _ = list_page(client, SentReminder)
    for heading in (
        "วันที่แจ้งเตือน",
        "ประเภทการแจ้งเตือน",
        "อีเมลผู้รับ",
        "ผู้รับ",
        "หัวเรื่องอีเมล",
        "สถานะ",
        "จำนวนครั้งที่ส่ง",
        "บันทึกล่าสุด",
    ):
        assert heading in text, heading
    assert (
        "15 มกราคม 2569 เลยกำหนดรายงานผล somsri@example.go.th สมศรี ใจดี "
        f"แจ้งเตือน: มาตรการที่เลยกำหนดรายงานผล 1 มาตรการ ส่งแล้ว 1 {WHEN_BE}"
    ) in text
    assert "2026" not in text
    page = visible_text(client.get(admin_url(SentReminder, "change", reminder.pk)))
    assert "วันที่แจ้งเตือน: 15 มกราคม 2569" in page and "2026" not in page


def test_coordinators_do_not_open_it_and_nobody_writes_here(reminder, coordinator_client):
    assert coordinator_client.get(admin_url(SentReminder, "changelist")).status_code == 403
    writes_refused(root_client(), reminder)


def test_the_list_costs_the_same_whatever_its_rows(reminder):
    client = root_client()
    _, before = list_page(client, SentReminder)
    for n in range(10):
        sent(UserFactory(username=f"staff{n}"), status=SentReminder.Status.FAILED)
    text, after = list_page(client, SentReminder)
    assert "staff9@example.go.th" in text
    # The session and its user, the page's rows (their people joined), the count, the
    # date drill-down's years.
    assert after == before <= 6
