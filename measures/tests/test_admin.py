from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from measures import services
from measures.models import Measure, Step
from measures.steps_text import ItemLine
from organizations.models import Membership
from progress.models import Progress
from testing.factories import (
    DivisionFactory,
    MeasureFactory,
    OrganizationFactory,
    ProgressFactory,
    member,
)
from testing.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure():
    measure = MeasureFactory(target="การเสริมสร้างวัฒนธรรมองค์กร")
    services.set_divisions(
        measure=measure,
        divisions=[DivisionFactory(organization=measure.organization, name="กองการเจ้าหน้าที่")],
    )
    services.set_steps(
        measure=measure,
        steps=[
            services.StepData(1, "จัดทำประมวลจริยธรรมสำหรับเจ้าหน้าที่"),
            services.StepData(2, "จัดทำการวิเคราะห์ผลการประเมิน", [ItemLine(1, "-", "มีข้อมูลรายละเอียด")]),
        ],
    )
    ProgressFactory(measure=measure)
    return measure


@pytest.fixture
def org(measure):
    """The measure's own agency: the shared coordinator_client's coordinator is its."""
    return measure.organization


def change_url(measure):
    return reverse("admin:measures_measure_change", args=[measure.pk])


def current_form(client, measure):
    response = client.get(change_url(measure))
    assert response.status_code == 200
    return form_data(response.content.decode(), form_id="measure_form")


def test_coordinator_sees_steps_and_sub_items_in_thai(coordinator_client, measure):
    page = coordinator_client.get(change_url(measure)).content.decode()
    assert "จัดทำประมวลจริยธรรมสำหรับเจ้าหน้าที่" in page
    assert "- มีข้อมูลรายละเอียด" in page
    assert "ขั้นตอนหรือวิธีการ/มาตรการ" in page
    listing = coordinator_client.get(reverse("admin:measures_measure_changelist")).content.decode()
    assert "การเสริมสร้างวัฒนธรรมองค์กร" in listing
    assert "กองการเจ้าหน้าที่" in listing


def test_saving_the_form_unchanged_keeps_everything(coordinator_client, measure):
    data = current_form(coordinator_client, measure)
    response = coordinator_client.post(change_url(measure), data)
    assert response.status_code == 302
    assert list(measure.steps.values_list("number", "text")) == [
        (1, "จัดทำประมวลจริยธรรมสำหรับเจ้าหน้าที่"),
        (2, "จัดทำการวิเคราะห์ผลการประเมิน"),
    ]
    assert [str(i) for i in Step.objects.get(measure=measure, number=2).items.all()] == [
        "- มีข้อมูลรายละเอียด"
    ]
    assert [a.division.name for a in measure.assignments.all()] == ["กองการเจ้าหน้าที่"]


def test_editing_sub_items_in_the_step_editor(coordinator_client, measure):
    data = current_form(coordinator_client, measure)
    data["steps-1-items_text"] = "- ประกอบด้วย\n  (1) ประเด็นที่หนึ่ง\n  (2) ประเด็นที่สอง"
    assert coordinator_client.post(change_url(measure), data).status_code == 302
    items = Step.objects.get(measure=measure, number=2).items.all()
    assert [(i.depth, i.marker, i.text) for i in items] == [
        (1, "-", "ประกอบด้วย"),
        (2, "(1)", "ประเด็นที่หนึ่ง"),
        (2, "(2)", "ประเด็นที่สอง"),
    ]


def test_a_step_number_used_twice_is_refused_and_nothing_saved(coordinator_client, measure):
    data = current_form(coordinator_client, measure)
    data["steps-1-number"] = "1"
    data["steps-1-text"] = "ข้อความที่แก้ไขแล้ว"
    data["target"] = "ถ้อยคำใหม่"
    response = coordinator_client.post(change_url(measure), data)
    assert response.status_code == 200
    assert "ข้อที่ 1 ซ้ำกับขั้นตอนอื่นของมาตรการนี้" in response.content.decode()
    # What was typed is still in the form, and nothing reached the database.
    assert "ข้อความที่แก้ไขแล้ว" in response.content.decode()
    measure.refresh_from_db()
    assert measure.target == "การเสริมสร้างวัฒนธรรมองค์กร"
    assert measure.steps.get(number=2).text == "จัดทำการวิเคราะห์ผลการประเมิน"


def test_an_empty_measure_is_refused(coordinator_client, measure):
    data = current_form(coordinator_client, measure)
    data["steps-0-DELETE"] = "on"
    data["steps-1-DELETE"] = "on"
    response = coordinator_client.post(change_url(measure), data)
    assert response.status_code == 200
    assert "มาตรการต้องมีขั้นตอนหรือวิธีการอย่างน้อย 1 ข้อ" in response.content.decode()
    assert measure.steps.count() == 2


def test_a_measure_without_divisions_is_refused(coordinator_client, measure):
    data = current_form(coordinator_client, measure)
    data["assignments-0-DELETE"] = "on"
    response = coordinator_client.post(change_url(measure), data)
    assert "ต้องระบุผู้รับผิดชอบอย่างน้อย 1 ส่วนราชการ" in response.content.decode()
    assert measure.assignments.count() == 1


