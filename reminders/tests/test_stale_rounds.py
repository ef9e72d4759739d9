"""Reminders concern the rounds people work on: those of the current fiscal year
and those whose period ended at most ITA_REMINDER_STALE_DAYS (90) days ago. An open
round older than that nags nobody; its coordinator is told to close it, weekly at
most. The seed agency's 12-month round of FY 2566 ends on 30 Sep 2023, open."""

from datetime import date

import pytest
from django.urls import reverse

from measures.models import Measure, Round
from progress.models import Progress, ReviewState
from reminders.models import Kind, SentReminder
from reminders.selectors import notices
from reminders.send_services import send_reminders

pytestmark = pytest.mark.django_db
SITE = "https://ita.example.go.th"
STALE_DAY = date(2024, 1, 15)  # FY 2567, 107 days after the round ended


def rounds(today: date) -> dict[tuple[str, str], set[int]]:
    """{(username, kind): {round pk}} of the reminders due today."""
    found = {}
    for notice in notices(today):
        for item in notice.items:
            name, key = notice.user.username, item.key.split(":")
            # progress:<measure>:<round>:..., the others <what>:<round>:...
            round_pk = int(key[2] if key[0] == "progress" else key[1])
            found.setdefault((name, notice.kind), set()).add(round_pk)
    return found


def test_a_stale_round_nags_nobody_and_its_coordinator_is_told_to_close_it_weekly(
    smtp, org, people, client
):
    twelve = Round.objects.get(organization=org, kind=12)
    waiting = Progress.objects.create(
        measure=Measure.objects.get(organization=org, order=2),
        round=twelve,
        review_state=ReviewState.SUBMITTED,
        status="in_progress",
    )
    Progress.objects.filter(pk=waiting.pk).update(updated_at="2023-09-20T03:00:00+00:00")

    send_reminders(today=STALE_DAY)

    # No staff nag, no weekly summary, no review reminder: one e-mail, the coordinator's.
    (mail,) = smtp.received
    assert mail["To"] == "coord@example.go.th"
    assert smtp.subject(mail) == (
        "แจ้งเตือน: รอบการรายงานที่ควรปิด 1 รอบ — องค์การบริหารส่วนจังหวัดอุบลราชธานี"
    )
    body = smtp.text(mail)
    assert "1. รอบ 12 เดือน ปีงบประมาณ พ.ศ. 2566" in body.splitlines()
    assert "สิ้นสุดรอบเมื่อ 30 ก.ย. 2566 (ผ่านมาแล้ว 107 วัน) แต่ยังเปิดอยู่" in body
    assert "ทั้งหมด 8 มาตรการ: รอตรวจ 1, ยังไม่ดำเนินการ 7" in body
    link = SITE + reverse("progress:round_open", args=[twelve.pk]) + "?open=0"
    assert link in body
    # The link opens the page that asks before closing and says what still waits.
    client.force_login(people["coordinator"])
    page = client.get(link.removeprefix(SITE)).content.decode()
    assert "ยืนยันปิดรอบ" in page and "มีผลที่รอตรวจ 1 มาตรการ" in page

    # Again that day and later that week: nothing more; a week on: once more.
    send_reminders(today=STALE_DAY)
    send_reminders(today=date(2024, 1, 19))
    assert len(smtp.received) == 1
    send_reminders(today=date(2024, 1, 20))
    assert [m["To"] for m in smtp.received] == ["coord@example.go.th"] * 2
    assert "(ผ่านมาแล้ว 112 วัน)" in smtp.text(smtp.received[-1])
    assert set(SentReminder.objects.values_list("kind", flat=True)) == {Kind.STALE_ROUND}


def test_rounds_of_this_fiscal_year_or_ended_within_the_stale_days_are_worked_on(
    org, people, settings
):
    six = Round.objects.get(organization=org, kind=6)
    twelve = Round.objects.get(organization=org, kind=12)
    Round.objects.filter(pk=six.pk).update(is_open=True)  # ended 31 Mar 2023

    # 23 Sep 2023: both rounds are of the current fiscal year (2566), however long ago
    # the 6-month one ended: the executive's summary covers both, nothing is stale.
    due = rounds(date(2023, 9, 23))
    assert due[("boss", Kind.WEEKLY_SUMMARY)] == {six.pk, twelve.pk}
    assert due[("somsri", Kind.DUE_SOON)] == {twelve.pk}
    assert not any(kind == Kind.STALE_ROUND for _, kind in due)

    # 29 Dec 2023 (FY 2567): the 12-month round ended 90 days ago, still worked on;
    # the 6-month round ended 273 days ago: its coordinator is told to close it.
    due = rounds(date(2023, 12, 29))
    assert due[("boss", Kind.WEEKLY_SUMMARY)] == {twelve.pk}
    assert due[("somsri", Kind.LATE)] == {twelve.pk}
    assert due[("coord", Kind.STALE_ROUND)] == {six.pk}

    # The day after, both are stale: the coordinator alone, one e-mail naming both.
    assert rounds(date(2023, 12, 30)) == {("coord", Kind.STALE_ROUND): {six.pk, twelve.pk}}

    # ITA_REMINDER_STALE_DAYS shortens it.
    settings.ITA_REMINDER_STALE_DAYS = 30
    assert ("somsri", Kind.LATE) in rounds(date(2023, 10, 30))
    assert rounds(date(2023, 10, 31)) == {("coord", Kind.STALE_ROUND): {six.pk, twelve.pk}}
