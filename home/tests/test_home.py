"""The home pages count results the way the dashboard does (progress.standing) and
give every measure the due date the measure page gives it."""

import re
from datetime import date

import pytest
from django.urls import reverse

from measures.models import Measure, Round
from organizations.access import SYSTEM
from organizations.models import Membership
from progress import services as progress
from progress.models import Progress
from testing.factories import member
from testing.pages import element_text, visible_text

pytestmark = pytest.mark.django_db

SAMNAK_PALAD = "สำนักปลัดองค์การบริหารส่วนจังหวัด"


def report(round_, order, *, submit=False, approve=False, status=Progress.Status.DONE):
    measure = Measure.objects.get(organization=round_.organization, order=order)
    saved = progress.save_progress(
        measure=measure,
        round_=round_,
        user=SYSTEM,
        data=progress.ProgressInput(
            status=status,
            completed_on=date(2023, 4, 18) if status == Progress.Status.DONE else None,
            result_text="ดำเนินการตามแผน",
            cannot_reason="",
        ),
        seen_version=0,
    )
    if submit or approve:
        saved = progress.submit_progress(progress=saved, user=SYSTEM)
    if approve:
        progress.review_progress(progress=saved, user=SYSTEM, approve=True, comment="")


def round_row(html: str, label: str) -> str:
    row = next(r for r in re.findall(r"<tr>.*?</tr>", html, re.S) if label in r)
    return visible_text(row)


def test_coordinator_home_counts_only_approved_results_as_done(client, seed):
    org = seed.organization
    twelve = Round.objects.get(organization=org, kind=Round.Kind.TWELVE_MONTHS)
    report(twelve, 1, approve=True)
    report(twelve, 2, submit=True)
    report(twelve, 3, submit=True, status=Progress.Status.IN_PROGRESS)
    report(twelve, 4)  # typed as done, never sent
    client.force_login(member(org, Membership.Role.COORDINATOR, "coord"))

    html = client.get(reverse("home")).content.decode()

    assert round_row(html, "รอบ 12 เดือน ปีงบประมาณ").startswith(
        "รอบ 12 เดือน ปีงบประมาณ พ.ศ. 2566 1 ต.ค. 2565 – 30 ก.ย. 2566 เปิดรับรายงาน "
        "1 จาก 8 มาตรการ (13%) รอตรวจ 2"
    )
    # The seed's 6-month results were approved.
    assert "8 จาก 8 มาตรการ (100%)" in round_row(html, "รอบ 6 เดือน ปีงบประมาณ")
    assert "รอตรวจ" not in round_row(html, "รอบ 6 เดือน ปีงบประมาณ")
    assert "นับเป็นแล้วเสร็จเมื่อผู้ประสานงานอนุมัติแล้ว" in visible_text(html)


def test_staff_home_and_measure_page_give_the_same_due_date(client, seed):
    org = seed.organization
    Measure.objects.filter(organization=org, order=8).update(deadline=date(2023, 6, 30))
    client.force_login(member(org, Membership.Role.STAFF, "staff", [SAMNAK_PALAD]))

    home = client.get(reverse("home")).content.decode()
    table = home[home.index('id="my-measures"') : home.index("</table>", home.index("my-measures"))]
    rows = {
        visible_text(row).split(".")[0]: visible_text(row)
        for row in re.findall(r"<tr>.*?</tr>", table, re.S)
    }
    # Measure 2 has no deadline of its own: it is due when the round ends.
    assert "30 ก.ย. 2566 (วันสิ้นสุดรอบ)" in rows["2"]
    assert "30 มิ.ย. 2566" in rows["8"] and "วันสิ้นสุดรอบ" not in rows["8"]

    two = Measure.objects.get(organization=org, order=2)
    page = client.get(reverse("progress:detail", args=[two.pk])).content.decode()
    due = element_text(page, "due")
    assert due == ("รอบ 6 เดือน: 31 มี.ค. 2566 (วันสิ้นสุดรอบ) รอบ 12 เดือน: 30 ก.ย. 2566 (วันสิ้นสุดรอบ)")
    assert "ไม่ได้กำหนด" not in visible_text(page).replace("ไม่ได้กำหนดวันแล้วเสร็จเอง", "")

    eight = Measure.objects.get(organization=org, order=8)
    page = client.get(reverse("progress:detail", args=[eight.pk])).content.decode()
    due = element_text(page, "due")
    assert due == "รอบ 6 เดือน: 30 มิ.ย. 2566 รอบ 12 เดือน: 30 มิ.ย. 2566"
