"""Approval before publishing the analysis (issue 20 with issue 19's document): the
coordinator sends it, the executive reads and approves it, the publishing job
publishes what was approved with the names on the public listing and paperwork;
refused when the analysis's text changed; approval off: the coordinator's own
authority."""

from contextlib import nullcontext

import pytest
from django.urls import reverse

from analysis.models import PublishedAnalysis
from analysis.services import save_note
from analysis.tests.conftest import EIT6, scored  # noqa: F401 (fixture)
from approvals.models import ApprovalRequest
from approvals.services import save_settings
from catalogue.models import FiscalYear
from jobs.models import Job
from organizations.models import Membership
from paperwork.models import Paperwork
from results.tests.conftest import fy2565  # noqa: F401 (fixture)
from testing.factories import member
from testing.pages import visible_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
State = ApprovalRequest.State
SLUG, YEAR = "ubon-pao", 2566
REQUEST = reverse("approvals:analysis_request", args=[SLUG, YEAR])
PUBLISH = reverse("analysis:publish", args=[SLUG, YEAR])


@pytest.fixture
def executive(org):
    return member(org, Membership.Role.EXECUTIVE, "boss", first_name="สมชาย", last_name="ใจดี")


@pytest.fixture
def coordinator(org):
    return member(
        org, Membership.Role.COORDINATOR, "coord", first_name="สมหญิง", last_name="ตรวจงาน"
    )


def _write(coordinator, org, found: str, version: int = 0):
    save_note(
        organization=org,
        fiscal_year=FiscalYear.objects.get(year=YEAR),
        user=coordinator,
        key=EIT6,
        found=found,
        proposed="จัดอบรมเจ้าหน้าที่",
        seen_version=version,
    )


@pytest.fixture
def written(org, coordinator, scored):  # noqa: F811
    """The analysis of 2566 with the coordinator's text on EIT 6."""
    _write(coordinator, org, "ประชาชนไม่ทราบช่องทางร้องเรียน")
    return org


def _send(client, max_queries=nullcontext, **data):
    with max_queries(20):  # constant: the analysis's rows are read in a fixed number
        page = client.get(REQUEST)
    assert page.status_code == 200
    assert "ขออนุมัติเผยแพร่การวิเคราะห์ผลการประเมิน" in visible_text(page)
    sha = page.context["form"].initial["content_sha256"]
    return client.post(REQUEST, {"content_sha256": sha, "note": "", "position": "", **data})


def _decide(client, approval, action, **data):
    return client.post(
        reverse("approvals:detail", args=[approval.pk]),
        {"action": action, "content_sha256": approval.content_sha256, **data},
    )


