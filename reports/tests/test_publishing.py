import hashlib

import pytest
from django.urls import reverse

from measures import services
from measures.models import Measure, Membership, Round
from measures.tests.factories import OrganizationFactory, UserFactory
from reports.models import PublishedReport
from reports.tests.pdftext import pdf_text, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def six(seed, media_root):
    return Round.objects.get(organization=seed.organization, kind=Round.Kind.SIX_MONTHS)


def member(organization, role, username):
    user = UserFactory(username=username)
    services.add_member(user=user, organization=organization, role=role)
    return user


def urls(round_):
    args = [round_.organization.slug, round_.fiscal_year.year, round_.kind]
    return {
        "page": reverse("reports:page", args=args),
        "pdf": reverse("reports:pdf", args=args),
        "publish": reverse("reports:publish", args=args),
        "public": reverse("reports:public_pdf", args=args),
        "index": reverse("reports:public_index", args=[round_.organization.slug]),
    }


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_publish_then_edit_then_publish_again(client, six):
    coordinator = member(six.organization, Membership.Role.COORDINATOR, "coord")
    u = urls(six)
    client.force_login(coordinator)
    assert client.get(u["public"]).status_code == 404  # nothing published yet

    response = client.post(u["publish"], follow=True)
    assert "เผยแพร่รายงานฉบับที่ 1 แล้ว" in response.content.decode()
    first = PublishedReport.objects.get()
    client.logout()

    served = client.get(u["public"])
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    v1 = body(served)
    assert hashlib.sha256(v1).hexdigest() == first.sha256
    assert "จัดทำประมวลจริยธรรมสำหรับเจ้าหน้าที่" in squash(pdf_text(v1))

    # A later edit never changes the published file.
    step = Measure.objects.get(organization=six.organization, order=1).steps.get(number=1)
    step.text = "จัดทำประมวลจริยธรรมฉบับปรับปรุง"
    step.save()
    assert body(client.get(u["public"])) == v1

    client.force_login(coordinator)
    client.post(u["publish"])
    client.logout()
    second = PublishedReport.objects.get(version=2)
    v2 = body(client.get(u["public"]))
    assert hashlib.sha256(v2).hexdigest() == second.sha256 != first.sha256
    assert "จัดทำประมวลจริยธรรมฉบับปรับปรุง" in squash(pdf_text(v2))
    old = client.get(reverse("reports:public_version", args=[six.organization.slug, 2566, 6, 1]))
    assert body(old) == v1

    index = client.get(u["index"]).content.decode()
    assert first.sha256 in index and second.sha256 in index
    assert "ฉบับที่ 2" in index


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Membership.Role.STAFF, 403), (Membership.Role.EXECUTIVE, 403), (None, 404)],
)
def test_only_the_coordinator_may_publish(client, six, role, expected):
    if role:
        user = member(six.organization, role, "someone")
    else:
        user = member(OrganizationFactory(), Membership.Role.COORDINATOR, "other-coord")
    client.force_login(user)
    assert client.post(urls(six)["publish"]).status_code == expected
    assert not PublishedReport.objects.exists()


def test_superuser_may_read_but_not_publish(client, six):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(urls(six)["page"]).status_code == 200
    assert client.post(urls(six)["publish"]).status_code == 403


def test_the_public_never_sees_unpublished_data(client, six):
    u = urls(six)
    assert client.get(u["page"]).status_code == 302  # to the login page
    assert client.get(u["pdf"]).status_code == 302
    assert client.post(u["publish"]).status_code == 302
    assert client.get(u["public"]).status_code == 404
    assert "ยังไม่มีรายงานที่เผยแพร่" in client.get(u["index"]).content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Membership.Role.COORDINATOR, 200),
        (Membership.Role.EXECUTIVE, 200),
        (Membership.Role.STAFF, 403),
    ],
)
def test_draft_report_by_role(client, six, role, expected):
    client.force_login(member(six.organization, role, "person"))
    u = urls(six)
    page = client.get(u["page"])
    assert page.status_code == expected
    if expected == 200:
        html = page.content.decode()
        assert "จัดทำประมวลจริยธรรมสำหรับเจ้าหน้าที่" in html
        assert ("เผยแพร่รายงานฉบับนี้" in html) == (role == Membership.Role.COORDINATOR)
        pdf = client.get(u["pdf"])
        assert pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")


def test_another_organizations_member_gets_404(client, six):
    client.force_login(member(OrganizationFactory(), Membership.Role.EXECUTIVE, "outsider"))
    assert client.get(urls(six)["page"]).status_code == 404
    assert client.get(urls(six)["pdf"]).status_code == 404


def test_coordinator_downloads_the_pdf_from_the_admin(client, six):
    client.force_login(member(six.organization, Membership.Role.COORDINATOR, "coord"))
    listing = client.get(reverse("admin:measures_round_changelist")).content.decode()
    pdf_url = urls(six)["pdf"]
    assert f'href="{pdf_url}"' in listing
    assert client.get(pdf_url).content.startswith(b"%PDF")


def test_coordinator_is_warned_of_unapproved_results_before_publishing(client, six):
    client.force_login(member(six.organization, Membership.Role.COORDINATOR, "coord"))
    page = client.get(urls(six)["page"]).content.decode()
    assert 'id="unapproved"' not in page  # the seed's results are approved
    twelve = Round.objects.get(organization=six.organization, kind=12)
    page = client.get(urls(twelve)["page"]).content.decode()
    assert "ผลการดำเนินการ 8 จาก 8 มาตรการยังไม่ได้อนุมัติ" in page


def test_public_page_shows_the_stable_link_to_copy(client, six):
    client.force_login(member(six.organization, Membership.Role.COORDINATOR, "coord"))
    client.post(urls(six)["publish"])
    client.logout()
    page = client.get(urls(six)["index"]).content.decode()
    assert f"http://testserver{urls(six)['public']}" in page
