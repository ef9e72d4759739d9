import pytest
from django.urls import reverse

from demo.generate import generate_measures
from measures.models import Round
from organizations.models import Membership
from progress.models import Progress, ReviewState
from testing.factories import member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "queries"),
    [
        # session, user, memberships, rounds, the user's role, staff's visible
        # measures (with indicator, tool, organization), their progress in the open
        # round, and the user's overseer scopes (the menu's roll-up link, every page)
        (Membership.Role.STAFF, 8),
        # session, user, memberships, rounds, the user's role, measures per year,
        # done per round, versions waiting for their approval (a named approver),
        # what the agency sent for approval, review queue, the OIT items of the newest
        # year (none in the seed: no more of oit.selectors.completeness), the agency's
        # broken evidence and OIT links (none: no query for their statuses), overseer
        # scopes
        (Membership.Role.COORDINATOR, 14),
    ],
)
def test_home_costs_the_same_for_8_and_80_measures(
    client, seed, django_assert_num_queries, role, queries
):
    org = seed.organization
    client.force_login(member(org, role, f"{role}-home", ["สำนักปลัดองค์การบริหารส่วนจังหวัด"]))
    twelve = Round.objects.get(organization=org, kind=Round.Kind.TWELVE_MONTHS)
    with django_assert_num_queries(queries):
        first = client.get(reverse("home")).content.decode()
    if role == Membership.Role.COORDINATOR:
        # The published 6-month round: all done; the 12-month round: nothing yet.
        assert "8 จาก 8 มาตรการ (100%)" in first and "0 จาก 8 มาตรการ (0%)" in first

    generate_measures(twelve, 72, like=twelve)
    Progress.objects.filter(round=twelve).update(review_state=ReviewState.SUBMITTED)
    with django_assert_num_queries(queries):
        page = client.get(reverse("home")).content.decode()
    if role == Membership.Role.COORDINATOR:
        assert page.count('href="/measures/') >= 72  # the review queue lists them all
