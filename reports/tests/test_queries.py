import pytest
from django.urls import reverse

from demo.generate import generate_measures
from measures.models import Measure, Round, Step

pytestmark = pytest.mark.django_db

# session, user, the round (with organization and fiscal year), the user's role,
# the assessed year the introduction names (results), measures (with indicator and
# tool), their divisions, steps, sub-items, this round's progress, its evidence
# links, the round's publications, a publication under way (jobs), and the user's
# overseer scopes (the menu's roll-up link).
REPORT_PAGE_QUERIES = 14


def test_report_page_costs_the_same_for_8_and_80_measures(
    coordinator_client, seed, django_assert_num_queries
):
    six = Round.objects.get(organization=seed.organization, kind=Round.Kind.SIX_MONTHS)
    url = reverse("reports:page", args=[seed.organization.slug, 2566, 6])
    with django_assert_num_queries(REPORT_PAGE_QUERIES):
        response = coordinator_client.get(url)
    assert response.content.decode().count('<tr id="measure-') == 8

    generate_measures(six, 72)
    assert Measure.objects.count() == 80
    assert Step.objects.count() == 46 + 72 * 6
    with django_assert_num_queries(REPORT_PAGE_QUERIES):
        response = coordinator_client.get(url)
    assert response.content.decode().count('<tr id="measure-') == 80
