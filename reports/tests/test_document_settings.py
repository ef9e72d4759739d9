"""The coordinator's document settings page, and the report page's notice of results
not yet approved, through the real views."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from measures.models import Round
from organizations.models import Membership, Organization
from progress.models import Progress, ReviewState
from reports.services import save_document_settings
from testing.factories import OrganizationFactory, member
from testing.pages import visible_text

pytestmark = pytest.mark.django_db

ALL_THAI = {"cover_thai_digits": "thai", "thai_digits": "thai", "show_evidence_links": "on"}


def checked(page: str, name: str) -> list[str]:
    """The values of the inputs named `name` that the page shows checked."""
    inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    values = [re.search(r'value="([^"]*)"', i) for i in inputs if " checked" in i]
    return [value[1] if value else "on" for value in values]  # a checkbox has no value


def settings_url(org) -> str:
    return reverse("reports:document_settings", args=[org.slug])


def report_url(org, kind=6) -> str:
    return reverse("reports:page", args=[org.slug, 2566, kind])


def test_the_coordinator_sets_the_digits_and_the_report_follows(client, org):
    client.force_login(member(org, Membership.Role.COORDINATOR, "coord"))
    page = client.get(settings_url(org)).content.decode()
    assert "ตัวเลขบนหน้าปก" in page and "แสดงในรายงานตามที่พิมพ์เสมอ" in page
    # The seed's settings are shown as they are: Thai cover, Arabic body, links on.
    assert checked(page, "cover_thai_digits") == ["thai"]
    assert checked(page, "thai_digits") == ["arabic"]
    assert checked(page, "show_evidence_links") == ["on"]
    response = client.post(settings_url(org), ALL_THAI, follow=True)
    assert "บันทึกการตั้งค่าเอกสารแล้ว" in response.content.decode()
    org.refresh_from_db()
    assert (org.cover_thai_digits, org.thai_digits, org.show_evidence_links) == (True, True, True)
    report = client.get(report_url(org)).content.decode()
    assert "๑. จัดทำประมวลจริยธรรมสำหรับเจ้าหน้าที่" in visible_text(report)
    assert "ในปี พ.ศ. 2565" in report  # typed text stays as typed

    client.post(settings_url(org), {"cover_thai_digits": "arabic", "thai_digits": "arabic"})
    org.refresh_from_db()
    assert (org.cover_thai_digits, org.thai_digits, org.show_evidence_links) == (
        False,
        False,
        False,
    )
    report = client.get(report_url(org)).content.decode()
    assert "ประจำปีงบประมาณ พ.ศ. 2566 รอบ 6 เดือน (เดือนตุลาคม 2565 - มีนาคม 2566)" in report


def test_a_choice_left_out_is_named_in_thai_and_nothing_changes(client, org):
    client.force_login(member(org, Membership.Role.COORDINATOR, "coord"))
    response = client.post(settings_url(org), {"thai_digits": "thai"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "ยังไม่ได้บันทึก" in page and "กรุณาเลือกเลขไทยหรือเลขอารบิก" in page
    assert checked(page, "thai_digits") == ["thai"]  # what was chosen is kept
    org.refresh_from_db()
    assert (org.cover_thai_digits, org.thai_digits) == (True, False)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Membership.Role.EXECUTIVE, 403),
        (Membership.Role.STAFF, 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_only_the_coordinator_changes_the_settings(client, org, role, status):
    if role == "outsider":
        client.force_login(member(OrganizationFactory(), Membership.Role.COORDINATOR, "b"))
    elif role != "anonymous":
        client.force_login(member(org, role, "someone"))
    assert client.get(settings_url(org)).status_code == status
    assert client.post(settings_url(org), ALL_THAI).status_code == status
    org = Organization.objects.get(pk=org.pk)
    assert (org.cover_thai_digits, org.thai_digits) == (True, False)


def test_the_service_asks_the_rulebook(org):
    with pytest.raises(PermissionDenied):
        save_document_settings(
            user=member(org, Membership.Role.EXECUTIVE, "exec"),
            organization=org,
            cover_thai_digits=False,
            thai_digits=True,
            show_evidence_links=False,
        )
    assert Organization.objects.get(pk=org.pk).thai_digits is False


def test_the_report_page_lists_results_not_yet_approved(client, org):
    six = Round.objects.get(organization=org, kind=6)
    Progress.objects.filter(round=six, measure__order=2).update(review_state=ReviewState.SUBMITTED)
    Progress.objects.filter(round=six, measure__order=5).update(review_state=ReviewState.DRAFT)
    Progress.objects.filter(round=six, measure__order=7).update(review_state=ReviewState.RETURNED)
    client.force_login(member(org, Membership.Role.COORDINATOR, "coord"))
    page = client.get(report_url(org)).content.decode()
    notice = page[
        page.index('id="unapproved"') : page.index("</div>", page.index('id="unapproved"'))
    ]
    assert "ผลการดำเนินการ 3 จาก 8 มาตรการยังไม่ได้อนุมัติ" in notice
    assert "ตรวจสอบก่อนเผยแพร่" in notice
    for label, order in [
        ("รอผู้ประสานงานตรวจ", 2),
        ("ฉบับร่าง เจ้าหน้าที่ยังไม่ได้ส่ง", 5),
        ("ส่งกลับให้แก้ไข", 7),
    ]:
        line = notice[notice.index(label) :].split("</li>")[0]
        assert f">{order}</a>" in line, label
    assert settings_url(org) in page

    # The executive reads the same notice, without the publishing advice or the settings.
    client.force_login(member(org, Membership.Role.EXECUTIVE, "exec"))
    page = client.get(report_url(org)).content.decode()
    assert "ผลการดำเนินการ 3 จาก 8 มาตรการยังไม่ได้อนุมัติ" in page
    assert "ตรวจสอบก่อนเผยแพร่" not in page and settings_url(org) not in page
