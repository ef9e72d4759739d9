"""Approval before publishing, through the pages a coordinator and an executive use:
send, read, approve (the publication job publishes with the recorded names), return
with a reason, refused when the report changed, two tabs, access, approval off."""

import pytest
from django.urls import reverse

from approvals.models import ApprovalRequest
from approvals.services import name_approver, save_settings
from jobs.models import Job
from measures.models import Measure
from organizations.models import Membership
from paperwork.models import Paperwork
from reports.models import PublishedReport
from reports.pdf import drafts
from reports.services import save_document_settings
from testing.factories import OrganizationFactory, member
from testing.pages import element_text, visible_text
from testing.pdftext import pdf_text, squash

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
State = ApprovalRequest.State


@pytest.fixture
def people(six):
    org = six.organization
    return {
        "coordinator": member(
            org, Membership.Role.COORDINATOR, "coord", first_name="สมหญิง", last_name="ตรวจงาน"
        ),
        "executive": member(
            org, Membership.Role.EXECUTIVE, "boss", first_name="สมชาย", last_name="ใจดี"
        ),
    }


def args(round_):
    return [round_.organization.slug, round_.fiscal_year.year, round_.kind]


def send(client, round_, **data):
    url = reverse("approvals:request", args=args(round_))
    page = client.get(url)
    sha = page.context["content_sha256"]
    return client.post(url, {"content_sha256": sha, "note": "", "position": "", **data})


def decide(client, approval, action, **data):
    return client.post(
        reverse("approvals:detail", args=[approval.pk]),
        {"action": action, "content_sha256": approval.content_sha256, **data},
    )


def test_publish_leads_to_approval_then_approved_version_carries_the_names(
    client, six, people, django_capture_on_commit_callbacks
):
    client.force_login(people["coordinator"])
    publish = reverse("reports:publish", args=args(six))
    request_url = reverse("approvals:request", args=args(six))
    assert client.get(publish)["Location"] == request_url
    assert client.post(publish, {"confirm": "1"})["Location"] == request_url
    assert not Job.objects.exists()

    sent = send(client, six, note="ขออนุมัติเผยแพร่รอบ 6 เดือน", position="นักวิเคราะห์นโยบายและแผน")
    assert sent.status_code == 302
    approval = ApprovalRequest.objects.get()
    assert approval.state == State.WAITING
    assert approval.content_sha256 == drafts.current(six).sha256

    client.force_login(people["executive"])
    home = client.get(reverse("home")).content.decode()
    assert "รอท่านอนุมัติเผยแพร่ (1)" in home
    detail = client.get(reverse("approvals:detail", args=[approval.pk]))
    assert "ขออนุมัติเผยแพร่รอบ 6 เดือน" in detail.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        approved = decide(client, approval, "approve", position="นายกองค์การบริหารส่วนจังหวัด")
    assert approved.status_code == 302
    report = PublishedReport.objects.get()
    approval.refresh_from_db()
    assert (approval.state, approval.publication) == (State.PUBLISHED, report)
    assert report.content_sha256 == approval.content_sha256
    assert report.published_by == people["coordinator"]

    with report.pdf.open("rb") as stored:
        text = squash(pdf_text(stored.read()))
    assert squash("(สมหญิง ตรวจงาน)") in text
    assert squash("ตำแหน่ง นักวิเคราะห์นโยบายและแผน") in text
    assert squash("(สมชาย ใจดี)") in text
    assert squash("ตำแหน่ง นายกองค์การบริหารส่วนจังหวัด") in text
    assert squash("อนุมัติให้เผยแพร่เมื่อ") in text
    assert "ลงชื่อ" not in text
    # The memo and the form of the approved version (paperwork), with the same names.
    paperwork = Paperwork.objects.get(report=report)
    assert (paperwork.requester_name, paperwork.approver_name) == ("สมหญิง ตรวจงาน", "สมชาย ใจดี")
    assert paperwork.approver_position == "นายกองค์การบริหารส่วนจังหวัด"

    client.logout()
    index = client.get(reverse("reports:public_index", args=[six.organization.slug]))
    line = visible_text(index)
    assert "ขออนุมัติโดย สมหญิง ตรวจงาน (นักวิเคราะห์นโยบายและแผน)" in line
    assert "อนุมัติโดย สมชาย ใจดี (นายกองค์การบริหารส่วนจังหวัด)" in line
    assert f"SHA-256 ของเนื้อหาที่อนุมัติ {approval.content_sha256}" in line


