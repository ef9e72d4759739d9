"""The approval pages, by every person (permission_walk.approvals)."""

import pytest

from approvals.services import request_approval
from ita_portal.tests.permission_walk.approvals import approval_visits
from ita_portal.tests.permission_walk.walker import run
from measures.models import Round
from reports.pdf import drafts
from reports.services import save_document_settings

pytestmark = pytest.mark.django_db


def test_approvals_sent_read_and_decided_by_every_person(walker, world):
    org, coordinator = world.org, world.people["coordinator"]
    # The 6-month report changes since its version 1 (its digits), and waits for approval.
    save_document_settings(
        user=coordinator,
        organization=org,
        cover_thai_digits=org.cover_thai_digits,
        thai_digits=not org.thai_digits,
        show_evidence_links=org.show_evidence_links,
    )
    six = Round.objects.get(organization=org, kind=6)
    waiting = request_approval(
        round_=six, user=coordinator, content_sha256=drafts.current(six).sha256
    )
    failures = run(walker, approval_visits(world, waiting))
    assert failures == [], "\n".join(failures)