def test_progress_is_shown_in_be_and_edited_only_on_the_progress_page(coordinator_client, measure):
    progress = measure.progress.get()
    progress.status, progress.completed_on = Progress.Status.DONE, date(2023, 4, 18)
    progress.save()
    response = coordinator_client.get(change_url(measure))
    html = response.content.decode()
    assert "18 เมษายน 2566" in html
    assert reverse("progress:progress", args=[measure.pk, progress.round.kind]) in html

    # Progress fields posted with the measure form are not taken: review state and
    # results change only through progress.services (steps, evidence, review).
    data = current_form(coordinator_client, measure)
    data["progress-0-status"] = Progress.Status.CANNOT
    data["progress-0-review_state"] = "approved"
    data["steps-0-text"] = "ขั้นตอนที่แก้ในหน้าจัดการข้อมูล"
    assert coordinator_client.post(change_url(measure), data).status_code == 302
    assert measure.steps.get(number=1).text == "ขั้นตอนที่แก้ในหน้าจัดการข้อมูล"
    progress.refresh_from_db()
    assert (progress.status, progress.review_state) == (Progress.Status.DONE, "draft")

    # The progress page of the admin is read only, GET and POST.
    url = reverse("admin:progress_progress_change", args=[progress.pk])
    assert "18 เมษายน 2566" in coordinator_client.get(url).content.decode()
    assert coordinator_client.post(url, {"review_state": "approved"}).status_code == 403
    progress.refresh_from_db()
    assert progress.review_state == "draft"


def test_admin_dates_are_typed_in_be(coordinator_client, measure):
    data = current_form(coordinator_client, measure)
    data["deadline"] = "๓๐ ก.ย. ๒๕๖๖"
    assert coordinator_client.post(change_url(measure), data).status_code == 302
    measure.refresh_from_db()
    assert measure.deadline == date(2023, 9, 30)
    data = current_form(coordinator_client, measure)
    assert data["deadline"] == "30/09/2566"
    data["deadline"] = "30/09/2023"
    response = coordinator_client.post(change_url(measure), data)
    assert "ปี 2023 ดูเหมือนเป็นปี ค.ศ. กรุณาใช้ปี พ.ศ. เช่น 2566" in response.content.decode()


def test_coordinator_never_sees_another_organizations_measures(coordinator_client, measure):
    other = MeasureFactory(organization=OrganizationFactory(), target="ของหน่วยงานอื่น")
    listing = coordinator_client.get(reverse("admin:measures_measure_changelist"))
    assert "ของหน่วยงานอื่น" not in listing.content.decode()
    assert coordinator_client.get(change_url(other)).status_code == 302  # "does not exist"
    assert Measure.objects.count() == 2


def test_two_coordinators_saving_the_same_measure(coordinator_client, measure):
    other = member(measure.organization, Membership.Role.COORDINATOR, "coord2", first_name="สมหญิง")
    client = Client()
    client.force_login(other)
    mine = current_form(coordinator_client, measure)
    theirs = current_form(client, measure)

    theirs["target"] = "ถ้อยคำของสมหญิง"
    assert client.post(change_url(measure), theirs).status_code == 302

    mine["target"] = "ถ้อยคำของฉัน"
    response = coordinator_client.post(change_url(measure), mine)
    html = response.content.decode()
    assert response.status_code == 200
    assert "มาตรการนี้ ถูกแก้ไขโดย สมหญิง" in html
    assert "ถ้อยคำของฉัน" in html  # what I typed is kept in the form
    measure.refresh_from_db()
    assert measure.target == "ถ้อยคำของสมหญิง"

    # Having seen it, saving again is deliberate and goes through.
    again = form_data(html, form_id="measure_form")
    assert coordinator_client.post(change_url(measure), again).status_code == 302
    measure.refresh_from_db()
    assert measure.target == "ถ้อยคำของฉัน"


def test_a_step_edit_keeps_what_staff_ticked_and_records_the_reason(coordinator_client, measure):
    from progress.models import StepProgress

    progress = measure.progress.get()
    first = measure.steps.get(number=1)
    StepProgress.objects.create(progress=progress, step=first, done_on=date(2023, 1, 5))
    data = current_form(coordinator_client, measure)
    data["steps-0-text"] = "จัดทำประมวลจริยธรรมสำหรับเจ้าหน้าที่ทุกคน"
    data["steps-0-number"], data["steps-1-number"] = "2", "1"  # swapped in one save
    assert coordinator_client.post(change_url(measure), data).status_code == 302
    first.refresh_from_db()
    assert (first.number, first.text) == (2, "จัดทำประมวลจริยธรรมสำหรับเจ้าหน้าที่ทุกคน")
    assert measure.steps.get(number=1).text == "จัดทำการวิเคราะห์ผลการประเมิน"
    assert StepProgress.objects.get(progress=progress).step == first
    assert first.history.latest().history_change_reason == "แก้ไขในหน้าจัดการข้อมูล"


def test_the_year_filter_takes_only_a_year_it_lists(coordinator_client, measure):
    """'²' is a digit to str.isdigit() but not to int(): the list answers, unfiltered."""
    changelist = reverse("admin:measures_measure_changelist")
    for odd in ("²", "๑", "abc"):
        response = coordinator_client.get(changelist, {"fiscal_year__id__exact": odd})
        assert response.status_code == 200, odd
