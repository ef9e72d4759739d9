"""Draft PDFs: rendered by a job, kept under the hash of what they are made from, and
never rendered twice for the same content."""

import hashlib

import pytest
from django.urls import reverse

from jobs.models import Job
from measures.models import Measure, Round
from organizations.models import Membership
from organizations.services import add_member
from testing.factories import member
from testing.pages import element_text
from testing.pdftext import pdf_text, squash

# Every test writes its files (the drafts) in a folder of its own.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
# The job is sent once its row is committed, as in production; without a broker it
# runs at once in the request that starts it.
run_jobs = pytest.mark.django_db(transaction=True)


def pdf_url(round_) -> str:
    return reverse(
        "reports:pdf", args=[round_.organization.slug, round_.fiscal_year.year, round_.kind]
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def drafts_of(media_root) -> list:
    return sorted(p for p in (media_root / "drafts").rglob("*") if p.is_file())


def status(page) -> str | None:
    """What the report page says of the draft PDF's job (None: no job shown)."""
    return element_text(page, "draft-job")


@run_jobs
def test_an_unchanged_report_is_rendered_once(client, six, media_root):
    client.force_login(member(six.organization, Membership.Role.COORDINATOR, "coord"))
    first = client.get(pdf_url(six))
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"] == 'inline; filename="ita-ubon-pao-2566-round6.pdf"'
    pdf = body(first)
    [stored] = drafts_of(media_root)
    assert stored.parent == media_root / "drafts" / "ubon-pao" / "2566" / "round6"
    assert stored.read_bytes() == pdf
    made = stored.stat().st_mtime_ns
    assert Job.objects.get().state == "done"

    # Asked again, by another person: the same file, not rendered again.
    client.force_login(member(six.organization, Membership.Role.EXECUTIVE, "exec"))
    assert body(client.get(pdf_url(six))) == pdf
    assert drafts_of(media_root) == [stored]
    assert stored.stat().st_mtime_ns == made
    assert Job.objects.count() == 1

    # A change to the report is a new draft, with the change in it; the old one goes.
    step = Measure.objects.get(organization=six.organization, order=1).steps.get(number=1)
    step.text = "จัดทำประมวลจริยธรรมฉบับปรับปรุง"
    step.save()
    changed = body(client.get(pdf_url(six)))
    assert "จัดทำประมวลจริยธรรมฉบับปรับปรุง" in squash(pdf_text(changed))
    [renewed] = drafts_of(media_root)
    assert renewed.name != stored.name
    assert renewed.read_bytes() == changed
    assert Job.objects.count() == 2


@run_jobs
def test_the_agencys_choice_of_digits_makes_a_new_draft(client, six, media_root):
    client.force_login(member(six.organization, Membership.Role.COORDINATOR, "coord"))
    before = body(client.get(pdf_url(six)))
    organization = six.organization
    organization.thai_digits = not organization.thai_digits
    organization.save()
    after = body(client.get(pdf_url(six)))
    assert hashlib.sha256(after).digest() != hashlib.sha256(before).digest()
    assert Job.objects.count() == 2
    # The page numbers follow the digits the portal writes in the body.
    assert ("หน้า๒/" in squash(pdf_text(before))) != ("หน้า๒/" in squash(pdf_text(after)))


def test_while_the_draft_is_made_the_page_waits_and_reloads(
    client, six, media_root, django_capture_on_commit_callbacks
):
    client.force_login(member(six.organization, Membership.Role.COORDINATOR, "coord"))
    # The job waits, as it would for a busy worker, until the test runs it.
    with django_capture_on_commit_callbacks() as sent:
        waiting = client.get(pdf_url(six))
        assert waiting.status_code == 202
        page = waiting.content.decode()
        assert status(page).startswith("กำลังจัดทำไฟล์ PDF (รอคิว)")
        job = Job.objects.get()
        reload = f"{pdf_url(six)}?job={job.pk}"
        assert f'<meta http-equiv="refresh" content="3;url={reload}">' in page
        assert status(client.get(reload).content.decode()).startswith("กำลังจัดทำไฟล์ PDF")
        # A second person asking joins the same job.
        client.force_login(member(six.organization, Membership.Role.EXECUTIVE, "exec"))
        assert client.get(pdf_url(six)).status_code == 202
    assert Job.objects.count() == 1 and len(sent) == 1
    sent[0]()  # the worker takes the job
    ready = client.get(reload)
    assert ready.status_code == 200
    assert ready["Content-Disposition"] == 'inline; filename="ita-ubon-pao-2566-round6.pdf"'
    assert body(ready) == drafts_of(media_root)[0].read_bytes()
    assert body(client.get(pdf_url(six))) == drafts_of(media_root)[0].read_bytes()
    # Another round's job in the address changes nothing: this round's draft is served.
    other = Job.objects.create(
        kind=Job.Kind.DRAFT_PDF,
        organization=six.organization,
        round=Round.objects.get(organization=six.organization, kind=12),
        state=Job.State.FAILED,
        message="ของรอบอื่น",
    )
    assert body(client.get(f"{pdf_url(six)}?job={other.pk}")).startswith(b"%PDF")


@run_jobs
def test_a_draft_the_storage_refuses_says_why_and_is_tried_again_on_request(
    client, six, settings, tmp_path
):
    client.force_login(member(six.organization, Membership.Role.COORDINATOR, "coord"))
    (tmp_path / "a-file").write_bytes(b"")
    settings.MEDIA_ROOT = tmp_path / "a-file" / "media"
    failed = client.get(pdf_url(six))
    assert failed.status_code == 200
    page = failed.content.decode()
    assert status(page) == (
        "จัดทำไฟล์ PDF ไม่สำเร็จ: บันทึกไฟล์ลงที่เก็บไฟล์ไม่ได้ กรุณาลองอีกครั้ง หากยังไม่สำเร็จให้แจ้งผู้ดูแลระบบ"
    )
    assert 'http-equiv="refresh"' not in page
    assert f'href="{pdf_url(six)}?retry=1">ลองอีกครั้ง</a>' in page
    # Reloading shows the failure instead of failing again; the button tries again.
    assert client.get(pdf_url(six)).status_code == 200
    assert Job.objects.count() == 1
    settings.MEDIA_ROOT = tmp_path / "media"
    again = client.get(f"{pdf_url(six)}?retry=1")
    assert body(again).startswith(b"%PDF")
    assert Job.objects.count() == 2


def test_a_draft_job_checks_the_persons_access_again(
    client, six, media_root, django_capture_on_commit_callbacks
):
    executive = member(six.organization, Membership.Role.EXECUTIVE, "exec")
    client.force_login(executive)
    with django_capture_on_commit_callbacks() as sent:
        assert client.get(pdf_url(six)).status_code == 202
    # Moved to staff before the worker took the job: staff do not read the full report.
    add_member(member=executive, organization=six.organization, role=Membership.Role.STAFF)
    sent[0]()
    job = Job.objects.get()
    assert job.state == "failed"
    assert job.message == (
        "จัดทำไฟล์ PDF ไม่สำเร็จ: เมื่องานเริ่มทำ exec ไม่มีสิทธิ์ดูรายงานขององค์การบริหารส่วนจังหวัดอุบลราชธานี แล้ว"
    )
    assert not (media_root / "drafts").exists()
    assert client.get(pdf_url(six)).status_code == 403
