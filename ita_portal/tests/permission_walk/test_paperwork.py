"""The paperwork pages, by every person (permission_walk.paperwork)."""

import pytest

from analysis.models import AnalysisDocument, PublishedAnalysis
from ita_portal.tests.permission_walk.paperwork import paperwork_visits
from ita_portal.tests.permission_walk.walker import run
from paperwork.models import PaperworkTemplate
from paperwork.services import Failed, generate_for_approval

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
    # A third version whose memo did not fill (a text saved before the placeholder
    # check); the text is fixed since, and the retry waits for the coordinator.
    broken = PaperworkTemplate.objects.create(
        organization=world.org, kind="memo", parts={"closing": "{ผู้ลงนาม}"}
    )
    second = PublishedAnalysis.objects.create(
        document=analysis.document,
        version=2,
        pdf="published/walk-analysis-2.pdf",
        sha256="1" * 64,
        size=9,
        published_by=coordinator,
    )
    with pytest.raises(Failed):
        generate_for_approval(
            report=second,
            requested_by=coordinator,
            requested_at=second.published_at,
            approved_by=world.people["executive"],
            approved_at=second.published_at,
        )
    broken.delete()
    failures = run(walker, paperwork_visits(world))
    assert failures == [], "\n".join(failures)
