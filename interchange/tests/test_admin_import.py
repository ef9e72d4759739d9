import io
import os
import re
import tempfile

import openpyxl
import pytest
from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interchange.admin_views import TOKEN_SALT
from interchange.exporters import EXPORTERS, build_sheet
from interchange.tests.sheets import measure_rows, xlsx_bytes, year_state
from jobs.models import Job
from measures.models import Measure
from organizations.models import Membership
from organizations.services import add_member
from testing.factories import OrganizationFactory, UserFactory, member
from testing.forms import form_data
from testing.pages import element_text

pytestmark = pytest.mark.django_db
# The confirmed import is a job, sent once its row is committed (as in production):
# these tests commit, and without a broker the job runs at once in the request.
run_jobs = pytest.mark.django_db(transaction=True)

IMPORT_URL = reverse("admin:measures_measure_import")
EXPORT_URL = reverse("admin:measures_measure_export")
NEW_ROW = (
    "เครื่องมือการประเมิน IIT\nตัวชี้วัดการใช้อำนาจ",
    "กองคลัง",
    "๑. ประกาศแนวทางการใช้ดุลพินิจ",
    "๑. รายงานผู้บริหาร",
    "",
    "",
)


@pytest.fixture
def seeded(seed):
    return seed


def edited_export(seeded) -> bytes:
    """The seed's export with measure 3's monitoring changed and a new measure added."""
    sheet = build_sheet(organization=seeded.organization, fiscal_year=seeded.fiscal_year)
    workbook = openpyxl.load_workbook(io.BytesIO(EXPORTERS["xlsx"].export([sheet])[2]))
    rows = workbook.active
    third = measure_rows(rows)[2]
    rows.cell(row=third, column=4).value = "๑. รายงานผู้บริหารทุกเดือน"
    rows.append(NEW_ROW)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, seeded, content, name="measures.xlsx", **fields):
    data = {
        "organization": seeded.organization.pk,
        "fiscal_year": seeded.fiscal_year.pk,
        "round_kind": "",
        "file": SimpleUploadedFile(name, content),
        **fields,
    }
    return client.post(IMPORT_URL, data)


def test_the_measure_list_offers_import_and_export(coordinator_client):
    page = coordinator_client.get(reverse("admin:measures_measure_changelist")).content.decode()
    assert f'href="{IMPORT_URL}"' in page and "นำเข้าจากไฟล์ XLSX/CSV" in page
    assert f'href="{EXPORT_URL}"' in page


@run_jobs
def test_import_previews_then_writes_on_confirm(coordinator_client, seeded):
    before = year_state(seeded.organization, seeded.fiscal_year)
    preview = upload(coordinator_client, seeded, edited_export(seeded))
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "ตรวจสอบผ่าน ยังไม่ได้บันทึกข้อมูล" in page
    assert "สร้างใหม่ 1 แก้ไข 1 ไม่เปลี่ยนแปลง 7" in page
    assert "<td>แก้ไข</td><td>มาตรการที่ 3 IIT การใช้งบประมาณ</td>" in page
    assert "<td>การรายงานผลและการกำกับติดตาม</td>" in page
    assert "<td>สร้างใหม่</td><td>มาตรการที่ 9 IIT การใช้อำนาจ</td>" in page
    # Nothing is written before the coordinator confirms.
    assert year_state(seeded.organization, seeded.fiscal_year) == before

    confirm = form_data(page, form_id="confirm-form")
    response = coordinator_client.post(IMPORT_URL, confirm)
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("admin:measures_measure_changelist")
        + f"?organization__id__exact={seeded.organization.pk}"
        f"&fiscal_year__id__exact={seeded.fiscal_year.pk}"
    )
    measures = Measure.objects.filter(organization=seeded.organization).order_by("order")
    assert measures.count() == 9
    assert measures[2].monitoring == "๑. รายงานผู้บริหารทุกเดือน"  # as typed
    assert measures[8].indicator.name == "การใช้อำนาจ"
    listing = coordinator_client.get(response["Location"]).content.decode()
    assert "นำเข้าจากไฟล์ measures.xlsx เรียบร้อย" in listing
    # The waiting file is gone; confirming twice cannot import twice.
    token = signing.loads(confirm["token"], salt=TOKEN_SALT)
    assert not os.path.exists(os.path.join(tempfile.gettempdir(), token["file"]))
    again = coordinator_client.post(IMPORT_URL, confirm, follow=True)
    assert "ไฟล์ที่ตรวจสอบไว้หมดอายุแล้ว กรุณาอัปโหลดไฟล์อีกครั้ง" in again.content.decode()
    assert Measure.objects.filter(organization=seeded.organization).count() == 9


