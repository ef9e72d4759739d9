"""The agencies' own OIT item links are checked like evidence links, listed on the
coordinator's home and flagged on the agency's OIT page."""

import pytest
from django.urls import reverse

from catalogue.models import OitItem
from linkcheck import services
from linkcheck.models import LinkStatus
from oit.services import set_link
from organizations.access import SYSTEM
from organizations.models import Membership
from testing.factories import FiscalYearFactory, OrganizationFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return OrganizationFactory(slug="tambon-links", name="องค์การบริหารส่วนตำบลลิงก์")


def test_oit_links_are_checked_listed_and_flagged(site, loopback, client, agency):
    item = OitItem.objects.create(
        fiscal_year=FiscalYearFactory(year=2570), number="O3", order=3, title="อำนาจหน้าที่"
    )
    other = OitItem.objects.create(
        fiscal_year=FiscalYearFactory(year=2570), number="O4", order=4, title="แผนพัฒนา"
    )
    set_link(user=SYSTEM, organization=agency, item=item, url=site.url("/missing"), seen_version=0)
    set_link(user=SYSTEM, organization=agency, item=other, url=site.url("/ok"), seen_version=0)
    assert services.run_checks().broken == 1
    assert LinkStatus.objects.get(url=site.url("/ok")).last_ok_at

    client.force_login(member(agency, Membership.Role.COORDINATOR, "coord-links"))
    home = client.get(reverse("home")).content.decode()
    listed = home[home.index('id="broken-links"') :]
    edit = reverse("oit:edit", args=[agency.slug, 2570])
    assert f'<a href="{edit}">ข้อ O3 ปีงบประมาณ พ.ศ. 2570</a>' in listed
    assert "ลิงก์ข้อ OIT" in listed and "อำนาจหน้าที่" in listed and "แผนพัฒนา" not in listed

    page = client.get(edit).content.decode()
    [flag] = [line for line in page.splitlines() if "ลิงก์ใช้งานไม่ได้" in line]
    assert "ไม่พบหน้านี้บนเว็บไซต์ (HTTP 404) · ยังเปิดไม่ได้ตั้งแต่เริ่มตรวจ" in flag
