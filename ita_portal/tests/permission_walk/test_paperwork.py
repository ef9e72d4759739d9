"""The paperwork pages, by every person (permission_walk.paperwork)."""

import pytest

from ita_portal.tests.permission_walk.paperwork import paperwork_visits
from ita_portal.tests.permission_walk.walker import run
from paperwork.services import generate_for_approval

pytestmark = pytest.mark.django_db


def test_paperwork_downloaded_and_edited_by_every_person(walker, world):
    report = world.report
    generate_for_approval(
        report=report,
        requested_by=world.people["coordinator"],
        requested_at=report.published_at,
        approved_by=world.people["executive"],
        approved_at=report.published_at,
    )
    failures = run(walker, paperwork_visits(world))
    assert failures == [], "\n".join(failures)
