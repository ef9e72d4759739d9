"""Every page with every role: who gets in (200/302 to a page), who is refused
(403: may see but not do), who is not told the thing exists (404)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from measures import services
from measures.models import (
    Division,
    Evidence,
    Measure,
    Membership,
    Progress,
    ReviewState,
    Round,
)
from measures.tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "staff_own", "staff_other", "executive", "coordinator"]


@pytest.fixture
def people(seed):
    org = seed.organization

    def member(name, role, divisions=()):
        user = UserFactory(username=name)
        services.add_member(
            user=user,
            organization=org,
            role=role,
            divisions=list(Division.objects.filter(organization=org, name__in=divisions)),
        )
        return user

    outsider = UserFactory(username="outsider")
    services.add_member(
        user=outsider, organization=OrganizationFactory(), role=Membership.Role.COORDINATOR
    )
    return {
        "anonymous": None,
        "outsider": outsider,
        "staff_own": member("own", Membership.Role.STAFF, ["กองการเจ้าหน้าที่"]),
        "staff_other": member("other", Membership.Role.STAFF, ["กองคลัง"]),
        "executive": member("exec", Membership.Role.EXECUTIVE),
        "coordinator": member("coord", Membership.Role.COORDINATOR),
    }


def _pages(org):
    m1 = Measure.objects.get(organization=org, order=1)  # กองการเจ้าหน้าที่ only
    twelve = Round.objects.get(organization=org, kind=12)
    progress = Progress.objects.create(measure=m1, round=twelve, review_state=ReviewState.SUBMITTED)
    evidence = Evidence(progress=progress, original_name="หลักฐาน.pdf", size=9)
    evidence.file.save("evidence.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    slug = org.slug
    # (method, url, expected per role in ROLES order)
    return [
        ("get", reverse("measures:detail", args=[m1.pk]), [302, 404, 200, 404, 200, 200]),
        # Waiting for review: the reporting staff member is sent back to the measure page.
        ("get", reverse("measures:progress", args=[m1.pk, 12]), [302, 404, 302, 404, 403, 200]),
        ("post", reverse("measures:review", args=[m1.pk, 12]), [302, 404, 403, 404, 403, 302]),
        ("post", reverse("measures:round_open", args=[twelve.pk]), [302, 404, 403, 403, 403, 302]),
        ("get", reverse("reports:page", args=[slug, 2566, 6]), [302, 404, 403, 403, 200, 200]),
        ("get", reverse("reports:pdf", args=[slug, 2566, 6]), [302, 404, 403, 403, 200, 200]),
        (
            "get",
            reverse("reports:dashboard", args=[slug, 2566, 12]),
            [302, 404, 403, 403, 200, 200],
        ),
        ("get", reverse("measures:evidence", args=[evidence.pk]), [302, 404, 200, 404, 200, 200]),
        ("post", reverse("reports:publish", args=[slug, 2566, 6]), [302, 404, 403, 403, 403, 302]),
        # Published by the coordinator's request just above: open to everyone.
        ("get", reverse("reports:public_pdf", args=[slug, 2566, 6]), [200] * 6),
        ("get", reverse("reports:public_index", args=[slug]), [200] * 6),
        ("get", reverse("home"), [200] * 6),
        # The admin: coordinators only (the outsider coordinates another organization
        # and sees its own, empty, lists but not this organization's measure).
        ("get", reverse("admin:measures_measure_changelist"), [302, 200, 302, 302, 302, 200]),
        (
            "get",
            reverse("admin:measures_measure_change", args=[m1.pk]),
            [302, 302, 302, 302, 302, 200],
        ),
        ("get", reverse("admin:measures_measure_import"), [302, 200, 302, 302, 302, 200]),
    ]


def test_every_page_with_every_role(client, seed, people, media_root):
    failures = []
    for method, url, expected in _pages(seed.organization):
        for role, code in zip(ROLES, expected, strict=True):
            client.logout()
            if people[role]:
                client.force_login(people[role])
            response = getattr(client, method)(url, {"open": "1"} if method == "post" else None)
            if response.streaming:
                # Reading a file response to its end closes its file (the test
                # client closes it then, without closing the database connection).
                b"".join(response.streaming_content)
            if response.status_code != code:
                failures.append(
                    f"{method.upper()} {url} as {role}: {response.status_code} != {code}"
                )
    assert failures == []
