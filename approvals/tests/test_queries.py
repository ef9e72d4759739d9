"""The pages that show approvals cost the same whatever their number: the public
listing's records (one query for every version), the approver's home page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals.models import ApprovalRequest
from measures.models import Round
from organizations.models import Membership
from reports.models import PublishedReport
from testing.factories import member

pytestmark = pytest.mark.django_db


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as seen:
        page = client.get(url)
    assert page.status_code == 200
    return len(seen), page.content.decode()


def published_with_record(round_, user, version: int) -> None:
    report = PublishedReport.objects.create(
        round=round_,
        version=version,
        pdf=f"published/stand-in-{round_.pk}-{version}.pdf",
        sha256="0" * 64,
        content_sha256=f"{version:064d}",
        size=9,
        published_by=user,
    )
    ApprovalRequest.objects.create(
        organization=round_.organization,
        round=round_,
        state=ApprovalRequest.State.PUBLISHED,
        content_sha256=report.content_sha256,
        requested_by=user,
        requested_name=f"ผู้ขอ {round_.kind}-{version}",
        requested_at=timezone.now(),
        decided_by=user,
        decided_name=f"ผู้อนุมัติ {round_.kind}-{version}",
        decided_at=timezone.now(),
        publication=report,
    )


def test_public_listing_reads_every_record_at_once(client, org):
    boss = member(org, Membership.Role.EXECUTIVE, "boss")
    six, twelve = (Round.objects.get(organization=org, kind=k) for k in (6, 12))
    url = reverse("reports:public_index", args=[org.slug])
    published_with_record(six, boss, 1)
    one, page = queries(client, url)
    assert "อนุมัติโดย ผู้อนุมัติ 6-1" in page
    for round_, version in ((six, 2), (six, 3), (twelve, 1)):
        published_with_record(round_, boss, version)
    four, page = queries(client, url)
    assert "อนุมัติโดย ผู้อนุมัติ 12-1" in page and "อนุมัติโดย ผู้อนุมัติ 6-3" in page
    assert four == one


def test_the_approvers_home_lists_what_waits_in_one_query(client, org, coordinator):
    boss = member(org, Membership.Role.EXECUTIVE, "boss")
    client.force_login(boss)
    six, twelve = (Round.objects.get(organization=org, kind=k) for k in (6, 12))

    def waiting(round_):
        ApprovalRequest.objects.create(
            organization=org,
            round=round_,
            content_sha256="1" * 64,
            requested_by=coordinator,
            requested_name=f"ผู้ประสานงานรอบ {round_.kind}",
            requested_at=timezone.now(),
        )

    waiting(six)
    one, page = queries(client, reverse("home"))
    assert "รอท่านอนุมัติเผยแพร่ (1)" in page
    waiting(twelve)
    two, page = queries(client, reverse("home"))
    assert "รอท่านอนุมัติเผยแพร่ (2)" in page and "ผู้ประสานงานรอบ 12" in page
    assert two == one
