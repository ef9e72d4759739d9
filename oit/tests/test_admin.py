"""The agencies' OIT links in the admin, read only with their history: Thai columns
and BE dates; a coordinator sees their own agency's links only, the superuser every
agency's; nobody adds, changes or removes one here (the OIT page does, through
oit.services.set_link); the list costs the same number of queries whatever its rows."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from catalogue.models import FiscalYear, OitItem
from oit.models import AgencyOitLink
from oit.services import set_link
from organizations.models import Membership
from testing.admin_pages import admin_url, hidden_from, list_page, root_client, writes_refused
from testing.factories import OrganizationFactory, member
from testing.pages import visible_text

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 1, 15, 9, 30, tzinfo=ZoneInfo("Asia/Bangkok"))
WHEN_BE = "15 ม.ค. 2569 09:30 น."


@pytest.fixture
def item(seed):
    return OitItem.objects.create(
        fiscal_year=FiscalYear.objects.get(year=2566),
        number="O90",
        order=90,
        title="ช่องทางแจ้งเรื่องร้องเรียน",
    )


def link_of(organization, item, url: str) -> AgencyOitLink:
    coordinator = member(organization, Membership.Role.COORDINATOR, f"c-{organization.slug}")
    link = set_link(user=coordinator, organization=organization, item=item, url=url, seen_version=0)
    AgencyOitLink.objects.filter(pk=link.pk).update(updated_at=WHEN)
    return link


@pytest.fixture
def links(org, item, coordinator):
    own = set_link(
        user=coordinator,
        organization=org,
        item=item,
        url="https://www.ubonpao.go.th/complaints",
        seen_version=0,
    )
    AgencyOitLink.objects.filter(pk=own.pk).update(updated_at=WHEN)
    theirs = link_of(OrganizationFactory(name="เทศบาลตำบลอื่น"), item, "https://other.go.th/c")
    return own, theirs


def test_the_superuser_reads_every_agencys_links_in_thai(links, org):
    own, _ = links
    client = root_client()
    text, _ = list_page(client, AgencyOitLink)
    for heading in ("ข้อ OIT", "หน่วยงาน", "ลิงก์", "ฉบับที่", "แก้ไขโดย", "แก้ไขล่าสุด"):
        assert heading in text, heading
    assert (
        f"O90 ช่องทางแจ้งเรื่องร้องเรียน {org.name} https://www.ubonpao.go.th/complaints 1 "
        f"coord {WHEN_BE}"
    ) in text
    assert "เทศบาลตำบลอื่น https://other.go.th/c" in text
    assert "2026" not in text
    page = visible_text(client.get(admin_url(AgencyOitLink, "change", own.pk)))
    assert f"แก้ไขล่าสุด: {WHEN_BE}" in page
    assert "เปิดหน้าลิงก์ข้อ OIT ของหน่วยงาน" in page


def test_a_coordinator_reads_their_own_agencys_links_and_history_only(
    links, org, coordinator_client
):
    own, theirs = links
    text, _ = list_page(coordinator_client, AgencyOitLink)
    assert "https://www.ubonpao.go.th/complaints" in text
    assert "other.go.th" not in text
    history = visible_text(coordinator_client.get(admin_url(AgencyOitLink, "history", own.pk)))
    assert "บันทึกลิงก์" in history  # the service's change reason
    hidden_from(coordinator_client, theirs)


def test_nobody_adds_changes_or_removes_a_link_here(links, coordinator_client):
    own, _ = links
    for client in (root_client(), coordinator_client):
        writes_refused(client, own)


def test_the_list_costs_the_same_whatever_its_rows(links, item):
    client = root_client()
    _, before = list_page(client, AgencyOitLink)
    for n in range(8):
        organization = OrganizationFactory(name=f"เทศบาลตำบลที่ {n}")
        link_of(organization, item, f"https://t{n}.go.th/complaints")
    text, after = list_page(client, AgencyOitLink)
    assert "https://t7.go.th/complaints" in text
    # The session and its user, the page's rows (with their items, agencies and
    # editors joined), the count, the year filter's choices.
    assert after == before <= 7
