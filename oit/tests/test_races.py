"""Two people saving one item's link at the same moment (PostgreSQL: real
transactions in two connections): the second is refused with what the first
saved, never written over it, both for the item's first link and for a change."""

import pytest

from catalogue.models import OitItem
from oit.models import AgencyOitLink
from oit.services import LinkConflict, set_link
from organizations.models import Membership
from testing.factories import FiscalYearFactory, OrganizationFactory, member
from testing.threads import HeldOpen, Worker, postgresql_only, wait_until_someone_waits_for_a_lock

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]


def save(user, agency, item, url, seen):
    return lambda: set_link(user=user, organization=agency, item=item, url=url, seen_version=seen)


@pytest.mark.parametrize("seen", [0, 1], ids=["first link", "a change"])
def test_the_second_of_two_saves_at_once_is_refused(seen):
    agency = OrganizationFactory()
    item = OitItem.objects.create(fiscal_year=FiscalYearFactory(year=2570), number="O7", order=7)
    first = member(agency, Membership.Role.COORDINATOR, "first")
    second = member(agency, Membership.Role.COORDINATOR, "second")
    if seen:
        set_link(
            user=first, organization=agency, item=item, url="https://old.go.th/", seen_version=0
        )
    held = HeldOpen(save(first, agency, item, "https://first.go.th/", seen))
    held.start()
    late = Worker(save(second, agency, item, "https://second.go.th/", seen))
    late.start()
    wait_until_someone_waits_for_a_lock()
    held.commit()
    with pytest.raises(LinkConflict) as refused:
        late.outcome()
    assert refused.value.current == "https://first.go.th/"
    assert "ข้อ O7: มีผู้แก้ไขลิงก์ของข้อนี้หลังจากที่คุณเปิดหน้านี้" in refused.value.message
    link = AgencyOitLink.objects.get(item=item)
    assert (link.url, link.version, link.updated_by) == ("https://first.go.th/", seen + 1, first)
