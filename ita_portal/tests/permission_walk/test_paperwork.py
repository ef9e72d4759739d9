"""The paperwork pages, by every person (permission_walk.paperwork)."""

import pytest

from analysis.models import AnalysisDocument, PublishedAnalysis
from ita_portal.tests.permission_walk.paperwork import paperwork_visits
from ita_portal.tests.permission_walk.walker import run
from paperwork.services import generate_for_approval

pytestmark = pytest.mark.django_db


def test_paperwork_downloaded_and_edited_by_every_person(walker, world):
    coordinator = world.people["coordinator"]
    analysis = PublishedAnalysis.objects.create(
        document=AnalysisDocument.objects.create(
            organization=world.org, fiscal_year=world.next_year
        ),
        version=1,
        pdf="published/walk-analysis.pdf",
        sha256="0" * 64,
        size=9,
        published_by=coordinator,
    )
    for version in (world.report, analysis):
        generate_for_approval(
            report=version,
            requested_by=coordinator,
            requested_at=version.published_at,
            approved_by=world.people["executive"],
            approved_at=version.published_at,
        )
    failures = run(walker, paperwork_visits(world))
    assert failures == [], "\n".join(failures)
