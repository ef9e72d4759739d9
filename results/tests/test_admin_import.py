"""The admin's import of many agencies' results: the upload starts the preview's
job, whose page (the portal's) shows the preview before anything is written; then the
confirm by the person who previewed it; bad files named row by row; only superusers
and overseers of the whole installation."""

import pytest
from django.urls import reverse

from jobs.models import Job
from results.models import ITAResult
from results.tests.conftest import (
    HEADER,
    UBON,
    UBON_ROW,
    csv_bytes,
    good_rows,
    previewed,
    xlsx_bytes,
)
from testing.factories import UserFactory
from testing.pages import element_text

pytestmark = pytest.mark.django_db

IMPORT = "admin:results_itaresult_import"


def upload(client, fy, content, name="ita-2565.xlsx"):
    """The preview job's page, where the admin's upload leads, once the job ran."""
    return previewed(client, reverse(IMPORT), fy, content, name)


@pytest.fixture
def root_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def token_of(page) -> str:
    html = page.content.decode()
    start = html.index('name="token" value="') + len('name="token" value="')
    return html[start : html.index('"', start)]


def test_preview_then_confirm(
    root_client, fy2565, other_agency, django_capture_on_commit_callbacks
):
    page = upload(root_client, fy2565, xlsx_bytes(good_rows()))
    job = Job.objects.get(kind=Job.Kind.RESULTS_PREVIEW)
    assert page.wsgi_request.path == reverse("results:import_job", args=[job.pk])
    assert element_text(page, "import-summary") == (
        "ตรวจสอบผ่าน ยังไม่ได้บันทึกข้อมูล: 2 หน่วยงาน เพิ่มใหม่ 2 แก้ไข 0 ไม่เปลี่ยนแปลง 0"
    )
    preview = element_text(page, "import-preview")
    assert f"3 เพิ่มใหม่ {UBON} (ubon-pao) 84.32 ตามช่วงคะแนนรวม" in preview
    assert ITAResult.objects.count() == 0  # the preview writes nothing
    with django_capture_on_commit_callbacks(execute=True):  # the worker runs the job
        confirmed = root_client.post(reverse(IMPORT), {"token": token_of(page)})
    done = root_client.get(confirmed["Location"])
    assert element_text(done, "job-status") == (
        "นำเข้าผลการประเมินปีงบประมาณ 2565 แล้ว 2 หน่วยงาน: เพิ่มใหม่ 2 แก้ไข 0 ไม่เปลี่ยนแปลง 0 "
        "(ไฟล์ ita-2565.xlsx)"
    )
    assert ITAResult.objects.count() == 2
    again = upload(root_client, fy2565, xlsx_bytes(good_rows()))
    assert "เพิ่มใหม่ 0 แก้ไข 0 ไม่เปลี่ยนแปลง 2" in element_text(again, "import-summary")


def test_a_bad_file_is_named_row_by_row_and_offers_no_confirm(root_client, fy2565):
    rows = [HEADER, UBON_ROW, ["ไม่มีหน่วยงานนี้", *["90"] * 10, "90"]]
    page = upload(root_client, fy2565, csv_bytes(rows), "ita.csv")
    errors = element_text(page, "import-errors")
    assert errors.startswith("แถวที่ 3 คอลัมน์ A (หน่วยงาน): ไม่พบหน่วยงาน “ไม่มีหน่วยงานนี้”")
    assert 'name="token"' not in page.content.decode()
    assert ITAResult.objects.count() == 0


def test_not_a_spreadsheet_is_refused(root_client, fy2565):
    page = upload(root_client, fy2565, b"%PDF-1.4 not a sheet", "ita.pdf")
    assert element_text(page, "import-errors") == "ไฟล์นี้ไม่ใช่ไฟล์ตาราง (XLSX หรือ CSV)"


def test_only_the_person_who_previewed_confirms(root_client, client, fy2565, national):
    page = upload(root_client, fy2565, csv_bytes([HEADER, UBON_ROW]), "ita.csv")
    national.is_staff = True
    national.save()
    client.force_login(national)
    assert client.post(reverse(IMPORT), {"token": token_of(page)}).status_code == 403
    assert ITAResult.objects.count() == 0


def test_a_national_overseer_imports_a_coordinator_may_not(
    client, fy2565, national, coordinator, django_capture_on_commit_callbacks
):
    national.is_staff = True
    national.save()
    client.force_login(national)
    page = upload(client, fy2565, csv_bytes([HEADER, UBON_ROW]), "ita.csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(IMPORT), {"token": token_of(page)})
    assert ITAResult.objects.get().entered_by == national
    coordinator.is_staff = True
    coordinator.save()
    client.force_login(coordinator)
    assert client.get(reverse(IMPORT)).status_code == 403
    assert client.get(reverse("admin:results_itaresult_changelist")).status_code == 403
