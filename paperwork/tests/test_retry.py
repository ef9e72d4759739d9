"""A memo and form generation that fails: the paperwork page says what failed and
when, the coordinator retries once the cause is fixed, and the PDFs carry the names
and dates of the approval itself. Real WeasyPrint, real files; the causes are real
too: an agency text that no longer fills (saved before a rule it breaks) and a file
where the storage's folder has to go."""

from pathlib import Path

import pytest
from django.urls import reverse

from organizations.models import Membership
from paperwork import services
from paperwork.models import Paperwork, PaperworkFailure, PaperworkTemplate
from paperwork.tests.conftest import APPROVED, REQUESTED
from testing.factories import OrganizationFactory, member
from testing.pages import element_text, visible_text
from testing.pdftext import pdf_text, squash
from testing.threads import HeldOpen, Worker, postgresql_only, wait_until_someone_waits_for_a_lock

pytestmark = pytest.mark.django_db
BROKEN = "จึงเรียนมาเพื่อโปรดพิจารณา {ผู้ลงนาม}"  # no such placeholder
TEMPLATE_ERROR = (
    "ข้อความในแม่แบบบันทึกข้อความขออนุญาตเผยแพร่ข้อมูลใช้ไม่ได้: ข้อความปิดท้าย: ไม่รู้จักช่องข้อมูล {ผู้ลงนาม}"
)


def approve(version, coordinator, executive):
    """As approvals does once the version is published: a failure is raised (and
    logged there)."""
    return services.generate_for_approval(
        report=version,
        requested_by=coordinator,
        requested_at=REQUESTED,
        approved_by=executive,
        approved_at=APPROVED,
        note="ตามหนังสือ ที่ อบ 0023/ว 45",
        approver_position="นายกองค์การบริหารส่วนตำบลบ้านนา",
    )


def index(agency):
    return reverse("paperwork:index", args=[agency.slug])


def retry_url(agency, failure):
    return reverse("paperwork:retry", args=[agency.slug, failure.pk])


def stored_files(media_root) -> list[Path]:
    return sorted(p for p in Path(media_root, "paperwork").rglob("*") if p.is_file())


@pytest.fixture
def broken_memo_text(agency):
    # Written as a text saved before the placeholder check existed would be.
    return PaperworkTemplate.objects.create(
        organization=agency, kind="memo", parts={"closing": BROKEN}
    )


@pytest.fixture
def failed(version, agency_coordinator, agency_executive, broken_memo_text):
    with pytest.raises(services.Failed):
        approve(version, agency_coordinator, agency_executive)
    return PaperworkFailure.objects.get()


def test_a_failed_generation_is_shown_with_what_failed_and_when(
    client, agency, agency_coordinator, failed, django_assert_num_queries
):
    assert not Paperwork.objects.exists()
    client.force_login(agency_coordinator)
    # As without failures (test_pages): the failures come in one query with their versions.
    with django_assert_num_queries(8):
        page = client.get(index(agency))
    shown = element_text(page, "paperwork-failures")
    assert "จัดทำบันทึกข้อความและแบบฟอร์มไม่สำเร็จ" in shown
    assert "รายงานการดำเนินการตามมาตรการ" in shown and "ฉบับที่ 1" in shown
    assert TEMPLATE_ERROR in shown and "กรุณาแก้ไขแม่แบบบันทึกข้อความขออนุญาตเผยแพร่ข้อมูล" in shown
    assert "ไม่สำเร็จเมื่อ" in shown and "2569" in shown  # the day, in BE
    assert "จัดทำบันทึกข้อความและแบบฟอร์มใหม่" in shown
    assert f'action="{retry_url(agency, failed)}"' in page.content.decode()
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()


