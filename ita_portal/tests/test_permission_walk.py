"""The permission walk: every URL of the portal and the admin, listed from the URL
resolver, requested by every role of two organizations (and by anonymous, a user
with no membership and a superuser). A URL name without a rule here fails the
walk, so a new page cannot ship without saying who may open it.

Organization A is the seed agency (in อุบลราชธานี) and owns every object the walk
opens; organization B has its own coordinator, staff and executive, who must learn
nothing of A's data and change none of it. Two overseers read across agencies: one
of the whole installation, who may read A's reports and dashboard and change
nothing, and one of another province, who must learn nothing of A. The expectations are written out
by hand, from what each person should be able to do, not derived from
measures/access.py.
"""

from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.forms.models import model_to_dict
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from catalogue.models import AssessmentTool, FiscalYear, Indicator
from demo.seed import load_report_data, read_seed
from jobs.models import Job
from measures.models import Measure, Round, Step
from organizations.models import (
    District,
    Division,
    Membership,
    Organization,
    OverseerScope,
    Province,
)
from organizations.provinces import province as province_named
from organizations.services import add_member
from progress.models import Evidence, Progress, ReviewState
from reports import drafts
from reports.models import PublishedReport
from reports.services import publish_round
from testing.factories import DivisionFactory, OrganizationFactory, UserFactory
from testing.forms import copy_for_a_test, form_data, kept_for_the_scope

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "no_membership",
    "staff_own",  # staff of A's division that owns measure 1
    "staff_other",  # staff of another division of A
    "executive",
    "coordinator",
    "staff_b",
    "executive_b",
    "coordinator_b",
    "superuser",
    "overseer",  # overseer of the whole installation: reads A, changes nothing
    "overseer_b",  # overseer of another province (ศรีสะเกษ): A is not in scope
]
# Who may enter the admin at all: the others are sent to its login page.
ADMIN_USERS = {"coordinator", "coordinator_b", "superuser"}


