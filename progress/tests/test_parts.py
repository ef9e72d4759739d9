"""Measures of several divisions: one result, written by the division that reported
it first (or the coordinator); each other responsible division adds its part (a note
and its evidence), also while the result waits for review. And what staff did
(steps ticked, evidence added or removed) shows on the measure page and its history."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.models import Round
from organizations.models import Division, Membership
from progress import services as services_progress
from progress.models import DivisionPart, Evidence, Progress, ReviewState
from testing.factories import member
from testing.forms import form_data
from testing.helpers import OFFICE, PDF, measure, progress_url
from testing.pages import element_text

pytestmark = pytest.mark.django_db

FINANCE = "กองคลัง"
SUPPLIES = "กองพัสดุและทรัพย์สิน"


@pytest.fixture
def palad(org):
    return member(org, Membership.Role.STAFF, "palad", [OFFICE])


@pytest.fixture
def finance(org):
    return member(org, Membership.Role.STAFF, "finance", [FINANCE])


def division(org, name) -> Division:
    return Division.objects.get(organization=org, name=name)


def part_url(m, div, kind=12):
    return reverse("progress:part", args=[m.pk, kind, div.pk])


def detail(client, m) -> str:
    response = client.get(reverse("progress:detail", args=[m.pk]))
    assert response.status_code == 200
    return response.content.decode()


def report(client, m, action="save", **fields):
    data = form_data(client.get(progress_url(m)).content.decode(), form_id="progress-form")
    data.update(fields, action=action)
    return client.post(progress_url(m), data)


def add_part(client, m, div, **fields):
    data = form_data(client.get(part_url(m, div)).content.decode(), form_id="part-form")
    data.update(fields)
    return client.post(part_url(m, div), data)


def test_the_first_reporters_division_keeps_the_result_others_add_their_part(
    client, org, palad, finance, coordinator, media_root
):
    every = measure(org, 4)  # ทุกส่วนราชการ
    client.force_login(palad)
    assert (
        report(client, every, status="in_progress", result_text="ร่างของสำนักปลัด").status_code == 302
    )
    saved = Progress.objects.get(measure=every, round__kind=12)
    assert saved.reporter_division.name == OFFICE

    # Another division's staff can only look at the result ...
    client.force_login(finance)
    response = client.get(progress_url(every), follow=True)
    page = response.content.decode()
    assert f"ผลการดำเนินการของมาตรการนี้{OFFICE}เป็นผู้รายงาน" in page
    assert "เพิ่มส่วนของส่วนราชการตนเองได้ที่หน้ามาตรการ" in page
    refused = report(client, every, status="done", completed_on="18/04/2566", result_text="ทับ")
    assert refused.status_code == 409 and "ทับ" in refused.content.decode()
    assert Progress.objects.get(pk=saved.pk).result_text == "ร่างของสำนักปลัด"
    # ... and adds its own part, with its evidence.
    assert f'href="{part_url(every, division(org, FINANCE))}"' in page
    response = add_part(
        client,
        every,
        division(org, FINANCE),
        note="กองคลังเผยแพร่รายงานการเงินแล้ว",
        links="https://www.ubonpao.go.th/finance",
        files=SimpleUploadedFile("งบการเงิน.pdf", PDF, content_type="application/pdf"),
    )
    assert response.status_code == 302
    part = DivisionPart.objects.get(progress=saved, division__name=FINANCE)
    assert part.note == "กองคลังเผยแพร่รายงานการเงินแล้ว" and part.updated_by == finance
    assert sorted(e.original_name or e.url for e in part.evidence.all()) == [
        "https://www.ubonpao.go.th/finance",
        "งบการเงิน.pdf",
    ]
    # The result's own evidence stays apart from the part's.
    assert not Evidence.objects.filter(progress=saved, part=None).exists()

    # Once the result is sent for review, its division can only look too, while
    # the other divisions may still add to their parts.
    client.force_login(palad)
    assert report(client, every, action="submit").status_code == 302
    client.force_login(finance)
    response = add_part(client, every, division(org, FINANCE), note="เพิ่มเติมหลังส่งตรวจ")
    assert response.status_code == 302
    assert DivisionPart.objects.get(pk=part.pk).note == "เพิ่มเติมหลังส่งตรวจ"

    # The coordinator's review card lists every responsible division's part.
    client.force_login(coordinator)
    card = element_text(detail(client, every), "progress-12")
    assert f"{FINANCE} แก้ไข เพิ่มเติมหลังส่งตรวจ งบการเงิน.pdf https://www.ubonpao.go.th/finance" in card
    assert f"{SUPPLIES} เพิ่มแทน ยังไม่ได้เพิ่มส่วนของตน" in card
    assert "ผู้รายงาน: " + OFFICE in card
    assert 'id="review-12"' in detail(client, every)

    # Approved: the parts are closed to staff as well.
    services_progress.review_progress(
        progress=Progress.objects.get(pk=saved.pk), user=coordinator, approve=True, comment=""
    )
    client.force_login(finance)
    response = client.get(part_url(every, division(org, FINANCE)), follow=True)
    assert "อนุมัติแล้ว" in response.content.decode()
    assert "เพิ่มหรือแก้ไขส่วนของส่วนราชการไม่ได้จนกว่าผู้ประสานงานจะส่งกลับ" in (response.content.decode())


def test_a_part_before_anyone_reports_does_not_make_the_reporters_form_stale(
    client, org, palad, finance
):
    every = measure(org, 4)
    client.force_login(palad)
    form = form_data(client.get(progress_url(every)).content.decode(), form_id="progress-form")
    assert form["version"] == "0"

    client.force_login(finance)
    assert add_part(client, every, division(org, FINANCE), note="ส่วนของกองคลัง").status_code == 302
    progress = Progress.objects.get(measure=every, round__kind=12)
    assert (progress.status, progress.review_state, progress.version) == (
        "not_started",
        ReviewState.DRAFT,
        0,
    )
    assert progress.history.count() == 0  # nothing was reported

    client.force_login(palad)
    form.update(status="in_progress", result_text="ผลของสำนักปลัด", action="save")
    assert client.post(progress_url(every), form).status_code == 302
    progress.refresh_from_db()
    assert progress.result_text == "ผลของสำนักปลัด" and progress.reporter_division.name == OFFICE


def test_who_may_write_which_part(client, org, palad, finance, coordinator):
    every = measure(org, 4)
    client.force_login(finance)
    # Not their division: refused, and nothing learnt about another organization.
    assert client.get(part_url(every, division(org, OFFICE))).status_code == 403
    # A measure of one division has no parts.
    own = measure(org, 1)
    client.force_login(member(org, Membership.Role.STAFF, "personnel", ["กองการเจ้าหน้าที่"]))
    assert client.get(part_url(own, division(org, "กองการเจ้าหน้าที่"))).status_code == 404
    # The coordinator may write any responsible division's part.
    client.force_login(coordinator)
    assert client.get(part_url(every, division(org, SUPPLIES))).status_code == 200
    executive = member(org, Membership.Role.EXECUTIVE, "boss")
    client.force_login(executive)
    assert client.get(part_url(every, division(org, FINANCE))).status_code == 403


def test_a_part_saved_meanwhile_is_not_overwritten(client, org, finance):
    every = measure(org, 4)
    client.force_login(finance)
    stale = form_data(
        client.get(part_url(every, division(org, FINANCE))).content.decode(), form_id="part-form"
    )
    assert add_part(client, every, division(org, FINANCE), note="ฉบับแรก").status_code == 302
    stale.update(note="ฉบับจากแท็บเก่า")
    response = client.post(part_url(every, division(org, FINANCE)), stale)
    html = response.content.decode()
    assert response.status_code == 409
    assert f"มีผู้อื่นบันทึกส่วนของ{FINANCE}หลังจากที่คุณเปิดแบบฟอร์ม" in html
    assert "ฉบับจากแท็บเก่า" in html  # what was typed is kept
    assert DivisionPart.objects.get().note == "ฉบับแรก"


def test_a_part_form_sent_twice_is_recorded_once(client, org, finance):
    every = measure(org, 4)
    client.force_login(finance)
    url = part_url(every, division(org, FINANCE))
    data = form_data(client.get(url).content.decode(), form_id="part-form")
    data.update(note="ส่วนของกองคลัง", links="https://www.ubonpao.go.th/k")
    assert client.post(url, data).status_code == 302
    again = client.post(url, data, follow=True)  # the double click
    assert again.status_code == 200
    assert f"บันทึกส่วนของ{FINANCE}แล้ว" in again.content.decode()
    part = DivisionPart.objects.get()
    assert part.version == 1 and part.evidence.count() == 1


def test_a_part_note_past_the_limit_is_refused_naming_it(client, org, finance, settings):
    settings.MAX_RESULT_CHARS = 20
    every = measure(org, 4)
    client.force_login(finance)
    response = add_part(client, every, division(org, FINANCE), note="ก" * 25)
    assert response.status_code == 200
    assert "สิ่งที่ส่วนราชการดำเนินการยาว 25 ตัวอักษร เกินที่รับได้ (20 ตัวอักษร)" in (response.content.decode())
    assert not DivisionPart.objects.exists()


def test_steps_and_evidence_staff_changed_show_on_the_page_and_in_the_history(
    client, org, palad, finance, media_root
):
    m = measure(org, 2)  # สำนักปลัด only
    one, two = m.steps.order_by("number")[:2]
    client.force_login(palad)
    report(
        client,
        m,
        status="in_progress",
        links="https://www.ubonpao.go.th/ita/o42",
        files=SimpleUploadedFile("ประกาศ.pdf", PDF, content_type="application/pdf"),
        **{f"step_{one.pk}": "on", f"step_{one.pk}_date": "30/03/2566", f"step_{two.pk}": "on"},
    )
    progress = Progress.objects.get(measure=m, round__kind=12)
    link = progress.evidence.get(url="https://www.ubonpao.go.th/ita/o42")

    page = detail(client, m)
    card = element_text(page, "progress-12")
    assert "ขั้นตอนที่ดำเนินการแล้ว ขั้นตอนที่ 1 · 30 มี.ค. 2566 ขั้นตอนที่ 2" in card
    assert "ประกาศ.pdf เพิ่มโดย palad" in card

    # Second save: step 1 re-dated, step 2 unticked, the link removed.
    data = form_data(client.get(progress_url(m)).content.decode(), form_id="progress-form")
    data.pop(f"step_{two.pk}")
    data.update(
        {f"step_{one.pk}_date": "31/03/2566", "remove_evidence": [str(link.pk)], "action": "save"}
    )
    assert client.post(progress_url(m), data).status_code == 302

    table = element_text(detail(client, m), "history")
    latest, first = table.split("บันทึกผลการดำเนินการ")[1:3]
    assert "เปลี่ยนวันที่ดำเนินการขั้นตอนที่ 1 (วันที่ 31 มี.ค. 2566)" in latest
    assert "ยกเลิกเครื่องหมายขั้นตอนที่ 2" in latest
    assert "ลบหลักฐานลิงก์ https://www.ubonpao.go.th/ita/o42" in latest
    assert "ทำเครื่องหมายขั้นตอนที่ 1 ว่าดำเนินการแล้ว (วันที่ 30 มี.ค. 2566)" in first
    assert "ทำเครื่องหมายขั้นตอนที่ 2 ว่าดำเนินการแล้ว" in first
    assert "เพิ่มหลักฐานไฟล์ ประกาศ.pdf" in first
    assert "เพิ่มหลักฐานลิงก์ https://www.ubonpao.go.th/ita/o42" in first
    # Saving again without changing the ticks records nothing about them.
    data = form_data(client.get(progress_url(m)).content.decode(), form_id="progress-form")
    data.update(result_text="แก้เฉพาะข้อความ", action="save")
    client.post(progress_url(m), data)
    assert progress.step_marks.get().history.count() == 2  # ticked, re-dated

    # A division's part shows in the history with its division and evidence.
    every = measure(org, 4)
    client.force_login(finance)
    add_part(
        client, every, division(org, FINANCE), note="ส่วนของกองคลัง", links="www.ubonpao.go.th/k"
    )
    table = element_text(detail(client, every), "history")
    assert (
        f"บันทึกส่วนของส่วนราชการ: {FINANCE} สิ่งที่ส่วนราชการดำเนินการ: — → ส่วนของกองคลัง "
        "เพิ่มหลักฐานลิงก์ https://www.ubonpao.go.th/k"
    ) in table


def test_a_coordinators_result_is_kept_while_staff_may_still_report_it(
    client, org, coordinator, finance
):
    """The coordinator reported first: no division owns the result yet, so the first
    staff member to save makes it their division's."""
    every = measure(org, 4)
    twelve = Round.objects.get(organization=org, kind=12)
    client.force_login(coordinator)
    report(client, every, status="in_progress", result_text="ผู้ประสานงานบันทึก")
    assert Progress.objects.get(measure=every, round=twelve).reporter_division is None
    client.force_login(finance)
    assert report(client, every, result_text="กองคลังรายงาน").status_code == 302
    assert Progress.objects.get(measure=every, round=twelve).reporter_division.name == FINANCE


def test_the_part_button_says_whether_it_adds_or_changes(client, org, finance):
    """Issue 21: the measure page's button named only "ส่วนของกองคลัง (รอบ 12 เดือน)";
    it now says what pressing it does."""
    every = measure(org, 4)
    client.force_login(finance)
    assert f"เพิ่มส่วนของ{FINANCE} (รอบ 12 เดือน)" in element_text(
        detail_response(client, every), "actions"
    )
    assert add_part(client, every, division(org, FINANCE), note="ส่วนของกองคลัง").status_code == 302
    actions = element_text(detail_response(client, every), "actions")
    assert f"แก้ไขส่วนของ{FINANCE} (รอบ 12 เดือน)" in actions
    assert "เพิ่มส่วนของ" not in actions


def detail_response(client, m):
    return client.get(reverse("progress:detail", args=[m.pk]))
