"""What the walk's one body per write does not try: organization B's coordinator
moving A's rows into B, A's coordinator moving rows out of A, and what the admin's
filters and division search offer each coordinator."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from ita_portal.tests.permission_walk.walker import ADMIN_USERS, ROLES
from jobs.models import Job
from measures.models import Measure, Round
from organizations.admin_scoping import OwnChoicesFilter
from organizations.models import Division, Membership, Organization
from progress.models import Progress
from reports.models import PublishedReport
from testing.factories import DivisionFactory
from testing.forms import form_data
from testing.pages import visible_text

pytestmark = pytest.mark.django_db

NOT_IN_ADMIN = [
    r for r in ROLES if r not in ADMIN_USERS and r != "anonymous"
]  # signed in, not staff


def _as(client, user):
    client.logout()
    client.force_login(user)
    return client


def _snapshot(obj):
    fresh = type(obj).objects.filter(pk=obj.pk).first()
    return fresh and model_to_dict(fresh)


WRITABLE = [Measure, Division, Round, Organization, Progress, Membership, PublishedReport, Job]


@pytest.mark.parametrize("model", WRITABLE, ids=lambda m: m.__name__)
def test_another_organizations_coordinator_changes_nothing(client, world, model):
    """Coordinator B posts A's own form back (as the superuser sees it), with
    organization B put in, to the change, delete and history-revert pages: refused,
    or sent to the admin's index as for a row that does not exist."""
    obj = world.objects[model]
    opts = model._meta
    base = f"admin:{opts.app_label}_{opts.model_name}"
    before = _snapshot(obj)
    page = _as(client, world.people["superuser"]).get(reverse(f"{base}_change", args=[obj.pk]))
    data = form_data(page.content.decode(), form_id=f"{opts.model_name}_form")
    data["organization"] = str(world.org_b.pk)
    urls = [reverse(f"{base}_change", args=[obj.pk]), reverse(f"{base}_delete", args=[obj.pk])]
    if hasattr(obj, "history"):
        version = obj.history.latest("history_date").history_id
        urls.append(reverse(f"{base}_simple_history", args=[obj.pk, version]))
    coordinator_b = _as(client, world.people["coordinator_b"])
    for url in urls:
        response = coordinator_b.post(url, {"post": "yes"} if url.endswith("/delete/") else data)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response.url == reverse("admin:index"), url
        assert _snapshot(obj) == before, url


def test_own_coordinator_cannot_move_a_measure_or_division_to_another_organization(client, world):
    coordinator = _as(client, world.people["coordinator"])
    for obj in (world.measure, world.objects[Division]):
        opts = obj._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        data = form_data(coordinator.get(url).content.decode(), form_id=f"{opts.model_name}_form")
        data["organization"] = str(world.org_b.pk)
        coordinator.post(url, data)
        obj.refresh_from_db()
        assert obj.organization_id == world.org.pk


def test_admin_filters_offer_only_the_users_own_organization(client, world):
    own = world.objects[Division]  # responsible for measure 1
    foreign = DivisionFactory(organization=world.org_b, name="กองที่ไม่ควรเห็น")
    coordinator = _as(client, world.people["coordinator"])
    html = coordinator.get(reverse("admin:measures_measure_changelist")).content.decode()
    assert own.name in html
    assert foreign.name not in html
    assert world.org_b.name not in html


def test_autocomplete_offers_only_the_users_own_divisions(client, world):
    DivisionFactory(organization=world.org_b, name="กองของหน่วยงานอื่น")
    url = (
        reverse("admin:autocomplete")
        + "?app_label=measures&model_name=measuredivision&field_name=division&term=กอง"
    )
    answer = _as(client, world.people["coordinator"]).get(url).json()
    names = [r["text"] for r in answer["results"]]
    assert names and all("หน่วยงานอื่น" not in n and "หน่วยงานบี" not in n for n in names)


def test_a_superuser_over_many_agencies_gets_no_endless_filter(client, world, monkeypatch):
    url = reverse("admin:organizations_division_changelist")
    superuser = _as(client, world.people["superuser"])
    html = superuser.get(url).content.decode()
    assert f"organization__id__exact={world.org_b.pk}" in html
    # Past the limit (two organizations here, as thousands would be): no list.
    monkeypatch.setattr(OwnChoicesFilter, "most", 1)
    html = superuser.get(url).content.decode()
    assert f"organization__id__exact={world.org_b.pk}" not in html


def test_signed_in_people_outside_the_admin_are_told_so_on_its_login_page(client, world):
    """The walk sends a signed-in person who is not in the admin to its login page,
    as Django's admin does; the page says who they are signed in as and that they
    may not enter, instead of asking them to sign in as if they had not."""
    for role in NOT_IN_ADMIN:
        user = world.people[role]
        page = _as(client, user).get(reverse("admin:index"), follow=True)
        assert page.redirect_chain == [("/admin/login/?next=/admin/", 302)], role
        assert f"คุณได้ลงชื่อเป็น {user.username} แต่ไม่ได้รับอนุญาตให้เข้าถึงหน้านี้" in visible_text(page), role