def all_url_names() -> dict[str, str]:
    """Every named URL of the project ("namespace:name") and its route."""
    found: dict[str, str] = {}

    def walk(patterns, namespace, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name:
                found.setdefault(f"{namespace}{entry.name}", prefix + str(entry.pattern))

    walk(get_resolver().url_patterns, "", "")
    return found


@dataclass
class World:
    people: dict
    org: Organization
    org_b: Organization
    measure: Measure
    progress: Progress
    objects: dict  # model -> an object of organization A (or of the installation)


@pytest.fixture(scope="module")
def walk_media(tmp_path_factory):
    """The files of the module's world (evidence, published and draft PDFs)."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media):
        yield media


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker, walk_media):
    """The world is built once for the module (the seed, two organizations' people,
    a published report and its draft PDF) and each test gets it as built: what a
    test writes is rolled back after it (testing.forms.kept_for_the_scope)."""
    with kept_for_the_scope(django_db_blocker, _build_world) as world:
        yield world


@pytest.fixture
def world(built_world, db):
    return copy_for_a_test(built_world)


def _build_world() -> World:
    seed = load_report_data(read_seed())
    org = seed.organization
    org_b = OrganizationFactory(slug="other-agency")
    division_b = DivisionFactory(organization=org_b, name="กองของหน่วยงานบี")

    def member(name, organization, role, divisions=()):
        user = UserFactory(username=name)
        add_member(member=user, organization=organization, role=role, divisions=divisions)
        return user

    def overseer(name, **scope):
        user = UserFactory(username=name)
        OverseerScope.objects.create(user=user, **scope)
        return user

    def division(name):
        return [Division.objects.get(organization=org, name=name)]

    people = {
        "anonymous": None,
        "no_membership": UserFactory(username="nobody"),
        "staff_own": member("own", org, Membership.Role.STAFF, division("กองการเจ้าหน้าที่")),
        "staff_other": member("other", org, Membership.Role.STAFF, division("กองคลัง")),
        "executive": member("exec", org, Membership.Role.EXECUTIVE),
        "coordinator": member("coord", org, Membership.Role.COORDINATOR),
        "staff_b": member("staff-b", org_b, Membership.Role.STAFF, [division_b]),
        "executive_b": member("exec-b", org_b, Membership.Role.EXECUTIVE),
        "coordinator_b": member("coord-b", org_b, Membership.Role.COORDINATOR),
        "superuser": get_user_model().objects.create_superuser("root", "", "pass-1234"),
        "overseer": overseer("national", whole_installation=True),
        "overseer_b": overseer("nacc-sisaket", province=province_named("ศรีสะเกษ")),
    }
    measure = Measure.objects.get(organization=org, order=1)  # กองการเจ้าหน้าที่ only
    twelve = Round.objects.get(organization=org, kind=12)
    progress = Progress.objects.create(
        measure=measure, round=twelve, review_state=ReviewState.SUBMITTED, result_text="ของเอ"
    )
    evidence = Evidence(progress=progress, original_name="หลักฐาน.pdf", size=9)
    evidence.file.save("evidence.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    six = Round.objects.get(organization=org, kind=6)
    report = publish_round(round_=six, user=people["coordinator"])
    drafts.make(six)  # the draft PDF is made: its URL serves it to whoever may read it
    job = Job.objects.create(
        kind=Job.Kind.PUBLISH,
        organization=org,
        round=six,
        requested_by=people["coordinator"],
        state=Job.State.DONE,
        message="เผยแพร่รายงานฉบับที่ 1 แล้ว",
        result_id=report.pk,
    )
    objects = {
        Organization: org,
        Division: measure.divisions.first(),
        FiscalYear: seed.fiscal_year,
        AssessmentTool: AssessmentTool.objects.filter(fiscal_year=seed.fiscal_year).first(),
        Indicator: measure.indicator,
        Round: six,
        Measure: measure,
        Step: measure.steps.first(),
        Progress: progress,
        Membership: Membership.objects.get(user=people["coordinator"]),
        PublishedReport: report,
        Job: job,
        Evidence: evidence,
        get_user_model(): people["coordinator"],
        Group: Group.objects.first(),
        Province: org.province,
        District: org.district,
        OverseerScope: OverseerScope.objects.get(user=people["overseer"]),
        AccessAttempt: AccessAttempt.objects.create(
            username="coord",
            ip_address="10.0.0.1",
            failures_since_start=1,
            get_data="",
            post_data="",
        ),
        AccessLog: AccessLog.objects.create(username="coord", ip_address="10.0.0.1"),
        AccessFailureLog: AccessFailureLog.objects.create(
            username="coord", ip_address="10.0.0.1", locked_out=False
        ),
    }
    return World(people, org, org_b, measure, progress, objects)


def _request(client, user, method, url, data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data)
    if response.streaming:
        # Read a file response to its end so that its file is closed.
        b"".join(response.streaming_content)
    return response


class Sessions:
    """Requests as each person, in a session of their own: logged in once, and again
    after a request that is not a GET (logging out ends the session; a POST may change
    it). Anonymous requests carry no cookie. Logging in and out around each of the
    walk's 1,700 requests, as _request does, took half of its time."""

    def __init__(self, client):
        self.client = client
        self.cookies: dict[int, str] = {}

    def request(self, user, method, url, data=None):
        client, name = self.client, settings.SESSION_COOKIE_NAME
        client.cookies.clear()
        if user is not None and user.pk in self.cookies:
            client.cookies[name] = self.cookies[user.pk]
        elif user is not None:
            client.force_login(user)
        response = getattr(client, method)(url, data)
        if response.streaming:
            b"".join(response.streaming_content)
        if user is not None:
            kept = client.cookies.get(name)
            if method == "get" and kept is not None and kept.value:
                self.cookies[user.pk] = kept.value
            else:
                self.cookies.pop(user.pk, None)
        return response


def _check(sessions, world, method, url, expected, data=None):
    failures = []
    for role, code in zip(ROLES, expected, strict=True):
        response = sessions.request(world.people[role], method, url, data)
        if response.status_code != code:
            failures.append(f"{method.upper()} {url} as {role}: {response.status_code} != {code}")
    return failures


# --- The portal -----------------------------------------------------------------------------
# Expected status per role, in ROLES order. 404: not told the thing exists (another
# organization); 403: may see the organization but not do this; 302 for anonymous:
# sent to the login page.
OUTSIDERS = [404, 404, 404]  # staff_b, executive_b, coordinator_b on A's data


def portal_rules(world: World, report: PublishedReport) -> dict:
    m, slug = world.measure, world.org.slug
    twelve = world.progress.round
    evidence = world.progress.evidence.get()
    return (
        {
            "home": [("get", reverse("home"), [200] * 12)],
            "progress:detail": [
                (
                    "get",
                    reverse("progress:detail", args=[m.pk]),
                    [302, 404, 200, 404, 200, 200, *OUTSIDERS, 200, 200, 404],
                )
            ],
            # Waiting for review: the reporting staff member is sent back to the measure page;
            # the superuser administers but does not report an agency's progress.
            "progress:progress": [
                (
                    "get",
                    reverse("progress:progress", args=[m.pk, 12]),
                    [302, 404, 302, 404, 403, 200, *OUTSIDERS, 403, 403, 404],
                )
            ],
            "progress:review": [
                (
                    "post",
                    reverse("progress:review", args=[m.pk, 12]),
                    [302, 404, 403, 404, 403, 302, *OUTSIDERS, 403, 403, 404],
                )
            ],
            # A division's part of a measure of every division (measure 4), here กองคลัง's:
            # its staff and the coordinator write it; staff of another division may see
            # the measure but not write this part; readers may not write at all.
            "progress:part": [
                (
                    "get",
                    reverse(
                        "progress:part",
                        args=[
                            Measure.objects.get(organization=world.org, order=4).pk,
                            12,
                            Division.objects.get(organization=world.org, name="กองคลัง").pk,
                        ],
                    ),
                    [302, 404, 403, 200, 403, 200, *OUTSIDERS, 403, 403, 404],
                )
            ],
            # Closing asks first: the coordinator gets the confirmation page (200); a
            # request that does not say open or close is sent home (302).
            "progress:round_open": [
                (
                    "post",
                    reverse("progress:round_open", args=[twelve.pk]),
                    [302, 404, 403, 403, 403, 302, *OUTSIDERS, 403, 403, 404],
                ),
                (
                    "get",
                    reverse("progress:round_open", args=[twelve.pk]) + "?open=0",
                    [302, 404, 403, 403, 403, 200, *OUTSIDERS, 403, 403, 404],
                ),
            ],
            "progress:evidence": [
                (
                    "get",
                    reverse("progress:evidence", args=[evidence.pk]),
                    [302, 404, 200, 404, 200, 200, *OUTSIDERS, 200, 200, 404],
                )
            ],
            "reports:page": [
                (
                    "get",
                    reverse("reports:page", args=[slug, 2566, 6]),
                    [302, 404, 403, 403, 200, 200, *OUTSIDERS, 200, 200, 404],
                )
            ],
            "reports:pdf": [
                (
                    "get",
                    reverse("reports:pdf", args=[slug, 2566, 6]),
                    [302, 404, 403, 403, 200, 200, *OUTSIDERS, 200, 200, 404],
                )
            ],
            "oversight:dashboard": [
                (
                    "get",
                    reverse("oversight:dashboard", args=[slug, 2566, 12]),
                    [302, 404, 403, 403, 200, 200, *OUTSIDERS, 200, 200, 404],
                )
            ],
            # Publishing asks first: without its confirm button, the confirmation page.
            "reports:publish": [
                (
                    "post",
                    reverse("reports:publish", args=[slug, 2566, 6]),
                    [302, 404, 403, 403, 403, 200, *OUTSIDERS, 403, 403, 404],
                ),
                (
                    "get",
                    reverse("reports:publish", args=[slug, 2566, 6]),
                    [302, 404, 403, 403, 403, 200, *OUTSIDERS, 403, 403, 404],
                ),
            ],
            # Withdrawing a version: its form (a reason is required) for the coordinator.
            "reports:withdraw": [
                (
                    "get",
                    reverse("reports:withdraw", args=[slug, 2566, 6, report.version]),
                    [302, 404, 403, 403, 403, 200, *OUTSIDERS, 403, 403, 404],
                ),
                (
                    "post",
                    reverse("reports:withdraw", args=[slug, 2566, 6, report.version]),
                    [302, 404, 403, 403, 403, 400, *OUTSIDERS, 403, 403, 404],
                ),
            ],
            # The organization's document settings: its coordinator, and the superuser who
            # administers the installation; readers may not change them.
            "reports:document_settings": [
                (
                    "get",
                    reverse("reports:document_settings", args=[slug]),
                    [302, 404, 403, 403, 403, 200, *OUTSIDERS, 200, 403, 404],
                )
            ],
            # Published: open to everyone.
            "reports:public_index": [
                ("get", reverse("reports:public_index", args=[slug]), [200] * 12)
            ],
            "reports:public_pdf": [
                ("get", reverse("reports:public_pdf", args=[slug, 2566, 6]), [200] * 12)
            ],
            "reports:public_version": [
                (
                    "get",
                    reverse("reports:public_version", args=[slug, 2566, 6, report.version]),
                    [200] * 12,
                )
            ],
            # The roll-up across agencies: overseers (each sees their own scope) and the
            # superuser; members of one agency are refused.
            "oversight:oversight_index": [
                (
                    "get",
                    reverse("oversight:oversight_index"),
                    [302, 403, 403, 403, 403, 403, 403, 403, 403, 302, 302, 302],
                )
            ],
            "oversight:oversight": [
                (
                    "get",
                    reverse("oversight:oversight", args=[2566, 12]),
                    [302, 403, 403, 403, 403, 403, 403, 403, 403, 200, 200, 200],
                )
            ],
            "oversight:oversight_export": [
                (
                    "get",
                    reverse("oversight:oversight_export", args=[2566, 12, "xlsx"]),
                    [302, 403, 403, 403, 403, 403, 403, 403, 403, 200, 200, 200],
                )
            ],
        }
        | _account_rules()
        | _admin_site_rules(world)
    )


def _account_rules() -> dict:
    signed_in = [200] * 11
    return {
        "login": [("get", reverse("login"), [200] * 12)],
        # Logging out is a POST (Django 5); it always lands on the login page.
        "logout": [("post", reverse("logout"), [302] * 12)],
        "password_change": [("get", reverse("password_change"), [302, *signed_in])],
        "password_change_done": [("get", reverse("password_change_done"), [302, *signed_in])],
        # Without mail configured, these pages say whom to ask for a new password.
        "password_reset": [("get", reverse("password_reset"), [200] * 12)],
        "password_reset_done": [("get", reverse("password_reset_done"), [200] * 12)],
        "password_reset_confirm": [
            ("get", reverse("password_reset_confirm", args=["MQ", "set-password"]), [200] * 12)
        ],
        "password_reset_complete": [("get", reverse("password_reset_complete"), [200] * 12)],
        # The load balancer's probe: no login, no data.
        "healthz": [("get", reverse("healthz"), [200] * 12)],
    }


def _admin_site_rules(world: World) -> dict:
    staff_only = [200 if role in ADMIN_USERS else 302 for role in ROLES]
    measure_type = ContentType.objects.get_for_model(Measure)
    return {
        "admin:index": [("get", reverse("admin:index"), staff_only)],
        "admin:app_list": [("get", reverse("admin:app_list", args=["measures"]), staff_only)],
        "admin:jsi18n": [("get", reverse("admin:jsi18n"), staff_only)],
        "admin:password_change": [("get", reverse("admin:password_change"), staff_only)],
        "admin:password_change_done": [("get", reverse("admin:password_change_done"), staff_only)],
        # The admin's login page: shown to whoever is not yet in the admin.
        "admin:login": [
            ("get", reverse("admin:login"), [302 if r in ADMIN_USERS else 200 for r in ROLES])
        ],
        "admin:logout": [("post", reverse("admin:logout"), [302] * 12)],
        # The admin's "view on site" link: measures have no such page, so nobody is sent
        # anywhere (and the object's existence is not told).
        "admin:view_on_site": [
            (
                "get",
                reverse("admin:view_on_site", args=[measure_type.pk, world.measure.pk]),
                [302 if r not in ADMIN_USERS else 404 for r in ROLES],
            )
        ],
        # Division search for the responsible-division picker: within the user's
        # organizations only (checked below in test_autocomplete_...).
        "admin:autocomplete": [
            (
                "get",
                reverse("admin:autocomplete")
                + "?app_label=measures&model_name=measuredivision&field_name=division&term=กอง",
                [302 if r not in ADMIN_USERS else 200 for r in ROLES],
            )
        ],
    }


# --- The admin's model pages ----------------------------------------------------------------
# What a coordinator may do in the admin, per model (v: view, a: add, c: change,
# d: delete). Progress is reported on the portal's progress page and is read only
# here; published reports are never edited.
COORDINATOR_MAY = {
    Measure: "vacd",
    Division: "vacd",
    Step: "",
    Progress: "v",
    Round: "vc",
    Organization: "v",
    FiscalYear: "v",
    AssessmentTool: "v",
    Indicator: "v",
    PublishedReport: "v",
    Job: "v",
    Membership: "",
    Evidence: "",
}
# Models whose rows belong to an organization: another organization's coordinator is
# not told they exist (the admin's "does not exist" redirect, 302).
ORGANIZATION_ROWS = {
    Measure,
    Division,
    Progress,
    Round,
    Organization,
    PublishedReport,
    Job,
    Membership,
}
# What the superuser may not do even so: nobody adds or edits progress or published
# reports in the admin.
NOBODY_MAY = {
    Progress: "acd",
    PublishedReport: "acd",
    # Jobs are started from the pages that do the work, and only followed here.
    Job: "acd",
    # Sign-in records are written by django-axes only.
    AccessAttempt: "a",
    AccessLog: "a",
    AccessFailureLog: "a",
}


def _model_expected(model, view: str, role: str) -> int:
    letter = {"changelist": "v", "add": "a", "change": "v", "history": "v", "delete": "d"}[view]
    if role not in ADMIN_USERS:
        return 302
    if letter in NOBODY_MAY.get(model, ""):
        return 403
    if role == "superuser":
        return 200
    hidden = role == "coordinator_b" and model in ORGANIZATION_ROWS
    if hidden and view == "history":
        return 302  # the history page looks the object up before asking permissions
    allowed = COORDINATOR_MAY.get(model, "")
    if letter == "v" and "c" in allowed:
        allowed += "v"
    if letter not in allowed:
        return 403
    if hidden and view not in ("changelist", "add"):
        return 302
    return 200


def admin_model_rules(world: World) -> dict:
    rules = {}
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        base = f"admin:{opts.app_label}_{opts.model_name}"
        obj = world.objects.get(model)
        views = ["changelist", "add"]
        if obj is not None:
            views += ["change", "history", "delete"]
        for view in views:
            args = [obj.pk] if view in ("change", "history", "delete") else []
            expected = [_model_expected(model, view, role) for role in ROLES]
            rules.setdefault(f"{base}_{view}", []).append(
                ("get", reverse(f"{base}_{view}", args=args), expected)
            )
        if hasattr(model_admin, "history_form_view") and obj is not None:
            version = obj.history.filter(id=obj.pk).latest("history_date").history_id
            expected = [_model_expected(model, "history", role) for role in ROLES]
            rules[f"{base}_simple_history"] = [
                ("get", reverse(f"{base}_simple_history", args=[obj.pk, version]), expected)
            ]
    # Setting another person's password: the superuser only.
    rules["admin:auth_user_password_change"] = [
        (
            "get",
            reverse("admin:auth_user_password_change", args=[world.people["coordinator"].pk]),
            [_model_expected(get_user_model(), "add", role) for role in ROLES],
        )
    ]
    # Import and export of measures: coordinators and the superuser.
    staff = [200 if role in ADMIN_USERS else 302 for role in ROLES]
    rules["admin:measures_measure_import"] = [
        ("get", reverse("admin:measures_measure_import"), staff)
    ]
    rules["admin:measures_measure_export"] = [
        ("get", reverse("admin:measures_measure_export"), staff)
    ]
    return rules


def test_every_url_with_every_role(client, world):
    report = PublishedReport.objects.get(round__organization=world.org)
    rules = portal_rules(world, report) | admin_model_rules(world)
    uncovered = sorted(set(all_url_names()) - set(rules))
    assert uncovered == [], f"URL names without a rule in the permission walk: {uncovered}"
    failures = []
    sessions = Sessions(client)
    for name in sorted(rules):
        for method, url, expected in rules[name]:
            failures += _check(
                sessions, world, method, url, expected, {"open": "1"} if method == "post" else None
            )
    assert failures == [], "\n".join(failures)


# --- Writes that try to reach into organization A --------------------------------------------


def _snapshot(obj):
    fresh = type(obj).objects.filter(pk=obj.pk).first()
    return fresh and model_to_dict(fresh)


WRITABLE = [Measure, Division, Round, Organization, Progress, Membership, PublishedReport, Job]


@pytest.mark.parametrize("model", WRITABLE, ids=lambda m: m.__name__)
def test_another_organizations_coordinator_changes_nothing(client, world, model):
    """Coordinator B posts A's own form back (taken as A's coordinator sees it),
    with organization B put in, to the change, delete and history-revert pages."""
    obj = world.objects[model]
    opts = model._meta
    base = f"admin:{opts.app_label}_{opts.model_name}"
    before = _snapshot(obj)
    page = _request(
        client, world.people["superuser"], "get", reverse(f"{base}_change", args=[obj.pk])
    )
    data = form_data(page.content.decode(), form_id=f"{opts.model_name}_form")
    data["organization"] = str(world.org_b.pk)
    version = obj.history.latest("history_date").history_id if hasattr(obj, "history") else None
    urls = [reverse(f"{base}_change", args=[obj.pk]), reverse(f"{base}_delete", args=[obj.pk])]
    if version:
        urls.append(reverse(f"{base}_simple_history", args=[obj.pk, version]))
    for url in urls:
        payload = {"post": "yes"} if url.endswith("/delete/") else data
        response = _request(client, world.people["coordinator_b"], "post", url, payload)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response.url == reverse("admin:index"), url
        assert _snapshot(obj) == before, url


@pytest.mark.parametrize("model", [Measure, Progress], ids=lambda m: m.__name__)
def test_nobody_reverts_from_history(client, world, model):
    obj = world.objects[model]
    opts = model._meta
    record = obj.history.latest("history_date")
    url = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, record.history_id]
    )
    before = _snapshot(obj)
    for role in ("coordinator", "superuser"):
        page = _request(client, world.people[role], "get", url)
        assert page.status_code == 200
        data = form_data(page.content.decode(), form_id=f"{opts.model_name}_form")
        response = _request(client, world.people[role], "post", url, data)
        assert response.status_code == 403, role
    assert _snapshot(obj) == before