def test_retry_before_the_fix_fails_again_and_after_it_makes_the_pdfs(
    client, agency, agency_coordinator, failed, media_root
):
    client.force_login(agency_coordinator)
    again = client.post(retry_url(agency, failed), follow=True)
    assert "ยังไม่สำเร็จ" in visible_text(again) and TEMPLATE_ERROR in visible_text(again)
    failed.refresh_from_db()
    assert failed.attempts == 2 and failed.resolved_at is None
    assert not Paperwork.objects.exists() and stored_files(media_root) == []

    services.reset_template(user=agency_coordinator, organization=agency, kind="memo", revision=1)
    done = client.post(retry_url(agency, failed), follow=True)
    assert "จัดทำบันทึกข้อความและแบบฟอร์มการเผยแพร่ของรายงานการดำเนินการ" in visible_text(done)
    assert element_text(done, "paperwork-failures") is None
    assert "บันทึกข้อความ (PDF)" in element_text(done, "paperwork")
    paperwork = Paperwork.objects.get()
    failed.refresh_from_db()
    assert failed.resolved_at and failed.retried_by == agency_coordinator
    # The approval's own names, dates and note, not the retry's.
    with paperwork.memo_pdf.open("rb") as f:
        memo = squash(pdf_text(f.read()))
    for expected in (
        "(สมศรีใจดี)",
        "วันที่3ธันวาคม2569",
        "(ประสิทธิ์มั่นคง)นายกองค์การบริหารส่วนตำบลบ้านนา",
        "เวลา14.05น.",
        "ตามหนังสือที่อบ0023/ว45",
        "จึงเรียนมาเพื่อโปรดพิจารณา",
    ):
        assert expected in memo, expected
    assert paperwork.requested_by == agency_coordinator
    assert len(stored_files(media_root)) == 2  # the memo and the form


def test_a_second_click_makes_nothing_more(client, agency, agency_coordinator, failed, media_root):
    PaperworkTemplate.objects.all().delete()  # the cause goes
    client.force_login(agency_coordinator)
    client.post(retry_url(agency, failed))
    files = stored_files(media_root)
    second = client.post(retry_url(agency, failed), follow=True)
    assert "จัดทำไว้แล้ว ไม่ได้จัดทำซ้ำ" in visible_text(second)
    assert Paperwork.objects.count() == 1 and stored_files(media_root) == files


def test_storage_refusing_the_write_is_shown_and_retried(
    client, agency, agency_coordinator, agency_executive, version, media_root
):
    # A file where the agency's folder has to go: the disk refuses (root included).
    Path(media_root, "paperwork").mkdir(parents=True)
    blocker = Path(media_root, "paperwork", agency.slug)
    blocker.write_text("not a folder")
    with pytest.raises(services.Failed):
        approve(version, agency_coordinator, agency_executive)
    client.force_login(agency_coordinator)
    shown = element_text(client.get(index(agency)), "paperwork-failures")
    assert "บันทึกไฟล์ PDF ลงที่เก็บไฟล์ของระบบไม่สำเร็จ" in shown
    blocker.unlink()
    failure = PaperworkFailure.objects.get()
    client.post(retry_url(agency, failure))
    assert Paperwork.objects.count() == 1 and len(stored_files(media_root)) == 2


def test_only_the_coordinator_retries(client, agency, agency_executive, failed):
    client.force_login(agency_executive)
    page = client.get(index(agency))
    shown = element_text(page, "paperwork-failures")
    assert TEMPLATE_ERROR in shown  # the executive sees what failed
    assert "ผู้ประสานงาน ITA ของหน่วยงานสั่งจัดทำใหม่ได้" in shown
    assert "paperwork/ban-na/retry/" not in page.content.decode()
    assert client.post(retry_url(agency, failed)).status_code == 403
    client.force_login(member(agency, Membership.Role.STAFF, "staff"))
    assert client.post(retry_url(agency, failed)).status_code == 403
    other = OrganizationFactory(slug="other")
    other_coordinator = member(other, Membership.Role.COORDINATOR, "oc")
    client.force_login(other_coordinator)
    assert client.post(retry_url(agency, failed)).status_code == 404
    # Another agency's coordinator cannot reach it through their own agency either.
    assert client.post(retry_url(other, failed)).status_code == 404
    assert client.get(retry_url(agency, failed)).status_code == 405
    failed.refresh_from_db()
    assert failed.attempts == 1 and not Paperwork.objects.exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_retries_at_once_make_one_pair(agency, agency_coordinator, failed, media_root):
    PaperworkTemplate.objects.all().delete()
    # A third transaction holds the record; both retries queue behind it.
    holder = HeldOpen(lambda: PaperworkFailure.objects.select_for_update().get(pk=failed.pk))
    holder.start()

    def retry():
        return services.retry(user=agency_coordinator, organization=agency, failure_id=failed.pk)

    first, second = Worker(retry), Worker(retry)
    first.start()
    second.start()
    wait_until_someone_waits_for_a_lock()
    holder.commit()
    outcomes = sorted(w.outcome().made for w in (first, second))
    assert outcomes == [False, True]
    assert Paperwork.objects.count() == 1 and len(stored_files(media_root)) == 2