def test_round_trip_publishes_with_the_names_and_paperwork(
    client,
    written,
    coordinator,
    executive,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    client.force_login(coordinator)
    assert client.get(PUBLISH)["Location"] == REQUEST
    assert client.post(PUBLISH, {"confirm": "1"})["Location"] == REQUEST
    assert not Job.objects.exists()

    sent = _send(
        client,
        django_assert_max_num_queries,
        note="ขออนุมัติเผยแพร่การวิเคราะห์ปี 2566",
        position="นักวิเคราะห์นโยบายและแผน",
    )
    assert sent.status_code == 302
    approval = ApprovalRequest.objects.get()
    assert (approval.target, approval.state) == (ApprovalRequest.Target.ANALYSIS, State.WAITING)
    again = _send(client, django_assert_max_num_queries)  # one open request per document
    assert again.status_code == 400
    assert "การวิเคราะห์นี้ส่งขออนุมัติไว้แล้ว" in visible_text(again, status=400)

    client.force_login(executive)
    home = visible_text(client.get(reverse("home")))
    assert "รอท่านอนุมัติเผยแพร่ (1)" in home
    assert "การวิเคราะห์ผลการประเมิน ปีงบประมาณ 2566" in home
    detail_url = reverse("approvals:detail", args=[approval.pk])
    with django_assert_max_num_queries(8):  # the request, the people, the session
        detail = client.get(detail_url)
    assert "ขออนุมัติเผยแพร่การวิเคราะห์ปี 2566" in visible_text(detail)
    assert reverse("analysis:pdf", args=[SLUG, YEAR]) in detail.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        approved = _decide(client, approval, "approve", position="นายกองค์การบริหารส่วนจังหวัด")
    assert approved.status_code == 302
    job = Job.objects.get()
    assert job.params == {"document": approval.document_id, "approval": approval.pk}
    assert job.state == Job.State.DONE, job.message
    publication = PublishedAnalysis.objects.get()
    approval.refresh_from_db()
    assert (approval.state, approval.analysis_publication) == (State.PUBLISHED, publication)
    assert publication.content_sha256 == approval.content_sha256
    assert publication.published_by == coordinator

    paperwork = Paperwork.objects.get(analysis=publication)
    assert (paperwork.requester_name, paperwork.approver_name) == ("สมหญิง ตรวจงาน", "สมชาย ใจดี")
    assert paperwork.approver_position == "นายกองค์การบริหารส่วนจังหวัด"

    client.logout()
    listing = visible_text(client.get(reverse("reports:public_index", args=[SLUG])))
    assert "ขออนุมัติโดย สมหญิง ตรวจงาน (นักวิเคราะห์นโยบายและแผน)" in listing
    assert "อนุมัติโดย สมชาย ใจดี (นายกองค์การบริหารส่วนจังหวัด)" in listing
    assert f"SHA-256 ของเนื้อหาที่อนุมัติ {approval.content_sha256}" in listing


def test_text_changed_after_the_request_is_refused(
    client, written, coordinator, executive, django_assert_max_num_queries
):
    client.force_login(coordinator)
    _send(client, django_assert_max_num_queries)
    approval = ApprovalRequest.objects.get()
    _write(coordinator, written, "ข้อความที่แก้ไขหลังส่งขออนุมัติ", version=1)

    client.force_login(executive)
    refused = _decide(client, approval, "approve")
    assert refused.status_code == 400
    assert "การวิเคราะห์มีการแก้ไขหลังจากส่งขออนุมัติ" in visible_text(refused, status=400)
    approval.refresh_from_db()
    assert approval.state == State.WAITING
    assert not Job.objects.exists()


def test_text_changed_after_approval_is_not_published(
    client, written, coordinator, executive, django_capture_on_commit_callbacks
):
    """Approved, then edited before the job ran: the job refuses, in Thai, and the
    coordinator may send the new text."""
    client.force_login(coordinator)
    _send(client)
    approval = ApprovalRequest.objects.get()
    client.force_login(executive)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert _decide(client, approval, "approve").status_code == 302
    _write(coordinator, written, "แก้ไขหลังอนุมัติ", version=1)
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job.state == Job.State.FAILED
    assert "การวิเคราะห์มีการแก้ไขหลังจากผู้อนุมัติอนุมัติ" in job.message
    assert not PublishedAnalysis.objects.exists()


def test_approval_off_publishes_on_the_coordinators_authority(
    client, written, coordinator, executive, django_capture_on_commit_callbacks
):
    save_settings(user=coordinator, organization=written, required=False, recorded_sign_off=True)
    client.force_login(coordinator)
    assert client.get(REQUEST)["Location"] == PUBLISH
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PUBLISH, {"confirm": "1"})
    publication = PublishedAnalysis.objects.get()
    record = ApprovalRequest.objects.get(analysis_publication=publication)
    assert record.authority == ApprovalRequest.Authority.OWN
    page = visible_text(client.get(reverse("analysis:page", args=[SLUG, YEAR])))
    assert "เผยแพร่โดยอำนาจของผู้ประสานงาน: สมหญิง ตรวจงาน" in page
