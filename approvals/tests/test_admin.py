"""The approvals in the admin, read only: requests, settings and named approvers in
Thai with their times in BE; a coordinator sees their own agency's rows only, the
superuser every agency's; nobody adds, changes or removes one here; a list costs the
same number of queries whatever its rows."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from analysis.models import AnalysisDocument
from approvals import services
from approvals.models import ApprovalRequest, ApprovalSettings, Approver
from catalogue.models import FiscalYear
from organizations.models import Membership
from testing.admin_pages import admin_url, hidden_from, list_page, root_client, writes_refused
from testing.factories import OrganizationFactory, RoundFactory, member
from testing.pages import visible_text

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 1, 15, 9, 30, tzinfo=ZoneInfo("Asia/Bangkok"))
WHEN_BE = "15 ม.ค. 2569 09:30 น."
MODELS = (ApprovalRequest, ApprovalSettings, Approver)


def request_of(round_, user, **fields) -> ApprovalRequest:
    return ApprovalRequest.objects.create(
        organization=round_.organization,
        round=round_,
        content_sha256="0" * 64,
        requested_by=user,
        requested_name=f"ผู้ขอของ{round_.organization.name}",
        requested_at=WHEN,
        **fields,
    )


def agency_rows(organization, coordinator, executive) -> ApprovalRequest:
    """A request of the agency's six-month round of 2566, its settings and an approver,
    made as the portal's pages make them where a service does."""
    services.save_settings(
        user=coordinator, organization=organization, required=True, recorded_sign_off=False
    )
    services.name_approver(
        user=coordinator, organization=organization, member=executive, position="นายก"
    )
    round_ = RoundFactory(organization=organization, fiscal_year=FiscalYear.objects.get(year=2566))
    return request_of(round_, coordinator)


@pytest.fixture
def rows(org, coordinator):
    """Rows of the seed agency (its request returned by its executive) and of another."""
    boss = member(org, Membership.Role.EXECUTIVE, "boss", first_name="สมศักดิ์")
    own = agency_rows(org, coordinator, boss)
    ApprovalRequest.objects.filter(pk=own.pk).update(
        state=ApprovalRequest.State.RETURNED,
        reason="แก้ไขชื่อผู้รับผิดชอบ",
        decided_by=boss,
        decided_name="สมศักดิ์ ผู้บริหาร",
        decided_at=WHEN,
    )
    other = OrganizationFactory(name="เทศบาลตำบลอื่น")
    other_coordinator = member(other, Membership.Role.COORDINATOR, "coord-b")
    other_boss = member(other, Membership.Role.EXECUTIVE, "boss-b")
    theirs = agency_rows(other, other_coordinator, other_boss)
    return own, theirs


def test_the_superuser_reads_every_agencys_requests_in_thai(rows):
    own, theirs = rows
    client = root_client()
    text, _ = list_page(client, ApprovalRequest)
    for heading in (
        "เอกสาร",
        "หน่วยงาน",
        "สถานะ",
        "อำนาจในการเผยแพร่",
        "ชื่อผู้ขออนุมัติ",
        "ขออนุมัติเมื่อ",
        "ชื่อผู้พิจารณา",
        "พิจารณาเมื่อ",
    ):
        assert heading in text, heading
    assert (
        f"รายงานรอบ 6 เดือน ปีงบประมาณ พ.ศ. 2566 {own.organization.name} ส่งกลับให้แก้ไข "
        f"อนุมัติโดยผู้มีอำนาจ ผู้ขอของ{own.organization.name} {WHEN_BE} "
        f"สมศักดิ์ ผู้บริหาร {WHEN_BE}"
    ) in text
    assert "เทศบาลตำบลอื่น รออนุมัติ" in text
    assert "2026" not in text

    page = visible_text(client.get(admin_url(ApprovalRequest, "change", own.pk)))
    assert f"ขออนุมัติเมื่อ: {WHEN_BE}" in page
    assert "เหตุผลที่ส่งกลับ: แก้ไขชื่อผู้รับผิดชอบ" in page
    assert "เปิดหน้าคำขออนุมัติ" in page
    assert "2026" not in page