def test_bad_rows_are_shown_and_cannot_be_confirmed(coordinator_client, seeded):
    bad = list(NEW_ROW)
    bad[1] = "กองช่าง"
    bad[4] = "๓๑ ก.ย. ๒๕๖๖"
    before = year_state(seeded.organization, seeded.fiscal_year)
    page = upload(coordinator_client, seeded, xlsx_bytes([NEW_ROW, bad])).content.decode()
    assert "พบข้อผิดพลาด 2 รายการ จึงไม่บันทึกข้อมูลใดเลย" in page
    assert "แถวที่ 3 คอลัมน์ &quot;ผู้รับผิดชอบ&quot;: ไม่พบส่วนราชการ “กองช่าง” ในหน่วยงานนี้" in page
    assert "แถวที่ 3 คอลัมน์ &quot;กำหนดเวลาแล้วเสร็จ&quot;: อ่านวันที่" in page
    assert 'id="confirm-form"' not in page
    assert year_state(seeded.organization, seeded.fiscal_year) == before


@run_jobs
def test_creating_divisions_is_a_choice_in_the_form(coordinator_client, seeded):
    row = list(NEW_ROW)
    row[1] = "กองช่าง"
    page = upload(
        coordinator_client, seeded, xlsx_bytes([row]), create_divisions="on"
    ).content.decode()
    assert "สร้างส่วนราชการใหม่: กองช่าง" in page
    coordinator_client.post(IMPORT_URL, form_data(page, form_id="confirm-form"))
    assert seeded.organization.divisions.filter(name="กองช่าง").exists()


def test_a_file_that_is_not_a_spreadsheet(coordinator_client, seeded):
    page = upload(coordinator_client, seeded, b"%PDF-1.7 ...", name="report.pdf").content.decode()
    assert "ไฟล์นี้ไม่ใช่ไฟล์ตาราง (XLSX หรือ CSV)" in page
    assert 'id="confirm-form"' not in page