def sent_on_home(client) -> str | None:
    """The coordinator's home card of what they sent for approval (issue 21)."""
    return element_text(client.get(reverse("home")), "sent-approvals")


def test_return_with_reason_then_send_again(client, six, people):
    client.force_login(people["coordinator"])
    assert sent_on_home(client) is None
    send(client, six)
    # The coordinator's home says it waits (it is on the executive's home, not only there).
    assert f"รายงาน{six} ส่งเมื่อ" in sent_on_home(client)
    assert "รอผู้อนุมัติพิจารณา" in sent_on_home(client)
    again = send(client, six)
    assert again.status_code == 400
    assert "ส่งขออนุมัติไว้แล้ว" in again.content.decode()
    approval = ApprovalRequest.objects.get()

    client.force_login(people["executive"])
    refused = decide(client, approval, "return", reason="")
    assert refused.status_code == 400
    assert "กรุณาระบุเหตุผลที่ส่งกลับ" in refused.content.decode()
    decide(client, approval, "return", reason="มาตรการที่ 3 ยังไม่มีหลักฐาน")
    approval.refresh_from_db()
    assert approval.state == State.RETURNED
    twice = decide(client, approval, "approve")
    assert "ส่งกลับให้แก้ไขแล้ว" in twice.content.decode()
    assert not PublishedReport.objects.exists()

    assert sent_on_home(client) is None  # the executive publishes nothing of their own

    client.force_login(people["coordinator"])
    returned = sent_on_home(client)
    assert "ส่งกลับให้แก้ไข มาตรการที่ 3 ยังไม่มีหลักฐาน" in returned
    page = client.get(reverse("approvals:request", args=args(six))).content.decode()
    assert "มาตรการที่ 3 ยังไม่มีหลักฐาน" in page
    assert send(client, six).status_code == 302
    assert ApprovalRequest.objects.filter(state=State.WAITING).count() == 1
    # The new request replaces the returned one on the home page.
    assert "รอผู้อนุมัติพิจารณา" in sent_on_home(client)
    assert "ส่งกลับให้แก้ไข" not in sent_on_home(client)


def test_content_changed_after_the_request_is_refused(client, six, people):
    client.force_login(people["coordinator"])
    send(client, six)
    approval = ApprovalRequest.objects.get()
    org = six.organization  # the report's digits change: another report to read
    save_document_settings(
        user=people["coordinator"],
        organization=org,
        cover_thai_digits=org.cover_thai_digits,
        thai_digits=not org.thai_digits,
        show_evidence_links=org.show_evidence_links,
    )
    client.force_login(people["executive"])
    refused = decide(client, approval, "approve")
    assert refused.status_code == 400
    assert "รายงานมีการแก้ไขหลังจากส่งขออนุมัติ" in refused.content.decode()
    approval.refresh_from_db()
    assert approval.state == State.WAITING
    assert not Job.objects.exists()


def test_two_tabs_approving_make_one_version(
    client, six, people, django_capture_on_commit_callbacks
):
    client.force_login(people["coordinator"])
    send(client, six)
    approval = ApprovalRequest.objects.get()
    client.force_login(people["executive"])
    with django_capture_on_commit_callbacks(execute=True):
        first = decide(client, approval, "approve")
        second = decide(client, approval, "approve")
    assert first.status_code == 302
    assert second.status_code == 400
    assert "ได้รับอนุมัติแล้วเมื่อ" in second.content.decode()
    assert PublishedReport.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 403), ("coordinator", 403), ("outsider", 404)],
)
def test_only_approvers_decide(client, six, people, who, status):
    client.force_login(people["coordinator"])
    send(client, six)
    approval = ApprovalRequest.objects.get()
    user = {
        "staff": lambda: member(six.organization, Membership.Role.STAFF, "somchai"),
        "coordinator": lambda: people["coordinator"],
        "outsider": lambda: member(OrganizationFactory(), Membership.Role.EXECUTIVE, "other"),
    }[who]()
    client.force_login(user)
    assert decide(client, approval, "approve").status_code == status
    approval.refresh_from_db()
    assert approval.state == State.WAITING