def test_own_coordinator_cannot_move_a_measure_or_division_to_another_organization(client, world):
    coordinator = world.people["coordinator"]
    for obj in (world.measure, world.objects[Division]):
        opts = obj._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        page = _request(client, coordinator, "get", url)
        data = form_data(page.content.decode(), form_id=f"{opts.model_name}_form")
        data["organization"] = str(world.org_b.pk)
        _request(client, coordinator, "post", url, data)
        obj.refresh_from_db()
        assert obj.organization_id == world.org.pk


def test_admin_filters_offer_only_the_users_own_organization(client, world):
    own = Division.objects.filter(organization=world.org).first()
    foreign = DivisionFactory(organization=world.org_b, name="กองที่ไม่ควรเห็น")
    html = _request(
        client, world.people["coordinator"], "get", reverse("admin:measures_measure_changelist")
    ).content.decode()
    assert own.name in html
    assert foreign.name not in html
    assert world.org_b.name not in html


def test_autocomplete_offers_only_the_users_own_divisions(client, world):
    DivisionFactory(organization=world.org_b, name="กองของหน่วยงานอื่น")
    url = (
        reverse("admin:autocomplete")
        + "?app_label=measures&model_name=measuredivision&field_name=division&term=กอง"
    )
    names = [
        r["text"]
        for r in _request(client, world.people["coordinator"], "get", url).json()["results"]
    ]
    assert names and all("หน่วยงานอื่น" not in n and "หน่วยงานบี" not in n for n in names)


def test_a_superuser_over_many_agencies_gets_no_endless_filter(client, world, monkeypatch):
    from measures.admin import OwnChoicesFilter

    url = reverse("admin:organizations_division_changelist")
    superuser = world.people["superuser"]
    html = _request(client, superuser, "get", url).content.decode()
    assert f"organization__id__exact={world.org_b.pk}" in html
    # Past the limit (two organizations here, as thousands would be): no list.
    monkeypatch.setattr(OwnChoicesFilter, "most", 1)
    html = _request(client, superuser, "get", url).content.decode()
    assert f"organization__id__exact={world.org_b.pk}" not in html