def test_settings_and_approvers_in_thai(rows):
    own, _ = rows
    client = root_client()
    text, _ = list_page(client, ApprovalSettings)
    assert "ต้องได้รับอนุมัติจากผู้บริหารก่อนเผยแพร่" in text
    assert f"{own.organization.name}" in text and "เทศบาลตำบลอื่น" in text
    assert "เปิดหน้าตั้งค่าการอนุมัติ" in text
    text, _ = list_page(client, Approver)
    for heading in ("ผู้อนุมัติ", "ชื่อ-นามสกุล", "ตำแหน่ง", "หน่วยงาน", "ระบุโดย", "ระบุเมื่อ"):
        assert heading in text, heading
    assert f"boss สมศักดิ์ นายก {own.organization.name} coord" in text


def test_a_coordinator_reads_their_own_agencys_rows_only(rows, coordinator_client):
    own, theirs = rows
    for model in MODELS:
        text, _ = list_page(coordinator_client, model)
        assert own.organization.name in text, model
        assert "เทศบาลตำบลอื่น" not in text, model
    app = visible_text(coordinator_client.get(reverse("admin:app_list", args=["approvals"])))
    assert "การตั้งค่าการอนุมัติ ดู คำขออนุมัติเผยแพร่ ดู ผู้อนุมัติที่ระบุ ดู" in app
    mine = visible_text(coordinator_client.get(admin_url(ApprovalRequest, "change", own.pk)))
    assert "แก้ไขชื่อผู้รับผิดชอบ" in mine
    hidden_from(coordinator_client, theirs)
    hidden_from(coordinator_client, ApprovalSettings.objects.get(organization=theirs.organization))
    hidden_from(coordinator_client, Approver.objects.get(organization=theirs.organization))


def test_other_people_do_not_open_the_lists(rows, client, org):
    staff = member(org, Membership.Role.STAFF, "somsri")
    client.force_login(staff)
    assert client.get(admin_url(ApprovalRequest, "changelist")).status_code == 302  # to login


def test_nobody_adds_changes_or_removes_them_here(rows, coordinator_client):
    own, _ = rows
    superuser = root_client()
    for client in (superuser, coordinator_client):
        writes_refused(client, own)
        writes_refused(client, ApprovalSettings.objects.get(organization=own.organization))
        writes_refused(client, Approver.objects.get(organization=own.organization))


def test_the_lists_cost_the_same_whatever_their_rows(rows):
    client = root_client()
    before = {model: list_page(client, model)[1] for model in MODELS}
    for n in range(6):
        organization = OrganizationFactory(name=f"เทศบาลตำบลที่ {n}")
        coordinator = member(organization, Membership.Role.COORDINATOR, f"coord-{n}")
        boss = member(organization, Membership.Role.EXECUTIVE, f"boss-{n}")
        request = agency_rows(organization, coordinator, boss)
        # An analysis's request names its document's year rather than a round.
        document = AnalysisDocument.objects.create(
            organization=organization, fiscal_year=request.round.fiscal_year
        )
        ApprovalRequest.objects.create(
            organization=organization,
            target=ApprovalRequest.Target.ANALYSIS,
            document=document,
            content_sha256="1" * 64,
            requested_by=coordinator,
            requested_name="ผู้ขอ",
            requested_at=WHEN,
            authority=ApprovalRequest.Authority.OWN,
            state=ApprovalRequest.State.PUBLISHED,
        )
    for model in MODELS:
        text, queries = list_page(client, model)
        assert "เทศบาลตำบลที่ 5" in text
        # The session and its user, the page's count, its rows (with their agencies,
        # rounds, years and people joined), the filters' choices.
        assert queries == before[model] <= 8, model
    text, _ = list_page(client, ApprovalRequest)
    assert "การวิเคราะห์ผลการประเมิน ปีงบประมาณ 2566" in text


def test_a_coordinators_list_asks_the_rulebook_once(rows, coordinator_client):
    """Every model of the admin's side bar asks whether the person coordinates an
    agency: answered once a request (it was a query each, 26 in all)."""
    _, queries = list_page(coordinator_client, ApprovalRequest)
    # The session and its user, whether they coordinate, the agency filter's choices
    # (their count and rows), the page's count and rows, their model permissions (own
    # and groups'), their overseer scopes.
    assert queries <= 10
