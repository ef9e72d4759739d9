"""Completeness where people look: the coordinator's home (the agency's newest
year) and the executive's dashboard, each a fixed number of queries more."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import OitItem
from oit.services import set_link
from organizations.access import SYSTEM
from organizations.models import Membership
from testing.factories import member
from testing.pages import element_text

pytestmark = pytest.mark.django_db


def items(fiscal_year, count):
    return [
        OitItem.objects.create(
            fiscal_year=fiscal_year,
            number=f"O{n}",
            order=n,
            title=f"ข้อ {n}",
            filled_by="analysis" if n == 1 else ("six_months" if n == 2 else ""),
        )
        for n in range(1, count + 1)
    ]


def test_home_and_dashboard_show_completeness_at_a_fixed_cost(client, six):
    org = six.organization
    made = items(six.fiscal_year, 4)
    set_link(user=SYSTEM, organization=org, item=made[3], url="https://a.go.th/", seen_version=0)
    coordinator = member(org, Membership.Role.COORDINATOR, "coord")
    executive = member(org, Membership.Role.EXECUTIVE, "boss")
    dashboard = reverse("oversight:dashboard", args=[org.slug, 2566, 6])
    costs = []
    for more in (0, 20):
        for n in range(5, 5 + more):
            OitItem.objects.create(fiscal_year=six.fiscal_year, number=f"O{n}", order=n)
        total = 4 + more
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as home_queries:
            home = client.get(reverse("home"))
        assert element_text(home, "oit-completeness") == f"ครบ 1 จาก {total} ข้อ"
        assert element_text(home, "oit-link").startswith("ลิงก์ข้อ OIT ปีงบประมาณ 2566")
        client.force_login(executive)
        with CaptureQueriesContext(connection) as dashboard_queries:
            page = client.get(dashboard)
        assert element_text(page, "oit-completeness") == f"ครบ 1 จาก {total} ข้อ"
        costs.append((len(home_queries), len(dashboard_queries)))
    assert costs[0] == costs[1]
