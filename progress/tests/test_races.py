"""Races and bad input on the progress pages: the 409 page or a clear Thai
message, never a server error; nothing typed is lost, nothing recorded twice.

The tests with threads run real concurrent transactions on PostgreSQL (each
thread has its own connection). The in-memory SQLite test database cannot
hold two connections' transactions at once; SQLite's own queueing is tested
with a database file in a separate process (test_sqlite_writers_queue).
"""

import json
import os
import re
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.test import Client
from django.urls import reverse

from measures.models import Round
from organizations.models import Membership
from progress.models import Progress, ReviewState, StepProgress
from progress.services import (
    ProgressInput,
    ReviewConflictError,
    StaleEditError,
    review_progress,
    save_progress,
    set_round_open,
    submit_progress,
)
from testing.factories import member
from testing.forms import form_data
from testing.helpers import OFFICE, PDF, measure, open_form, progress_url
from testing.threads import (
    HeldOpen,
    Worker,
    postgresql_only,
    wait_until_someone_waits_for_a_lock,
)

APPROVED_MESSAGE = 'role="alert">อนุมัติแล้ว: มาตรการที่ 2 '  # the success message after approving


@pytest.fixture
def colleague(org):
    """Another staff member of the division of `staff` (testing/fixtures.py)."""
    return member(org, Membership.Role.STAFF, "somsri", [OFFICE])


def twelve(org):
    return Round.objects.get(organization=org, kind=12)


def review_url(m, kind=12):
    return reverse("progress:review", args=[m.pk, kind])


def detail_url(m):
    return reverse("progress:detail", args=[m.pk])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def open_review(client, m, kind=12) -> dict:
    """The review form as the measure page shows it (the buttons add `decision`)."""
    page = client.get(detail_url(m)).content.decode()
    return form_data(page, form_id=f"review-{kind}")


def entered(**changes) -> ProgressInput:
    values = {
        "status": "in_progress",
        "completed_on": None,
        "result_text": "",
        "cannot_reason": "",
        "step_dates": {},
    }
    return ProgressInput(**{**values, **changes})


def submitted(m, user) -> Progress:
    saved = save_progress(
        measure=m,
        round_=twelve(m.organization),
        user=user,
        data=entered(result_text="ประชุมชี้แจงแล้ว"),
        seen_version=0,
    )
    return submit_progress(progress=saved, user=user)


def alerts(response) -> list[str]:
    """The messages the page shows (success, warnings, errors)."""
    return re.findall(r'role="alert">([^<]*)</div>', response.content.decode())


def reasons(progress) -> list[str]:
    return list(
        progress.history.order_by("history_date", "history_id").values_list(
            "history_change_reason", flat=True
        )
    )


# --- Review: double click, two tabs, a change since the page was opened ---------


@pytest.mark.django_db
def test_double_click_on_approve_approves_once(org, staff, coordinator):
    m = measure(org)
    progress = submitted(m, staff)
    coord = logged_in(coordinator)
    data = {**open_review(coord, m), "decision": "approve"}

    first = coord.post(review_url(m), data, follow=True)
    second = coord.post(review_url(m), data, follow=True)

    assert first.status_code == second.status_code == 200
    assert APPROVED_MESSAGE in first.content.decode()
    page = second.content.decode()
    assert "ผลการดำเนินการนี้อนุมัติแล้ว โดย coord เมื่อ" in page
    assert "ระบบจึงไม่ได้" not in page  # nothing was refused: it is done
    progress.refresh_from_db()
    assert progress.review_state == ReviewState.APPROVED
    assert reasons(progress).count("อนุมัติ") == 1


