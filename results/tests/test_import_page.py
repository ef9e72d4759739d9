"""The portal's import of many agencies' results (/results/import/): an overseer of
the whole installation who is not admin staff uploads; the upload starts the
preview's job and the confirm the import's, each followed on the job's page; a
national-size sheet (past the measures' 2,000-row limit) goes through both jobs;
coordinators and overseers of one province may not import."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobs.models import Job
from organizations.models import Organization
from results.models import IndicatorScore, ITAResult
from results.tests.conftest import (
    HEADER,
    UBON,
    UBON_ROW,
    csv_bytes,
    good_rows,
    previewed,
    send,
    xlsx_bytes,
)
from testing.factories import UserFactory
from testing.forms import form_data
from testing.pages import element_text, visible_text

pytestmark = pytest.mark.django_db

IMPORT = reverse("results:import")


def upload(client, fy, content, name="ita-2565.xlsx"):
    return previewed(client, IMPORT, fy, content, name)


def history_rows() -> int:
    return ITAResult.history.count() + IndicatorScore.history.count()


def test_the_upload_starts_the_preview_job_and_its_page_shows_the_preview(
    client, fy2565, national, other_agency, django_capture_on_commit_callbacks
):
    client.force_login(national)
    with django_capture_on_commit_callbacks() as sent:  # a busy worker: the job waits
        answer = send(client, IMPORT, fy2565, xlsx_bytes(good_rows()), run=False)
    job = Job.objects.get(kind=Job.Kind.RESULTS_PREVIEW)
    assert answer["Location"] == reverse("results:import_job", args=[job.pk])
    waiting = client.get(answer["Location"])
    assert waiting.status_code == 202
    assert element_text(waiting, "job-status", status=202).startswith(
        "กำลังตรวจสอบไฟล์ผลการประเมินทุกแถว… (รอคิว)"
    )
    assert '<meta http-equiv="refresh" content="3">' in waiting.content.decode()
    assert 'id="confirm-form"' not in waiting.content.decode()

    sent[0]()  # the worker takes the job
    page = client.get(answer["Location"])
    assert "ตรวจสอบไฟล์ผลการประเมิน ITA ปีงบประมาณ พ.ศ. 2565 (ไฟล์ ita-2565.xlsx)" in visible_text(page)
    assert element_text(page, "job-status") == (
        "ตรวจสอบไฟล์ ita-2565.xlsx ผ่าน ยังไม่ได้บันทึกข้อมูล กรุณาดูผลการตรวจสอบแล้วยืนยันการนำเข้า"
    )
    assert element_text(page, "import-summary") == (
        "ตรวจสอบผ่าน ยังไม่ได้บันทึกข้อมูล: 2 หน่วยงาน เพิ่มใหม่ 2 แก้ไข 0 ไม่เปลี่ยนแปลง 0"
    )
    assert f"3 เพิ่มใหม่ {UBON} (ubon-pao) 84.32 ตามช่วงคะแนนรวม" in element_text(
        page, "import-preview"
    )
    assert 'id="confirm-form"' in page.content.decode()
    assert ITAResult.objects.count() == 0  # the preview writes nothing


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
    assert Job.objects.filter(kind=Job.Kind.RESULTS_IMPORT).count() == 2


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


def test_the_preview_page_names_a_bad_files_rows_and_offers_no_confirm(
    client, fy2565, national, other_agency
):
    client.force_login(national)
    rows = [
        HEADER,
        UBON_ROW,
        ["ubon-pao", *["90"] * 10, "90"],
        ["nong-khon-sao", "120", *["90"] * 9, "90"],
    ]
    page = upload(client, fy2565, csv_bytes(rows), "ita.csv")
    assert element_text(page, "job-status") == (
        "ตรวจสอบไฟล์ผลการประเมินไม่สำเร็จ: ไฟล์ ita.csv มีปัญหา 2 รายการ (แต่ละรายการบอกแถวและคอลัมน์) "
        "กรุณาแก้ไขไฟล์แล้วอัปโหลดอีกครั้ง (ยังไม่ได้บันทึกข้อมูลใดเลย)"
    )
    errors = element_text(page, "import-errors")
    assert errors.startswith(
        "แถวที่ 3 คอลัมน์ A (หน่วยงาน): “ubon-pao” ซ้ำกับแถวที่ 2 หน่วยงานหนึ่งมีผลการประเมินของปีหนึ่งได้แถวเดียว"
    )
    assert "แถวที่ 4 คอลัมน์ B (ตัวชี้วัดที่ 1)" in errors
    assert 'id="confirm-form"' not in page.content.decode()
    assert "อัปโหลดไฟล์อื่น" not in visible_text(page)
    assert "นำเข้าไฟล์อื่น" in visible_text(page)


def test_a_double_submit_makes_one_preview_job(
    client, fy2565, national, django_capture_on_commit_callbacks
):
    """The second of two uploads of the same file, while the first one's check waits,
    is answered with the first one's job; another file, or the same file once its check
    is done, gets a job of its own."""
    client.force_login(national)
    content = csv_bytes([HEADER, UBON_ROW])
    with django_capture_on_commit_callbacks() as sent:
        first = send(client, IMPORT, fy2565, content, "ita.csv", run=False)
        second = send(client, IMPORT, fy2565, content, "ita.csv", run=False)
    assert first["Location"] == second["Location"]
    assert Job.objects.filter(kind=Job.Kind.RESULTS_PREVIEW).count() == 1
    assert len(sent) == 1  # one message to the worker
    sent[0]()
    page = client.get(first["Location"])
    assert "1 หน่วยงาน เพิ่มใหม่ 1" in element_text(page, "import-summary")
    other = send(client, IMPORT, fy2565, csv_bytes([HEADER, [*UBON_ROW[:-1], "84.33"]]))
    assert other["Location"] != first["Location"]
    # A double submit of the confirm: one import job.
    token = form_data(page.content.decode(), form_id="confirm-form")
    with django_capture_on_commit_callbacks() as sent:
        confirmed = [client.post(IMPORT, token)["Location"] for _ in range(2)]
    assert confirmed[0] == confirmed[1]
    assert Job.objects.filter(kind=Job.Kind.RESULTS_IMPORT).count() == 1


def test_the_preview_page_reads_the_same_queries_whatever_the_files_size(client, fy2565, national):
    """The page reads what the job kept: no query per row, 2 rows or 400 (a finished
    job is read once)."""
    Organization.objects.bulk_create(
        Organization(slug=f"gen-{n}", name=f"องค์การบริหารส่วนตำบลทดสอบ {n}") for n in range(400)
    )
    client.force_login(national)

    def queries(count: int) -> int:
        rows = [HEADER] + [
            [f"gen-{n}", *["90.00"] * 10, f"{90 + count % 7}.00"] for n in range(count)
        ]
        answer = send(client, IMPORT, fy2565, csv_bytes(rows), f"{count}.csv")
        with CaptureQueriesContext(connection) as read:
            page = client.get(answer["Location"])
        assert "ตรวจสอบผ่าน" in element_text(page, "import-summary")
        return len(read)

    # The session, its user, their scope (may import), the job with its year.
    assert queries(2) == queries(400) == 4


def test_only_national_overseers_and_superusers_import(
    client, fy2565, national, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(national)
    page = upload(client, fy2565, csv_bytes([HEADER, UBON_ROW]), "ita.csv")
    preview_url = page.wsgi_request.path
    token = form_data(page.content.decode(), form_id="confirm-form")
    # A coordinator may not import, not even their own agency, nor confirm another's
    # preview, nor follow the preview's job.
    client.force_login(coordinator)
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, token).status_code == 403
    assert send(client, IMPORT, fy2565, csv_bytes([HEADER, UBON_ROW]), "ita.csv").status_code == 403
    assert client.get(preview_url).status_code == 403
    province = UserFactory(username="nacc-ubon")
    province.overseer_scopes.create(province=Organization.objects.get(slug="ubon-pao").province)
    client.force_login(province)
    assert client.get(IMPORT).status_code == 403
    assert client.get(preview_url).status_code == 403
    # Another importer does not find the national overseer's preview; the superuser
    # reads it but may not confirm it.
    other = UserFactory(username="national-2")
    other.overseer_scopes.create(whole_installation=True)
    client.force_login(other)
    assert client.get(preview_url).status_code == 404
    client.force_login(UserFactory(username="root", is_superuser=True))
    seen = client.get(preview_url)
    assert "1 หน่วยงาน เพิ่มใหม่ 1" in element_text(seen, "import-summary")
    assert 'id="confirm-form"' not in seen.content.decode()
    assert "ยืนยันการนำเข้าได้เฉพาะผู้ที่อัปโหลดไฟล์นี้" in visible_text(seen)
    # The national overseer's import job is theirs: another importer does not find it.
    client.force_login(national)
    with django_capture_on_commit_callbacks(execute=True):
        job_url = client.post(IMPORT, token)["Location"]
    client.force_login(UserFactory(username="root-2", is_superuser=True))
    assert client.get(job_url).status_code == 200
    client.force_login(other)
    assert client.get(job_url).status_code == 404
    assert ITAResult.objects.count() == 1


def test_a_national_size_sheet_goes_through_the_jobs(
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
