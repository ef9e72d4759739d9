"""Reminders sent through a real SMTP server (reminders/tests/smtp.py) on the seed
agency's open 12-month round of FY 2566 (ends 30 Sep 2023; no result reported yet)."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from measures.models import Measure, Round
from organizations.models import Membership
from progress.models import Progress, ReviewState
from reminders.models import Kind, SentReminder
from reminders.send_services import send_reminders
from reminders.services import set_reminders_enabled
from testing.factories import member
from testing.helpers import OFFICE

pytestmark = pytest.mark.django_db
Role = Membership.Role
SITE = "https://ita.example.go.th"
WEEK_BEFORE = date(2023, 9, 23)  # 7 days before the 12-month round's end


def form_link(org, order: int) -> str:
    measure = Measure.objects.get(organization=org, order=order)
    return SITE + reverse("progress:progress", args=[measure.pk, 12])


def test_each_person_gets_one_thai_email_naming_their_measures_with_links(smtp, org, people):
    outcome = send_reminders(today=WEEK_BEFORE)

    assert outcome.failed == 0
    (mail,) = smtp.to("somsri@example.go.th")
    assert smtp.subject(mail) == (
        "แจ้งเตือน: มาตรการที่ต้องรายงานผลใกล้ถึงกำหนด 6 มาตรการ — องค์การบริหารส่วนจังหวัดอุบลราชธานี"
    )
    body = smtp.text(mail)
    assert "เรียน คุณsomsri" in body
    # สำนักปลัด's measure 2 and those of every division (4-8); not กองการเจ้าหน้าที่'s 1.
    assert "มาตรการที่ 2 " in body and "มาตรการที่ 1 " not in body
    assert form_link(org, 2) in body
    assert "กำหนด 30 ก.ย. 2566 (อีก 7 วัน)" in body
    assert f"{SITE}/reminders/" in body  # where to turn them off
    (hr_mail,) = smtp.to("hr@example.go.th")
    assert form_link(org, 1) in smtp.text(hr_mail)
    assert form_link(org, 2) not in smtp.text(hr_mail)
    # The coordinator: every measure not done before the round ends.
    (closing,) = smtp.to("coord@example.go.th")
    assert "ใกล้สิ้นสุดรอบการรายงาน ยังไม่แล้วเสร็จ 8 มาตรการ" in smtp.subject(closing)
    assert "ยังไม่ดำเนินการ — สิ้นสุดรอบ 30 ก.ย. 2566 (อีก 7 วัน)" in smtp.text(closing)
    # The executive: the weekly summary with the dashboard's link.
    (summary,) = smtp.to("boss@example.go.th")
    assert smtp.subject(summary).startswith("สรุปความคืบหน้าประจำสัปดาห์")
    assert "ทั้งหมด 8 มาตรการ: ยังไม่ดำเนินการ 8" in smtp.text(summary)
    assert f"{SITE}/dashboard/{org.slug}/2566/12/" in smtp.text(summary)
    assert outcome.sent == len(smtp.received) == 4


def test_twice_the_same_day_sends_once(smtp, org, people):
    send_reminders(today=WEEK_BEFORE)
    sent = len(smtp.received)
    rows = SentReminder.objects.count()

    again = send_reminders(today=WEEK_BEFORE)

    assert again.sent == 0 and len(smtp.received) == sent
    assert SentReminder.objects.count() == rows
    assert set(SentReminder.objects.values_list("status", flat=True)) == {"sent"}
    # The next stage (one day before) is a new reminder.
    send_reminders(today=WEEK_BEFORE + timedelta(days=5))
    assert len(smtp.to("somsri@example.go.th")) == 1  # 2 days before: still the 7-day stage
    send_reminders(today=date(2023, 9, 29))
    assert len(smtp.to("somsri@example.go.th")) == 2
    assert "(อีก 1 วัน)" in smtp.text(smtp.to("somsri@example.go.th")[-1])


def test_late_measures_are_reminded_weekly(smtp, org, people):
    send_reminders(today=date(2023, 10, 1))
    (late,) = smtp.to("somsri@example.go.th")
    assert "เลยกำหนดรายงานผล 6 มาตรการ" in smtp.subject(late)
    assert "(เลยกำหนดมาแล้ว 1 วัน)" in smtp.text(late)
    send_reminders(today=date(2023, 10, 7))
    assert len(smtp.to("somsri@example.go.th")) == 1
    send_reminders(today=date(2023, 10, 8))
    assert len(smtp.to("somsri@example.go.th")) == 2


def test_reported_measures_are_not_reminded_and_waiting_results_go_to_the_coordinator(
    smtp, org, people
):
    twelve = Round.objects.get(organization=org, kind=12)
    measure = Measure.objects.get(organization=org, order=2)
    progress = Progress.objects.create(
        measure=measure, round=twelve, review_state=ReviewState.SUBMITTED, status="in_progress"
    )
    Progress.objects.filter(pk=progress.pk).update(updated_at="2023-09-10T03:00:00+00:00")

    send_reminders(today=WEEK_BEFORE)

    staff_body = smtp.text(smtp.to("somsri@example.go.th")[0])
    assert "มาตรการที่ 2 " not in staff_body and "มาตรการที่ 4 " in staff_body
    review = next(m for m in smtp.to("coord@example.go.th") if "รอตรวจ" in smtp.subject(m))
    body = smtp.text(review)
    assert "รอตรวจมาแล้ว 13 วัน" in body
    assert SITE + reverse("progress:detail", args=[measure.pk]) + "#review-12" in body


def test_dry_run_sends_and_records_nothing(smtp, org, people):
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)

    assert smtp.received == []
    assert SentReminder.objects.count() == 0
    # Today the seed's 2566 round is years past its end: its coordinator is told to close it.
    assert "coord@example.go.th: แจ้งเตือน: รอบการรายงานที่ควรปิด 1 รอบ" in out.getvalue()
    assert "somsri@example.go.th" not in out.getvalue()
    assert "ทดลองเท่านั้น ไม่ได้ส่ง" in out.getvalue()


def test_a_person_who_turned_reminders_off_gets_none(smtp, org, people):
    set_reminders_enabled(user=people["staff"], enabled=False)

    send_reminders(today=WEEK_BEFORE)

    assert smtp.to("somsri@example.go.th") == []
    assert smtp.to("hr@example.go.th") != []


def test_a_refused_address_does_not_stop_the_others_and_is_retried_up_to_the_cap(
    smtp, org, people, settings
):
    smtp.refuse.add("somsri@example.go.th")

    outcome = send_reminders(today=WEEK_BEFORE)

    assert outcome.failed == 1 and outcome.sent == 3
    assert smtp.to("hr@example.go.th") and smtp.to("boss@example.go.th")
    failed = SentReminder.objects.filter(user=people["staff"])
    assert {(r.status, r.attempts) for r in failed} == {("failed", 1)}
    assert "550" in failed[0].error
    # Still refused the next run: tried again, up to the cap in all.
    settings.ITA_REMINDER_MAX_ATTEMPTS = 2
    send_reminders(today=WEEK_BEFORE)
    send_reminders(today=WEEK_BEFORE + timedelta(days=1))
    assert {r.attempts for r in SentReminder.objects.filter(user=people["staff"])} == {2}
    # The address works again and the cap is raised: the next run sends it.
    smtp.refuse.clear()
    settings.ITA_REMINDER_MAX_ATTEMPTS = 5
    send_reminders(today=WEEK_BEFORE + timedelta(days=1))
    (mail,) = smtp.to("somsri@example.go.th")
    assert "(อีก 6 วัน)" in smtp.text(mail)  # the 7-day stage, as things stand that day
    assert SentReminder.objects.filter(user=people["staff"], status="sent").exists()


def test_a_mail_server_that_is_down_fails_every_email_then_they_are_sent(
    smtp, org, people, settings
):
    settings.EMAIL_PORT = smtp.port + 1 if smtp.port < 65535 else smtp.port - 1  # nobody there
    outcome = send_reminders(today=WEEK_BEFORE)
    assert outcome.sent == 0 and outcome.failed == 4
    assert set(SentReminder.objects.values_list("status", flat=True)) == {"failed"}

    settings.EMAIL_PORT = smtp.port
    outcome = send_reminders(today=WEEK_BEFORE)
    assert outcome.sent == 4 and len(smtp.received) == 4
    assert set(SentReminder.objects.values_list("status", flat=True)) == {"sent"}


def test_people_without_an_address_or_inactive_are_skipped(smtp, org, people):
    member(org, Role.STAFF, "noaddress", [OFFICE])
    people["hr"].is_active = False
    people["hr"].save()

    send_reminders(today=WEEK_BEFORE)

    assert {m["To"] for m in smtp.received} == {
        "somsri@example.go.th",
        "coord@example.go.th",
        "boss@example.go.th",
    }
    assert not SentReminder.objects.filter(kind=Kind.LATE).exists()


def test_the_beat_schedule_runs_the_registered_task(settings):
    from ita_portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["reminders"]
    assert entry["task"] == "reminders.send_reminders"
    app.loader.import_default_modules()
    assert "reminders.send_reminders" in app.tasks
    assert entry["schedule"].hour == set(range(7, 18))


def test_the_approver_is_reminded_of_a_version_waiting_for_them(smtp, org, people):
    from approvals.models import ApprovalRequest

    # As approvals.services.request_approval leaves it (without rendering the draft).
    waiting = ApprovalRequest.objects.create(
        organization=org,
        round=Round.objects.get(organization=org, kind=6),
        content_sha256="0" * 64,
        requested_by=people["coordinator"],
        requested_name="coord",
        requested_at=timezone.now(),
    )

    send_reminders()

    (mail,) = [m for m in smtp.to("boss@example.go.th") if "รออนุมัติ" in smtp.subject(m)]
    assert smtp.subject(mail).startswith("แจ้งเตือน: รายงานรออนุมัติ 1 ฉบับ")
    body = smtp.text(mail)
    assert "รายงานผลการดำเนินการตามมาตรการ รอบ 6 เดือน ปีงบประมาณ พ.ศ. 2566" in body
    assert SITE + reverse("approvals:detail", args=[waiting.pk]) in body
    assert "โดย coord" in body
    # Nobody else approves: staff and the coordinator get no such e-mail.
    assert not any("รออนุมัติ" in smtp.subject(m) for m in smtp.to("coord@example.go.th"))


def test_finding_the_reminders_costs_the_same_queries_for_more_measures(org, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from measures.models import MeasureDivision
    from organizations.models import Division
    from reminders.selectors import notices

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            found = notices(WEEK_BEFORE)
        return len(queries), sum(len(n.items) for n in found)

    before, items = count()
    office = Division.objects.get(organization=org, name=OFFICE)
    first = Measure.objects.get(organization=org, order=2)
    for order in range(20, 40):
        added = Measure.objects.create(
            organization=org,
            fiscal_year=first.fiscal_year,
            indicator=first.indicator,
            monitoring="รายงานผลต่อผู้บริหาร",
            order=order,
        )
        MeasureDivision.objects.create(measure=added, division=office, order=1)
    after, more_items = count()
    # The open rounds, the people (and their divisions), the measures (their divisions
    # and results), each person's role and divisions, each collective measure's divisions.
    assert after == before
    assert more_items == items + 20 * 2  # the staff member's, and the coordinator's


def test_without_mail_configured_nothing_is_recorded_as_sent(org, people, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    out = io.StringIO()

    call_command("send_reminders", stdout=out)

    assert "ยังไม่ได้ตั้งค่าการส่งอีเมล (EMAIL_HOST) จึงไม่ได้ส่งการแจ้งเตือน" in out.getvalue()
    assert SentReminder.objects.count() == 0


def test_an_item_another_run_is_sending_is_left_to_it_unless_that_run_died(smtp, org, people):
    from reminders.selectors import notices

    staff = people["staff"]
    items = [n for n in notices(WEEK_BEFORE) if n.user == staff][0].items
    claimed = {
        "user": staff,
        "kind": Kind.DUE_SOON,
        "day": WEEK_BEFORE,
        "email": staff.email,
        "subject": "กำลังส่งโดยอีกรอบหนึ่ง",
        "status": SentReminder.Status.SENDING,
    }
    for item in items:
        SentReminder.objects.create(subject_key=item.key, **claimed)

    send_reminders(today=WEEK_BEFORE)
    assert smtp.to("somsri@example.go.th") == []  # the other run sends them

    # That run died an hour and more ago: its items are taken over and sent once.
    SentReminder.objects.filter(user=staff).update(updated_at=timezone.now() - timedelta(hours=2))
    send_reminders(today=WEEK_BEFORE)
    send_reminders(today=WEEK_BEFORE)
    (mail,) = smtp.to("somsri@example.go.th")
    assert "ใกล้ถึงกำหนด 6 มาตรการ" in smtp.subject(mail)
    assert set(SentReminder.objects.filter(user=staff).values_list("status", flat=True)) == {"sent"}
