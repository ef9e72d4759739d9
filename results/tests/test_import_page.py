"""The portal's import of many agencies' results (/results/import/): an overseer of
the whole installation who is not admin staff uploads, previews and confirms; the
confirm is a job on the worker whose page follows it; a national-size sheet (past
the measures' 2,000-row limit) goes through the job; coordinators and overseers of
one province may not import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobs.models import Job
from organizations.models import Organization
from results.models import IndicatorScore, ITAResult
from results.tests.conftest import HEADER, UBON_ROW, csv_bytes, good_rows, xlsx_bytes
from testing.factories import UserFactory
from testing.forms import form_data
from testing.pages import element_text, visible_text

pytestmark = pytest.mark.django_db

IMPORT = reverse("results:import")


def upload(client, fy, content, name="ita-2565.xlsx"):
    data = {"fiscal_year": str(fy.pk), "file": SimpleUploadedFile(name, content)}
    return client.post(IMPORT, data)


def history_rows() -> int:
    return ITAResult.history.count() + IndicatorScore.history.count()


def test_a_national_overseer_imports_on_the_portal_as_a_job(
    client, fy2565, national, other_agency, django_capture_on_commit_callbacks
):
    assert not national.is_staff
    client.force_login(national)
    assert "นำเข้าผลการประเมิน ITA ของหลายหน่วยงาน" in visible_text(client.get(IMPORT))
    page = upload(client, fy2565, xlsx_bytes(good_rows()))
    assert element_text(page, "import-summary") == (
        "ตรวจสอบผ่าน ยังไม่ได้บันทึกข้อมูล: 2 หน่วยงาน เพิ่มใหม่ 2 แก้ไข 0 ไม่เปลี่ยนแปลง 0"
    )
    with django_capture_on_commit_callbacks() as sent:  # a busy worker: the job waits
        confirmed = client.post(IMPORT, form_data(page.content.decode(), form_id="confirm-form"))
    job = Job.objects.get(kind=Job.Kind.RESULTS_IMPORT)
    assert confirmed["Location"] == reverse("results:import_job", args=[job.pk])
    waiting = client.get(confirmed["Location"])
    assert waiting.status_code == 202
    assert element_text(waiting, "job-status", status=202).startswith(
        "กำลังนำเข้าผลการประเมิน ITA จากไฟล์… (รอคิว)"
    )
    assert '<meta http-equiv="refresh" content="3">' in waiting.content.decode()
    assert ITAResult.objects.count() == 0  # nothing written inside the request

    sent[0]()  # the worker takes the job
    done = client.get(confirmed["Location"])
    assert element_text(done, "job-status") == (
        "นำเข้าผลการประเมินปีงบประมาณ 2565 แล้ว 2 หน่วยงาน: เพิ่มใหม่ 2 แก้ไข 0 "
        "ไม่เปลี่ยนแปลง 0 (ไฟล์ ita-2565.xlsx)"
    )
    assert ITAResult.objects.filter(entered_by=national).count() == 2
    history = history_rows()

    # The same file again: the preview says nothing changes, and the job writes nothing.
    again = upload(client, fy2565, xlsx_bytes(good_rows()))
    assert "เพิ่มใหม่ 0 แก้ไข 0 ไม่เปลี่ยนแปลง 2" in element_text(again, "import-summary")
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(IMPORT, form_data(again.content.decode(), form_id="confirm-form"))
    assert "เพิ่มใหม่ 0 แก้ไข 0 ไม่เปลี่ยนแปลง 2" in element_text(
        client.get(confirmed["Location"]), "job-status"
    )
    assert history_rows() == history


def test_an_agency_gone_since_the_preview_fails_the_job_and_writes_nothing(
    client, fy2565, national, other_agency, django_capture_on_commit_callbacks
):
    client.force_login(national)
    page = upload(client, fy2565, csv_bytes(good_rows()), "ita.csv")
    other_agency.delete()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(IMPORT, form_data(page.content.decode(), form_id="confirm-form"))
    failed = client.get(confirmed["Location"])
    assert element_text(failed, "job-status").startswith("นำเข้าผลการประเมินไม่สำเร็จ: พบปัญหา 1 รายการ")
    assert element_text(failed, "job-status").endswith("จึงไม่บันทึกผลการประเมินใดเลย")
    assert element_text(failed, "job-details").startswith(
        "แถวที่ 4 คอลัมน์ A (หน่วยงาน): ไม่พบหน่วยงาน “nong-khon-sao”"
    )
    assert ITAResult.objects.count() == 0


def test_bad_rows_are_named_and_offer_no_confirm(client, fy2565, national):
    client.force_login(national)
    rows = [HEADER, UBON_ROW, ["ubon-pao", "120", *["90"] * 9, "90"]]
    page = upload(client, fy2565, csv_bytes(rows), "ita.csv")
    assert page.status_code == 400
    assert element_text(page, "import-errors", status=400) == (
        "แถวที่ 3 คอลัมน์ A (หน่วยงาน): “ubon-pao” ซ้ำกับแถวที่ 2 หน่วยงานหนึ่งมีผลการประเมินของปีหนึ่งได้แถวเดียว"
    )
    assert 'id="confirm-form"' not in page.content.decode()


def test_only_national_overseers_and_superusers_import(
    client, fy2565, national, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(national)
    page = upload(client, fy2565, csv_bytes([HEADER, UBON_ROW]), "ita.csv")
    token = form_data(page.content.decode(), form_id="confirm-form")
    # A coordinator may not import, not even their own agency, nor confirm another's preview.
    client.force_login(coordinator)
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, token).status_code == 403
    assert upload(client, fy2565, csv_bytes([HEADER, UBON_ROW]), "ita.csv").status_code == 403
    province = UserFactory(username="nacc-ubon")
    province.overseer_scopes.create(province=Organization.objects.get(slug="ubon-pao").province)
    client.force_login(province)
    assert client.get(IMPORT).status_code == 403
    # The national overseer's job is theirs: another importer does not find it.
    client.force_login(national)
    with django_capture_on_commit_callbacks(execute=True):
        job_url = client.post(IMPORT, token)["Location"]
    client.force_login(UserFactory(username="root", is_superuser=True))
    assert client.get(job_url).status_code == 200
    other = UserFactory(username="national-2")
    other.overseer_scopes.create(whole_installation=True)
    client.force_login(other)
    assert client.get(job_url).status_code == 404
    assert ITAResult.objects.count() == 1


def test_a_national_size_sheet_goes_through_the_job(
    client, fy2565, national, django_capture_on_commit_callbacks
):
    """2,050 agencies: past the measures' import limit (2,000 rows), within the
    results' (RESULTS_IMPORT_MAX_ROWS); one row per agency, all written by the job."""
    count = 2050
    Organization.objects.bulk_create(
        Organization(slug=f"gen-{n}", name=f"องค์การบริหารส่วนตำบลทดสอบ {n}") for n in range(count)
    )
    rows = [HEADER] + [
        [f"องค์การบริหารส่วนตำบลทดสอบ {n}", *[f"{80 + n % 20}.25"] * 10, "88.50"] for n in range(count)
    ]
    client.force_login(national)
    page = upload(client, fy2565, xlsx_bytes(rows))
    assert element_text(page, "import-summary") == (
        "ตรวจสอบผ่าน ยังไม่ได้บันทึกข้อมูล: 2,050 หน่วยงาน เพิ่มใหม่ 2,050 แก้ไข 0 ไม่เปลี่ยนแปลง 0"
    )
    assert element_text(page, "preview-shown") == "แสดง 300 จาก 2,050 แถว (แถวที่เพิ่มใหม่และแก้ไขก่อน)"
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(IMPORT, form_data(page.content.decode(), form_id="confirm-form"))
    assert "แล้ว 2,050 หน่วยงาน: เพิ่มใหม่ 2,050" in element_text(
        client.get(confirmed["Location"]), "job-status"
    )
    assert ITAResult.objects.count() == count
    assert IndicatorScore.objects.count() == 10 * count
