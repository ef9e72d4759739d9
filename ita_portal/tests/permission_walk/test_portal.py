"""The portal's pages and writes, by every person (permission_walk.portal)."""

import pytest

from ita_portal.tests.permission_walk.oit import oit_visits
from ita_portal.tests.permission_walk.portal import portal_visits
from ita_portal.tests.permission_walk.results import analysis_visits, result_visits
from ita_portal.tests.permission_walk.walker import run

pytestmark = pytest.mark.django_db


def test_portal_pages_and_writes_by_every_person(walker, world):
    failures = run(walker, portal_visits(world))
    assert failures == [], "\n".join(failures)


def test_results_entered_and_imported_by_every_person(walker, world):
    failures = run(walker, result_visits(world))
    assert failures == [], "\n".join(failures)


def test_the_analysis_read_written_and_published_by_every_person(walker, world):
    from analysis.services import document_for, publish_analysis

    coordinator = world.people["coordinator"]
    document = document_for(
        organization=world.org, fiscal_year=world.measure.fiscal_year, user=coordinator
    )
    publish_analysis(document=document, user=coordinator)
    failures = run(walker, analysis_visits(world))
    assert failures == [], "\n".join(failures)


def test_oit_pages_and_links_by_every_person(walker, world):
    failures = run(walker, oit_visits(world))
    assert failures == [], "\n".join(failures)