def test_coordinator_named_approver_approves_in_one_step(
    client, six, people, django_capture_on_commit_callbacks
):
    coordinator = people["coordinator"]
    name_approver(
        user=coordinator, organization=six.organization, member=coordinator, position="ปลัด อบจ."
    )
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        done = send(client, six, approve_now="1", position="ปลัด อบจ.")
    assert done.status_code == 302
    approval = ApprovalRequest.objects.get()
    assert approval.state == State.PUBLISHED
    assert approval.decided_by == coordinator


def test_approval_off_records_own_authority(
    client, six, people, django_capture_on_commit_callbacks
):
    coordinator = people["coordinator"]
    save_settings(
        user=coordinator, organization=six.organization, required=False, recorded_sign_off=True
    )
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:publish", args=args(six)), {"confirm": "1"})
    report = PublishedReport.objects.get()
    record = ApprovalRequest.objects.get(publication=report)
    assert record.authority == ApprovalRequest.Authority.OWN
    page = client.get(reverse("reports:page", args=args(six))).content.decode()
    assert "เผยแพร่โดยอำนาจของผู้ประสานงาน: สมหญิง ตรวจงาน" in page


def test_the_job_refuses_a_publication_without_approval(
    client, six, people, django_capture_on_commit_callbacks
):
    """Whoever starts a publication job past the pages (two tabs: one opened before the
    executive joined) finds it refused in Thai."""
    from jobs import services as job_services

    with django_capture_on_commit_callbacks(execute=True):
        job, _ = job_services.start(
            kind=Job.Kind.PUBLISH,
            organization=six.organization,
            round_=six,
            user=people["coordinator"],
        )
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "เผยแพร่รายงานได้เมื่อผู้บริหารอนุมัติแล้ว" in job.message
    assert not PublishedReport.objects.exists()
    assert Measure.objects.exists()


def test_agencies_that_sign_on_paper_keep_the_dotted_block(
    client, six, people, django_capture_on_commit_callbacks
):
    coordinator = people["coordinator"]
    save_settings(
        user=coordinator, organization=six.organization, required=True, recorded_sign_off=False
    )
    name_approver(user=coordinator, organization=six.organization, member=coordinator)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        send(client, six, approve_now="1")
    report = PublishedReport.objects.get()
    with report.pdf.open("rb") as stored:
        text = squash(pdf_text(stored.read()))
    assert squash("(ลงชื่อ)") in text
    assert "สมหญิง" not in text
    assert ApprovalRequest.objects.get().state == State.PUBLISHED


def test_coordinator_names_a_deputy_who_then_approves(client, six, people):
    org = six.organization
    deputy = member(org, Membership.Role.COORDINATOR, "deputy", first_name="รองปลัด")
    staff = member(org, Membership.Role.STAFF, "somchai")
    url = reverse("approvals:settings", args=[org.slug])
    client.force_login(people["coordinator"])
    refused = client.post(url, {"action": "name", "member": str(staff.pk), "position": "x"})
    assert refused.status_code == 400
    assert "สมาชิกที่เลือกไม่ได้เป็นผู้ประสานงานหรือผู้บริหารของหน่วยงาน" in refused.content.decode()
    named = client.post(
        url, {"action": "name", "member": str(deputy.pk), "position": "รองปลัด อบจ."}
    )
    assert named.status_code == 302
    assert "รองปลัด (รองปลัด อบจ.)" in client.get(url).content.decode()
    send(client, six)

    client.force_login(deputy)
    assert "รอท่านอนุมัติเผยแพร่ (1)" in client.get(reverse("home")).content.decode()
    detail = client.get(reverse("approvals:detail", args=[ApprovalRequest.objects.get().pk]))
    assert 'value="รองปลัด อบจ."' in detail.content.decode()  # their position, to print