def test_an_oversized_upload_is_refused_by_the_form(coordinator_client, seeded, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    page = upload(coordinator_client, seeded, b"x" * (2 * 1024 * 1024)).content.decode()
    assert "ไฟล์มีขนาด 2 MB เกินขนาดที่รับได้ (1 MB)" in page
    assert 'id="import-preview"' not in page


# --- Organizations that are not yours --------------------------------------------------------


@pytest.fixture
def outsider(client, seeded):
    """The test client, signed in as the coordinator of another agency."""
    client.force_login(member(OrganizationFactory(), Membership.Role.COORDINATOR, "other-coord"))
    return client


def test_a_coordinator_cannot_import_into_another_organization(outsider, seeded):
    before = year_state(seeded.organization, seeded.fiscal_year)
    form = outsider.get(IMPORT_URL).content.decode()
    assert seeded.organization.name not in form
    page = upload(outsider, seeded, edited_export(seeded)).content.decode()
    assert 'id="import-preview"' not in page
    assert "errorlist" in page
    assert year_state(seeded.organization, seeded.fiscal_year) == before


def test_a_confirm_token_only_works_for_its_user_and_their_organizations(
    client, coordinator, seeded
):
    client.force_login(coordinator)
    page = upload(client, seeded, edited_export(seeded)).content.decode()
    confirm = form_data(page, form_id="confirm-form")
    # The other agency's coordinator replays the token...
    client.force_login(member(OrganizationFactory(), Membership.Role.COORDINATOR, "other-coord"))
    assert client.post(IMPORT_URL, confirm).status_code == 403
    # ...or one re-signed for themselves (as if the secret leaked): still not their agency.
    payload = signing.loads(confirm["token"], salt=TOKEN_SALT)
    forged = {
        "token": signing.dumps(
            {**payload, "user": int(client.session["_auth_user_id"])}, salt=TOKEN_SALT
        )
    }
    assert client.post(IMPORT_URL, forged).status_code == 404
    assert Measure.objects.filter(organization=seeded.organization).count() == 8
    os.remove(os.path.join(tempfile.gettempdir(), payload["file"]))


def test_a_coordinator_cannot_export_another_organization(outsider, seeded):
    response = outsider.get(
        EXPORT_URL,
        {
            "organization": seeded.organization.pk,
            "fiscal_year": seeded.fiscal_year.pk,
            "round_kind": 6,
            "format": "xlsx",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert seeded.organization.name not in response.content.decode()


# --- Export ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("format_", "content_type", "extension"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        ("csv", "text/csv; charset=utf-8", "csv"),
    ],
)
def test_export_downloads_the_year(coordinator_client, seeded, format_, content_type, extension):
    form = coordinator_client.get(EXPORT_URL).content.decode()
    assert "ส่งออกมาตรการเป็นไฟล์ XLSX หรือ CSV" in form
    response = coordinator_client.get(
        EXPORT_URL,
        {
            "organization": seeded.organization.pk,
            "fiscal_year": seeded.fiscal_year.pk,
            "round_kind": 6,
            "format": format_,
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="ita-measures-ubon-pao-2566-round6.{extension}"'
    )
    sheet = build_sheet(organization=seeded.organization, fiscal_year=seeded.fiscal_year)
    expected = EXPORTERS[format_].export([sheet])[2]
    if format_ == "csv":
        assert response.content == expected
    else:
        rows = openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows
        assert [r for r in rows(values_only=True)] == [
            r
            for r in openpyxl.load_workbook(io.BytesIO(expected)).active.iter_rows(values_only=True)
        ]


@run_jobs
def test_confirm_writes_the_rows_read_at_preview_without_reading_the_file_again(
    coordinator_client, seeded
):
    page = upload(coordinator_client, seeded, edited_export(seeded)).content.decode()
    confirm = form_data(page, form_id="confirm-form")
    # The waiting file is gone (as on another app server): the rows read at the
    # preview are what the confirm writes.
    token = signing.loads(confirm["token"], salt=TOKEN_SALT)
    os.remove(os.path.join(tempfile.gettempdir(), token["file"]))
    assert coordinator_client.post(IMPORT_URL, confirm).status_code == 302
    assert Measure.objects.filter(organization=seeded.organization).count() == 9


# --- The import as a job ---------------------------------------------------------------------


def job_status(page) -> str | None:
    """What the import's job page says of it (None: no job status shown)."""
    return element_text(page, "job-status")


def test_a_confirmed_import_is_a_job_whose_page_follows_it(
    coordinator_client, seeded, django_capture_on_commit_callbacks
):
    page = upload(coordinator_client, seeded, edited_export(seeded)).content.decode()
    before = year_state(seeded.organization, seeded.fiscal_year)
    # The job waits, as for a busy worker, until the test runs it.
    with django_capture_on_commit_callbacks() as sent:
        response = coordinator_client.post(IMPORT_URL, form_data(page, form_id="confirm-form"))
    job = Job.objects.get()
    assert response["Location"] == reverse("admin:jobs_job_change", args=[job.pk])
    waiting = coordinator_client.get(response["Location"]).content.decode()
    assert job_status(waiting) == ("กำลังนำเข้ามาตรการจากไฟล์… (รอคิว) หน้านี้จะแสดงผลเองเมื่องานเสร็จ")
    assert '<meta http-equiv="refresh" content="3">' in waiting
    assert year_state(seeded.organization, seeded.fiscal_year) == before

    sent[0]()  # the worker takes the job
    done = coordinator_client.get(response["Location"]).content.decode()
    assert job_status(done) == (
        "นำเข้าจากไฟล์ measures.xlsx เรียบร้อย (องค์การบริหารส่วนจังหวัดอุบลราชธานี "
        "ปีงบประมาณ พ.ศ. 2566): สร้างใหม่ 1 แก้ไข 1 ไม่เปลี่ยนแปลง 7"
    )
    assert 'http-equiv="refresh"' not in done
    measures = (
        reverse("admin:measures_measure_changelist")
        + f"?organization__id__exact={seeded.organization.pk}"
        f"&amp;fiscal_year__id__exact={seeded.fiscal_year.pk}"
    )
    assert f'<a href="{measures}">มาตรการของปีงบประมาณ พ.ศ. 2566</a>' in done
    assert Measure.objects.filter(organization=seeded.organization).count() == 9


def test_the_confirmed_rows_outlive_the_cache(
    coordinator_client, seeded, django_capture_on_commit_callbacks
):
    """Issue 18, item 3: the rows wait for their job in the database, so a Redis that
    restarted empty (the cache cleared) before the job ran loses nothing."""
    page = upload(coordinator_client, seeded, edited_export(seeded)).content.decode()
    with django_capture_on_commit_callbacks() as sent:
        job_page = coordinator_client.post(IMPORT_URL, form_data(page, form_id="confirm-form"))
    cache.clear()  # Redis restarted with nothing in it
    sent[0]()
    shown = coordinator_client.get(job_page["Location"]).content.decode()
    assert job_status(shown) == (
        "นำเข้าจากไฟล์ measures.xlsx เรียบร้อย (องค์การบริหารส่วนจังหวัดอุบลราชธานี "
        "ปีงบประมาณ พ.ศ. 2566): สร้างใหม่ 1 แก้ไข 1 ไม่เปลี่ยนแปลง 7"
    )
    assert Measure.objects.filter(organization=seeded.organization).count() == 9
    assert Job.objects.get().payload is None  # the rows go when the job ends


def test_an_import_by_someone_no_longer_coordinator_when_it_runs_writes_nothing(
    client, coordinator, seeded, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    page = upload(client, seeded, edited_export(seeded)).content.decode()
    before = year_state(seeded.organization, seeded.fiscal_year)
    with django_capture_on_commit_callbacks() as sent:
        job_page = client.post(IMPORT_URL, form_data(page, form_id="confirm-form"))["Location"]
    add_member(member=coordinator, organization=seeded.organization, role=Membership.Role.EXECUTIVE)
    sent[0]()
    assert year_state(seeded.organization, seeded.fiscal_year) == before
    # Demoted, they lost the admin with the role (organizations.services.set_role):
    # the admin asks them to sign in; the administrator reads why.
    response = client.get(job_page)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert job_status(client.get(job_page).content.decode()) == (
        "นำเข้าไม่สำเร็จ: เมื่องานเริ่มทำ coord ไม่มีสิทธิ์นำเข้ามาตรการของ"
        "องค์การบริหารส่วนจังหวัดอุบลราชธานี แล้ว จึงไม่บันทึกข้อมูลใดเลย"
    )


@run_jobs
def test_rows_that_no_longer_fit_when_the_job_runs_are_listed_and_nothing_is_written(
    coordinator_client, seeded
):
    page = upload(coordinator_client, seeded, edited_export(seeded)).content.decode()
    # Between the preview and the confirm, the division of the new row is renamed.
    seeded.organization.divisions.filter(name="กองคลัง").update(name="กองคลังและพัสดุ")
    before = year_state(seeded.organization, seeded.fiscal_year)
    response = coordinator_client.post(
        IMPORT_URL, form_data(page, form_id="confirm-form"), follow=True
    )
    shown = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:jobs_job_change", args=[Job.objects.get().pk]
    )
    assert job_status(shown) == (
        "นำเข้าไม่สำเร็จ: พบข้อผิดพลาด 2 รายการเมื่อบันทึกจริง "
        "(ข้อมูลของปีนี้เปลี่ยนไปหลังการตรวจสอบไฟล์) กรุณาอัปโหลดไฟล์และตรวจสอบอีกครั้ง "
        "จึงไม่บันทึกข้อมูลใดเลย"
    )
    details = re.search(r'<ul id="job-details">(.*?)</ul>', shown, re.S).group(1)
    missing = "ไม่พบส่วนราชการ “กองคลัง” ในหน่วยงานนี้ ตรวจสอบการสะกด หรือเลือกให้สร้างส่วนราชการที่ยังไม่มี"
    sheet = openpyxl.load_workbook(io.BytesIO(edited_export(seeded))).active
    finance = [n for n in measure_rows(sheet) if "กองคลัง" in (sheet.cell(n, 2).value or "")]
    assert len(finance) == 2  # a measure of the seed's and the new row
    assert re.findall(r"<li>(.*?)</li>", details) == [
        f"แถวที่ {row} คอลัมน์ &quot;ผู้รับผิดชอบ&quot;: {missing}" for row in finance
    ]
    assert year_state(seeded.organization, seeded.fiscal_year) == before
