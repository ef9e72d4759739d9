"""No dead ends (issue 21): overseers reach the roll-up from the menu on every page,
an agency's public page leads back to the directory, and the trail of pages is
announced in Thai to screen readers."""

import pytest
from django.urls import reverse

from organizations.models import OverseerScope
from reports.services import publish_round
from testing.factories import UserFactory
from testing.pages import visible_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def menu_has_rollup(html: str) -> bool:
    return f'href="{reverse("oversight:oversight_index")}">ภาพรวมหลายหน่วยงาน</a>' in html


def test_overseers_find_the_rollup_in_the_menu_and_staff_do_not(client, staff, measure):
    overseer = UserFactory(username="nacc-ubon")
    OverseerScope.objects.create(user=overseer, whole_installation=True)
    client.force_login(overseer)
    detail = reverse("progress:detail", args=[measure.pk])
    assert menu_has_rollup(client.get(detail).content.decode())
    assert menu_has_rollup(client.get(reverse("home")).content.decode())
    client.force_login(staff)
    assert not menu_has_rollup(client.get(reverse("home")).content.decode())


def test_an_agency_page_leads_back_to_the_directory(client, six, coordinator):
    index = reverse("reports:public_index", args=[six.organization.slug])
    for published in (False, True):
        if published:
            publish_round(round_=six, user=coordinator)
        html = client.get(index).content.decode()
        assert f'<a href="{reverse("home")}" id="back-to-directory">' in html
        assert "รายชื่อหน่วยงานที่เผยแพร่รายงาน" in visible_text(html)


def test_the_trail_of_pages_is_named_in_thai(client, coordinator, measure):
    client.force_login(coordinator)
    html = client.get(reverse("progress:detail", args=[measure.pk])).content.decode()
    assert 'aria-label="ตำแหน่งของหน้านี้"' in html and 'aria-label="breadcrumb"' not in html