@pytest.mark.django_db
def test_approve_in_one_tab_then_return_in_another(org, staff, coordinator):
    m = measure(org)
    progress = submitted(m, staff)
    coord = logged_in(coordinator)
    tab1, tab2 = open_review(coord, m), open_review(coord, m)

    coord.post(review_url(m), {**tab1, "decision": "approve"})
    response = coord.post(
        review_url(m), {**tab2, "decision": "return", "comment": "แนบลิงก์ด้วย"}, follow=True
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "ผลการดำเนินการนี้อนุมัติแล้ว โดย coord เมื่อ" in page
    assert "ระบบจึงไม่ได้ส่งกลับตามที่คุณเลือก" in page
    progress.refresh_from_db()
    assert (progress.review_state, progress.review_comment) == (ReviewState.APPROVED, "")
    assert "ส่งกลับให้แก้ไข" not in reasons(progress)


@pytest.mark.django_db
def test_a_decision_on_a_version_not_seen_is_refused(org, staff, coordinator):
    m = measure(org)
    progress = submitted(m, staff)
    coord = logged_in(coordinator)
    seen = open_review(coord, m)
    # Meanwhile another coordinator corrects the submitted result.
    other = logged_in(member(org, Membership.Role.COORDINATOR, "coord2"))
    data = open_form(other, m)
    data.update(result_text="ประชุมชี้แจงแล้ว 3 ครั้ง")
    assert other.post(progress_url(m), data).status_code == 302

    response = coord.post(review_url(m), {**seen, "decision": "approve"}, follow=True)

    page = response.content.decode()
    assert "ผลการดำเนินการนี้มีการเปลี่ยนแปลงหลังจากที่คุณเปิดหน้านี้ โดย coord2 เมื่อ" in page
    assert "ระบบจึงยังไม่ได้อนุมัติ" in page
    assert "ประชุมชี้แจงแล้ว 3 ครั้ง" in page  # the page shows what is there now
    progress.refresh_from_db()
    assert progress.review_state == ReviewState.SUBMITTED
    # Having read the new text, approving goes through.
    again = coord.post(review_url(m), {**open_review(coord, m), "decision": "approve"})
    assert again.status_code == 302
    progress.refresh_from_db()
    assert progress.review_state == ReviewState.APPROVED


@pytest.mark.django_db
def test_review_service_refuses_what_is_no_longer_waiting(org, staff, coordinator):
    m = measure(org)
    progress = submitted(m, staff)
    version = progress.version
    review_progress(progress=progress, user=coordinator, approve=False, comment="แก้ไข")
    with pytest.raises(ReviewConflictError) as refused:
        review_progress(
            progress=progress, user=coordinator, approve=True, comment="", seen_version=version
        )
    assert refused.value.already_done is False
    assert "ผลการดำเนินการนี้ส่งกลับให้แก้ไขแล้ว โดย coord เมื่อ" in refused.value.message
    assert "ระบบจึงไม่ได้อนุมัติตามที่คุณเลือก" in refused.value.message


# --- Saving and submitting: double click, closed or submitted meanwhile -----------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "coordinator"])
def test_double_click_on_save_and_submit_records_once(client, org, role, request):
    m = measure(org)
    client.force_login(request.getfixturevalue(role))
    data = open_form(client, m)
    data.update(
        status="in_progress",
        result_text="จัดประชุมแล้ว",
        links="www.ubonpao.go.th/ita/o42",
        action="submit",
    )

    first = client.post(progress_url(m), data)
    second = client.post(progress_url(m), data, follow=True)

    assert first.status_code == 302
    # The browser shows the answer to the second click (with the first one's message).
    assert second.status_code == 200
    assert set(alerts(second)) == {"บันทึกและส่งให้ผู้ประสานงานตรวจแล้ว"}
    progress = Progress.objects.get(measure=m, round__kind=12)
    assert progress.review_state == ReviewState.SUBMITTED
    assert reasons(progress) == ["บันทึกผลการดำเนินการ", "ส่งให้ผู้ประสานงานตรวจ"]
    assert progress.evidence.count() == 1


@pytest.mark.django_db
def test_second_click_with_other_text_after_submitting_keeps_the_text(client, org, staff):
    m = measure(org)
    client.force_login(staff)
    data = open_form(client, m)
    data.update(status="in_progress", result_text="จัดประชุมแล้ว", action="submit")
    assert client.post(progress_url(m), data).status_code == 302

    data.update(result_text="จัดประชุมแล้ว และเผยแพร่บนเว็บไซต์")
    response = client.post(progress_url(m), data)

    page = response.content.decode()
    assert response.status_code == 409
    assert "ผลการดำเนินการนี้ส่งให้ผู้ประสานงานตรวจแล้ว โดย somchai เมื่อ" in page
    assert "ระบบยังไม่ได้บันทึกข้อมูลด้านล่างที่คุณพิมพ์ไว้" in page
    assert "จัดประชุมแล้ว และเผยแพร่บนเว็บไซต์" in page
    assert Progress.objects.get(measure=m, round__kind=12).result_text == "จัดประชุมแล้ว"


@pytest.mark.django_db
def test_round_closed_while_typing_keeps_what_was_typed(client, org, staff, coordinator):
    m = measure(org)
    client.force_login(staff)
    data = open_form(client, m)
    coord = logged_in(coordinator)
    coord.post(reverse("progress:round_open", args=[twelve(org).pk]), {"open": "0", "confirm": "1"})

    data.update(status="done", completed_on="18/04/2566", result_text="ข้อความยาวที่พิมพ์ไว้")
    response = client.post(progress_url(m), data)

    page = response.content.decode()
    assert response.status_code == 409
    assert "รอบการรายงานนี้ปิดแล้ว แก้ไขไม่ได้" in page
    assert "ข้อความยาวที่พิมพ์ไว้" in page and "18/04/2566" in page
    assert 'id="progress-form"' in page
    assert not Progress.objects.filter(measure=m, round__kind=12).exists()


@pytest.mark.django_db
def test_submitted_by_a_colleague_while_typing_keeps_what_was_typed(client, org, staff, colleague):
    m = measure(org)
    client.force_login(staff)
    mine = open_form(client, m)
    other = logged_in(colleague)
    theirs = open_form(other, m)
    theirs.update(status="in_progress", result_text="ของเพื่อนร่วมงาน", action="submit")
    assert other.post(progress_url(m), theirs).status_code == 302

    mine.update(status="in_progress", result_text="ของฉัน")
    response = client.post(progress_url(m), mine)

    page = response.content.decode()
    assert response.status_code == 409
    assert "ผลการดำเนินการนี้ส่งให้ผู้ประสานงานตรวจแล้ว โดย somsri เมื่อ" in page
    assert "ของฉัน" in page
    assert Progress.objects.get(measure=m, round__kind=12).result_text == "ของเพื่อนร่วมงาน"


@pytest.mark.django_db
def test_submit_service_refuses_a_version_not_seen(org, staff, colleague):
    m = measure(org)
    saved = save_progress(measure=m, round_=twelve(org), user=staff, data=entered(), seen_version=0)
    save_progress(
        measure=m,
        round_=twelve(org),
        user=colleague,
        data=entered(result_text="ของเพื่อน"),
        seen_version=1,
    )
    with pytest.raises(StaleEditError) as stale:
        submit_progress(progress=saved, user=staff, seen_version=1)
    # What the colleague changed since the version the staff member saw, and nothing else.
    assert stale.value.changes == [("รายละเอียดผลการดำเนินการ", "—", "ของเพื่อน")]
    current = stale.value.current
    assert (current.version, current.result_text, current.updated_by) == (2, "ของเพื่อน", colleague)
    assert Progress.objects.get(pk=saved.pk).review_state == ReviewState.DRAFT


# --- Dates the database refuses -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["01/01/2400", "1 ม.ค. 2700", "31/12/2542"])
def test_years_the_database_refuses_get_a_thai_message(client, org, staff, typed):
    m = measure(org)
    step = m.steps.get(number=1)
    client.force_login(staff)
    data = open_form(client, m)
    data.update(
        status="done",
        completed_on=typed,
        result_text="ที่พิมพ์ไว้",
        **{f"step_{step.pk}": "on", f"step_{step.pk}_date": typed},
    )
    response = client.post(progress_url(m), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert f"วันที่แล้วเสร็จ: ปี พ.ศ. ต้องอยู่ระหว่าง 2543 ถึง 2643 (พิมพ์ไว้ “{typed}”)" in page
    assert f"วันที่ขั้นตอนที่ 1 แล้วเสร็จ: ปี พ.ศ. ต้องอยู่ระหว่าง 2543 ถึง 2643 (พิมพ์ไว้ “{typed}”)" in page
    assert "ที่พิมพ์ไว้" in page
    assert not Progress.objects.filter(measure=m, round__kind=12).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [date(1857, 1, 1), date(2101, 1, 1)])
def test_every_date_field_refuses_those_years_in_thai(org, staff, bad):
    m = measure(org)
    m.deadline = bad
    with pytest.raises(ValidationError) as error:
        m.full_clean()
    assert "ปี พ.ศ. ต้องอยู่ระหว่าง 2543 ถึง 2643" in error.value.message_dict["deadline"]

    progress = Progress(measure=m, round=twelve(org), status="done", completed_on=bad)
    with pytest.raises(ValidationError) as error:
        progress.full_clean()
    assert "ปี พ.ศ. ต้องอยู่ระหว่าง 2543 ถึง 2643" in error.value.message_dict["completed_on"]

    progress = Progress.objects.create(measure=m, round=twelve(org))
    mark = StepProgress(progress=progress, step=m.steps.get(number=1), done_on=bad)
    with pytest.raises(ValidationError) as error:
        mark.full_clean()
    assert "ปี พ.ศ. ต้องอยู่ระหว่าง 2543 ถึง 2643" in error.value.message_dict["done_on"]


@pytest.mark.django_db
def test_the_admin_refuses_those_years_naming_the_field(client, org, coordinator):
    m = measure(org)
    client.force_login(coordinator)
    url = reverse("admin:measures_measure_change", args=[m.pk])
    data = form_data(client.get(url).content.decode(), form_id="measure_form")
    data["deadline"] = "01/01/2400"
    response = client.post(url, data)
    assert response.status_code == 200
    assert (
        "กำหนดเวลาแล้วเสร็จ: ปี พ.ศ. ต้องอยู่ระหว่าง 2543 ถึง 2643 (พิมพ์ไว้ “01/01/2400”)"
        in response.content.decode()
    )
    m.refresh_from_db()
    assert m.deadline is None


@pytest.mark.django_db
def test_save_service_refuses_a_step_date_the_database_would_refuse(org, staff):
    m = measure(org)
    step = m.steps.get(number=2)
    with pytest.raises(ValidationError) as error:
        save_progress(
            measure=m,
            round_=twelve(org),
            user=staff,
            data=entered(step_dates={step.pk: date(1857, 1, 1)}),
            seen_version=0,
        )
    assert error.value.messages == ["ขั้นตอนที่ 2 วันที่ดำเนินการแล้วเสร็จ: ปี พ.ศ. ต้องอยู่ระหว่าง 2543 ถึง 2643"]
    assert not Progress.objects.filter(measure=m, round__kind=12).exists()


# --- Files: none left behind when the save fails ------------------------------------


def refuse_evidence_links():
    """A database that refuses to store a link (after the files were written)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER refuse_link BEFORE INSERT ON measures_evidence "
                "WHEN NEW.url != '' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse_link() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_link BEFORE INSERT ON measures_evidence "
                "FOR EACH ROW WHEN (NEW.url <> '') EXECUTE FUNCTION refuse_link()"
            )


@pytest.mark.django_db
def test_a_save_that_fails_after_writing_files_leaves_no_file(org, staff, media_root):
    m = measure(org)
    upload = SimpleUploadedFile("รายงาน.pdf", PDF, content_type="application/pdf")
    refuse_evidence_links()  # rolled back with the test's transaction
    with pytest.raises(DatabaseError, match="refused by the test"):
        save_progress(
            measure=m,
            round_=twelve(org),
            user=staff,
            data=entered(),
            seen_version=0,
            files=[upload],
            links=["https://www.ubonpao.go.th/ita"],
        )
    assert not Progress.objects.filter(measure=m, round__kind=12).exists()
    assert [p for p in Path(media_root).rglob("*") if p.is_file()] == []


# --- Garbage in what a browser would never send -------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["abc", "", "-1", None])
def test_damaged_version_is_answered_in_thai_and_keeps_the_text(client, org, staff, version):
    m = measure(org)
    client.force_login(staff)
    data = open_form(client, m)
    data.update(status="in_progress", result_text="ข้อความของฉัน")
    if version is None:
        del data["version"]
    else:
        data["version"] = version

    response = client.post(progress_url(m), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "แบบฟอร์มนี้ไม่ได้บอกว่าเปิดจากข้อมูลฉบับใด" in page
    assert "ข้อความของฉัน" in page
    assert not Progress.objects.filter(measure=m, round__kind=12).exists()
    # The form now carries the current version: sending it again saves.
    again = form_data(page, form_id="progress-form")
    assert again["version"] == "0"
    assert client.post(progress_url(m), again).status_code == 302
    assert Progress.objects.get(measure=m, round__kind=12).result_text == "ข้อความของฉัน"


@pytest.mark.django_db
def test_huge_version_is_a_stale_edit(client, org, staff):
    m = measure(org)
    client.force_login(staff)
    data = open_form(client, m)
    data.update(status="in_progress", result_text="ของฉัน", version="9" * 40)
    response = client.post(progress_url(m), data)
    assert response.status_code == 409
    assert "ของฉัน" in response.content.decode()


@pytest.mark.django_db
def test_missing_status_is_named(client, org, staff):
    m = measure(org)
    client.force_login(staff)
    data = open_form(client, m)
    del data["status"]
    data["result_text"] = "ของฉัน"
    response = client.post(progress_url(m), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "ฟิลด์นี้จำเป็น" in page and "ของฉัน" in page


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [7, 0, 10**20])
def test_unknown_round_kind_is_404(client, org, staff, coordinator, kind):
    m = measure(org)
    client.force_login(coordinator)
    assert client.get(progress_url(m, kind)).status_code == 404
    assert client.post(progress_url(m, kind), {"status": "done"}).status_code == 404
    assert client.post(review_url(m, kind), {"decision": "approve"}).status_code == 404


@pytest.mark.django_db
def test_huge_ids_are_404(client, org, coordinator):
    client.force_login(coordinator)
    huge = 10**20
    assert client.get(reverse("progress:detail", args=[huge])).status_code == 404
    assert client.get(reverse("progress:progress", args=[huge, 12])).status_code == 404
    assert client.post(reverse("progress:review", args=[huge, 12])).status_code == 404
    toggle = reverse("progress:round_open", args=[huge])
    assert client.post(toggle, {"open": "0"}).status_code == 404
    assert client.get(reverse("progress:evidence", args=[huge])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"decision": "approve", "version": None}, "ไม่ทราบว่าคุณตรวจผลการดำเนินการฉบับใด"),
        ({"decision": "approve", "version": "abc"}, "ไม่ทราบว่าคุณตรวจผลการดำเนินการฉบับใด"),
        ({"decision": "maybe"}, "กรุณากดอนุมัติหรือส่งกลับให้แก้ไข"),
        ({"decision": None}, "กรุณากดอนุมัติหรือส่งกลับให้แก้ไข"),
        ({"decision": "approve", "version": "9" * 40}, "ระบบจึงยังไม่ได้อนุมัติ"),
    ],
)
def test_bad_review_posts_get_a_thai_message(client, org, staff, coordinator, post, message):
    m = measure(org)
    progress = submitted(m, staff)
    client.force_login(coordinator)
    data = {**open_review(client, m), **post}  # None: the field is missing
    data = {name: value for name, value in data.items() if value is not None}
    response = client.post(review_url(m), data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    progress.refresh_from_db()
    assert progress.review_state == ReviewState.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize("value", [None, "", "x", "2"])
def test_round_toggle_without_a_clear_choice_changes_nothing(client, org, coordinator, value):
    round_ = twelve(org)
    client.force_login(coordinator)
    response = client.post(
        reverse("progress:round_open", args=[round_.pk]),
        {} if value is None else {"open": value},
        follow=True,
    )
    assert "ไม่ทราบว่าต้องการเปิดหรือปิดรอบ 12 เดือน" in response.content.decode()
    round_.refresh_from_db()
    assert round_.is_open


@pytest.mark.django_db
def test_closing_a_round_twice_says_it_is_closed(client, org, coordinator):
    round_ = twelve(org)
    client.force_login(coordinator)
    url = reverse("progress:round_open", args=[round_.pk])
    client.post(url, {"open": "0", "confirm": "1"})
    response = client.post(url, {"open": "0", "confirm": "1"}, follow=True)
    assert "รอบ 12 เดือน ปีงบประมาณ พ.ศ. 2566 ปิดอยู่แล้ว" in response.content.decode()
    round_.refresh_from_db()
    assert not round_.is_open


# --- Real concurrency (PostgreSQL) ---------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_first_saves_at_once_one_is_saved_the_other_gets_the_409_page(org, staff, colleague):
    m = measure(org)
    round_ = twelve(org)
    browser = logged_in(staff)
    mine = open_form(browser, m)
    mine.update(status="in_progress", result_text="ของฉันที่พิมพ์ไว้")

    # The colleague's save has inserted its row but not committed yet.
    theirs = HeldOpen(
        lambda: save_progress(
            measure=m,
            round_=round_,
            user=colleague,
            data=entered(result_text="ของเพื่อนร่วมงาน"),
            seen_version=0,
        )
    )
    theirs.start()
    my_thread = Worker(lambda: browser.post(progress_url(m), mine))
    my_thread.start()
    wait_until_someone_waits_for_a_lock()
    theirs.commit()
    response = my_thread.outcome()

    page = response.content.decode()
    assert response.status_code == 409
    assert "มีผู้อื่นบันทึกผลการดำเนินการนี้หลังจากที่คุณเปิดแบบฟอร์ม" in page
    assert "ของฉันที่พิมพ์ไว้" in page
    progress = Progress.objects.get(measure=m, round=round_)
    assert progress.result_text == "ของเพื่อนร่วมงาน"
    assert reasons(progress) == ["บันทึกผลการดำเนินการ"]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_save_waits_for_the_round_being_closed_and_is_refused(org, staff, coordinator):
    m = measure(org)
    round_ = twelve(org)
    browser = logged_in(staff)
    mine = open_form(browser, m)  # the round is open when the form is opened
    mine.update(status="in_progress", result_text="ของฉันที่พิมพ์ไว้")
    closing = HeldOpen(
        lambda: set_round_open(
            round_=Round.objects.get(pk=round_.pk), user=coordinator, is_open=False
        )
    )
    closing.start()
    saving = Worker(lambda: browser.post(progress_url(m), mine))
    saving.start()
    wait_until_someone_waits_for_a_lock()
    closing.commit()
    response = saving.outcome()

    assert response.status_code == 409
    page = response.content.decode()
    assert "รอบการรายงานนี้ปิดแล้ว แก้ไขไม่ได้" in page
    assert "ของฉันที่พิมพ์ไว้" in page
    assert not Progress.objects.filter(measure=m, round=round_).exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_closing_a_round_waits_for_the_save_under_way(org, staff, coordinator):
    m = measure(org)
    round_ = twelve(org)
    saving = HeldOpen(
        lambda: save_progress(
            measure=m,
            round_=round_,
            user=staff,
            data=entered(result_text="บันทึกก่อนปิดรอบ"),
            seen_version=0,
        )
    )
    saving.start()
    coord = logged_in(coordinator)
    url = reverse("progress:round_open", args=[round_.pk])
    closing = Worker(lambda: coord.post(url, {"open": "0", "confirm": "1"}))
    closing.start()
    wait_until_someone_waits_for_a_lock()  # the close waits for the save
    round_.refresh_from_db()
    assert round_.is_open
    saving.commit()
    assert closing.outcome().status_code == 302
    round_.refresh_from_db()
    assert not round_.is_open
    assert Progress.objects.get(measure=m, round=round_).result_text == "บันทึกก่อนปิดรอบ"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_approve_at_the_same_moment(org, staff, coordinator):
    m = measure(org)
    progress = submitted(m, staff)
    other = member(org, Membership.Role.COORDINATOR, "coord2")
    clients = [logged_in(coordinator), logged_in(other)]
    forms = [{**open_review(c, m), "decision": "approve"} for c in clients]
    start = threading.Barrier(2)

    def approve(client, data):
        def job():
            start.wait(10)
            return client.post(review_url(m), data, follow=True)

        return job

    workers = [Worker(approve(c, d)) for c, d in zip(clients, forms, strict=True)]
    for w in workers:
        w.start()
    pages = [w.outcome().content.decode() for w in workers]

    assert sum(APPROVED_MESSAGE in p for p in pages) == 1
    assert sum("ผลการดำเนินการนี้อนุมัติแล้ว โดย" in p for p in pages) == 1
    progress.refresh_from_db()
    assert progress.review_state == ReviewState.APPROVED
    assert reasons(progress).count("อนุมัติ") == 1


# --- SQLite: writers queue instead of failing -----------------------------------


def test_sqlite_writers_queue(tmp_path):
    """Two first saves and two publications at once on a SQLite file, as `make run` uses."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "ita_portal.settings",
    }
    root = Path(settings.BASE_DIR)
    run = {"cwd": root, "env": env, "capture_output": True, "text": True, "timeout": 240}
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], **run)
    assert migrate.returncode == 0, migrate.stderr
    race = subprocess.run([sys.executable, "-m", "testing.sqlite_race"], **run)
    assert race.returncode == 0, race.stderr
    outcome = json.loads(race.stdout.splitlines()[-1])
    assert outcome["first_saves"] == ["saved", "stale"]
    assert outcome["progress_rows"] == 1
    # The second publication waited for the first and found the same report published:
    # no new version, no second file (reports.services.publish_round).
    assert outcome["published_versions"] == [1, 1]
    assert outcome["publish_errors"] == []
    assert outcome["files"] == 1
