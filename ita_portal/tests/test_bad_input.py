"""Bad input answers 400 or a Thai form error, never a 500 (issue 17, item 7).

Every URL of the project, listed from the resolver, is requested as the superuser and
as the seed agency's coordinator with each query parameter its view reads (found in
the view's module: `request.GET.get("x")`, `"x" in request.GET`, forms bound to
request.GET) set to each bad value; the same with each POST parameter a view reads
directly. Every form on the pages they open is posted back with each field set to
each bad value. The admin's changelists get each list filter's parameters, search,
ordering and page, and the admin's autocomplete each of its parameters.

A NUL anywhere in a request (path, query, form, cookie) is refused whole with the
Thai refusal page (400); the other bad values must come back as a page (a Thai error
where there is one) or a redirect.

Each request runs in a savepoint that is rolled back after it, so that what one bad
value saved (a withdrawal with the reason "²", say) does not change the pages the
next one finds.
"""

import inspect
import os
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from approvals.models import ApprovalRequest
from catalogue.models import OitItem
from demo.seed import load_report_data, read_seed
from jobs.models import Job
from measures.models import Measure, Round
from organizations.models import Division, Membership, OverseerScope
from progress.models import Evidence, Progress, ReviewState
from reports.services import publish_round
from testing.factories import UserFactory, member
from testing.forms import copy_for_a_test, form_data, kept_for_the_scope
from testing.pages import visible_text

pytestmark = [
    pytest.mark.django_db,
    # Every URL, form and list filter with every bad value takes minutes and CI runs the
    # suite on both databases: it runs on PostgreSQL, the production database and the
    # stricter one (a NUL in text fails there and passes SQLite).
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="run on PostgreSQL (the stricter database); minutes long",
    ),
]

BAD_VALUES = {
    "nul": "ก\x00ข",
    "superscript digit": "²",
    "thai digits": "๑๒",
    "huge number": "99999999999999999999",
    "overlong text": "ก" * 12_000,
}
NUL_REFUSED = "มีอักขระ NUL"
THAI = re.compile(r"[\u0e01-\u0e5b]")
# Where pages show what is wrong: Django's error lists, the admin's note, the portal's.
ERROR_CLASSES = ("errorlist", "errornote", "invalid-feedback", "alert-danger")
PEOPLE = ("superuser", "coordinator")
# Forms that end the session or delete rows: nothing a bad value could reach there
# but the NUL refusal, which the other forms prove.
NOT_POSTED = re.compile(r"/(logout|delete)/$")


# --- The world ------------------------------------------------------------------------------


@dataclass
class World:
    people: dict
    slug: str
    args: dict  # URL name -> its arguments


@pytest.fixture(scope="module")
def fuzz_media(tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media):
        yield media


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker, fuzz_media):
    with kept_for_the_scope(django_db_blocker, _build_world) as world:
        yield world


@pytest.fixture
def world(built_world, db):
    return copy_for_a_test(built_world)


def _build_world() -> World:
    seed = load_report_data(read_seed())
    org = seed.organization
    coordinator = member(org, Membership.Role.COORDINATOR, "coord")
    superuser = get_user_model().objects.create_superuser("root", "", "pass-1234")
    overseer = UserFactory(username="national")
    OverseerScope.objects.create(user=overseer, whole_installation=True)
    Group.objects.create(name="ผู้ตรวจ")
    measure = Measure.objects.get(organization=org, order=1)
    twelve = Round.objects.get(organization=org, kind=12)
    six = Round.objects.get(organization=org, kind=6)
    progress = Progress.objects.create(
        measure=measure, round=twelve, review_state=ReviewState.SUBMITTED, result_text="ผล"
    )
    evidence = Evidence(progress=progress, original_name="หลักฐาน.pdf", size=9)
    evidence.file.save("evidence.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    report = publish_round(round_=six, user=coordinator)
    Job.objects.create(
        kind=Job.Kind.PUBLISH,
        organization=org,
        round=six,
        requested_by=coordinator,
        state=Job.State.DONE,
        result_id=report.pk,
    )
    # A request of the 6-month report waiting for approval (approvals), as the coordinator
    # leaves it (the content of version 1: only its pages are walked).
    approval = ApprovalRequest.objects.create(
        organization=org,
        round=six,
        content_sha256=report.content_sha256,
        requested_by=coordinator,
        requested_name="coord",
        requested_at=report.published_at,
    )
    # The national results import's job, as the superuser's confirm leaves it (results).
    results_job = Job.objects.create(
        kind=Job.Kind.RESULTS_IMPORT,
        fiscal_year=six.fiscal_year,
        requested_by=superuser,
        state=Job.State.DONE,
        message="นำเข้าผลการประเมินแล้ว",
    )
    AccessAttempt.objects.create(
        username="coord", ip_address="10.0.0.1", failures_since_start=1, get_data="", post_data=""
    )
    AccessLog.objects.create(username="coord", ip_address="10.0.0.1")
    OitItem.objects.create(fiscal_year=six.fiscal_year, number="O1", order=1, title="โครงสร้าง")
    AccessFailureLog.objects.create(username="coord", ip_address="10.0.0.1", locked_out=False)
    slug = org.slug
    every_division = Measure.objects.get(organization=org, order=4)
    finance = Division.objects.get(organization=org, name="กองคลัง")
    args = {
        "progress:detail": [measure.pk],
        "progress:progress": [measure.pk, 12],
        "progress:review": [measure.pk, 12],
        "progress:part": [every_division.pk, 12, finance.pk],
        "progress:round_open": [twelve.pk],
        "progress:evidence": [evidence.pk],
        "reports:page": [slug, 2566, 6],
        "reports:pdf": [slug, 2566, 6],
        "reports:publish": [slug, 2566, 6],
        "reports:withdraw": [slug, 2566, 6, report.version],
        "reports:document_settings": [slug],
        "reports:public_index": [slug],
        "reports:public_pdf": [slug, 2566, 6],
        "reports:public_version": [slug, 2566, 6, report.version],
        "approvals:request": [slug, 2566, 6],
        "approvals:analysis_request": [slug, 2566],
        "approvals:detail": [approval.pk],
        "approvals:cancel": [approval.pk],
        "approvals:settings": [slug],
        "paperwork:index": [slug],
        "paperwork:download": [slug, 2566, 6, report.version, "memo"],
        "paperwork:download_analysis": [slug, 2567, 1, "memo"],
        "paperwork:template": [slug, "memo"],
        "paperwork:retry": [slug, 1],  # no failure in this world: a 404, never a 500
        "oversight:dashboard": [slug, 2566, 12],
        "oversight:oversight": [2566, 12],
        "oversight:oversight_export": [2566, 12, "csv"],
        "results:index": [slug],
        "results:import_job": [results_job.pk],
        "oversight:agency_results": [slug],
        "oit:public": [slug, 2566],
        "oit:edit": [slug, 2566],
        "oit:export": [slug, 2566, "xlsx"],
        "results:form": [slug, 2566],
        "analysis:page": [slug, 2566],
        "analysis:pdf": [slug, 2566],
        "analysis:publish": [slug, 2566],
        "analysis:withdraw": [slug, 2566, 1],
        "analysis:public_pdf": [slug, 2566],
        "analysis:public_version": [slug, 2566, 1],
        "password_reset_confirm": ["MQ", "set-password"],
        "admin:app_list": ["measures"],
        "admin:view_on_site": [ContentType.objects.get_for_model(Measure).pk, measure.pk],
        "admin:auth_user_password_change": [coordinator.pk],
    }
    args |= _admin_object_args()
    people = {"superuser": superuser, "coordinator": coordinator}
    return World(people=people, slug=slug, args=args)


def _admin_object_args() -> dict:
    """The admin's pages of each registered model's first row (its history too); a
    model without a row here has its list and its add form walked."""
    args = {}
    for model, model_admin in admin.site._registry.items():
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            args |= {f"{base}_{view}": None for view in ("change", "history", "delete")}
            args[f"{base}_simple_history"] = None
            continue
        for view in ("change", "history", "delete"):
            args[f"{base}_{view}"] = [obj.pk]
        if hasattr(model_admin, "history_form_view"):
            version = obj.history.filter(id=obj.pk).latest("history_date").history_id
            args[f"{base}_simple_history"] = [obj.pk, version]
    return args


# --- What each view reads -------------------------------------------------------------------

_READS = re.compile(
    r"request\.(GET|POST)(?:\.get\(|\[)\s*\"(\w+)\"|\"(\w+)\" (?:not )?in request\.(GET|POST)"
)
# `Form(request.GET`, `Form.for_x(thing, request.POST`
_BOUND_FORMS = re.compile(r"(\w+)(?:\.\w+)?\(\s*(?:\w+,\s*)?request\.(GET|POST)\b")


def _code_of(view) -> list[str]:
    """The source of a view and of what it calls in its own module or class (its
    helpers read parameters too: reports.views._publish_job reads ?job)."""
    view = getattr(view, "view_class", None) or inspect.unwrap(view)
    owner = getattr(view, "__self__", None)
    module = sys.modules[view.__module__]
    found, todo, seen = [], [view], set()
    while todo:
        code = todo.pop()
        if code in seen:
            continue
        seen.add(code)
        try:
            text = inspect.getsource(code)
        except (OSError, TypeError):
            continue
        found.append(text)
        for called in re.findall(r"(?<![.\w])(_?\w+)\(", text):
            candidate = getattr(module, called, None)
            if inspect.isfunction(candidate) and candidate.__module__ == module.__name__:
                todo.append(candidate)
        for called in re.findall(r"self\.(\w+)\(", text):
            candidate = getattr(owner or view, called, None)
            if callable(candidate) and getattr(candidate, "__module__", "") == module.__name__:
                todo.append(candidate)
    return found


def parameters_read(view, method: str) -> set[str]:
    """The names a view (and its helpers) reads from request.GET or request.POST,
    and the fields of the forms it binds to them."""
    module = sys.modules[inspect.unwrap(view).__module__]
    names = set()
    for text in _code_of(view):
        for match in _READS.finditer(text):
            if (match[1] or match[4]) == method:
                names.add(match[2] or match[3])
        for form_name, read in _BOUND_FORMS.findall(text):
            form = getattr(module, form_name, None)
            if read == method and hasattr(form, "base_fields"):
                names |= set(form.base_fields)
    return names


def all_urls(world: World) -> dict[str, URLPattern]:
    """Every named URL of the project ("namespace:name") and its pattern."""
    found: dict[str, URLPattern] = {}

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                found.setdefault(f"{namespace}{entry.name}", entry)

    walk(get_resolver().url_patterns, "")
    return found


def url_of(world: World, name: str, pattern: URLPattern) -> str | None:
    """The URL with its arguments; None for the page of a row the world lacks."""
    needed = pattern.pattern.converters
    if needed and name not in world.args:
        raise AssertionError(f"{name}: no arguments for this URL in the bad-input walk")
    args = world.args.get(name, [])
    return None if args is None else reverse(name, args=args)


# --- Requests -------------------------------------------------------------------------------


class People:
    """Requests as each person, logged in once: each request's writes (the session's
    too) are rolled back after it, and the person's session cookie put back."""

    def __init__(self, client, world: World):
        self.client = client
        # A failing view answers 500, named among the failures, instead of raising.
        client.raise_request_exception = False
        self.cookies = {}
        for role in PEOPLE:
            client.cookies.clear()
            client.force_login(world.people[role])
            self.cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value

    def request(self, role, method, url, data=None, **extra):
        self.client.cookies.clear()
        self.client.cookies[settings.SESSION_COOKIE_NAME] = self.cookies[role]
        with rolled_back():
            response = getattr(self.client, method)(url, data, **extra)
            if response.streaming:
                b"".join(response.streaming_content)
        return response


@contextmanager
def rolled_back():
    block = transaction.atomic()
    # As Django's TestCase marks its own: a service's durable block still runs inside.
    block._from_testcase = True
    with block:
        yield
        transaction.set_rollback(True)


class _Errors(HTMLParser):
    """The text of each element whose class is one of ERROR_CLASSES."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depths: list[int] = []
        self.depth = 0
        self.texts: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("input", "br", "img", "meta", "link", "hr"):
            return
        self.depth += 1
        classes = (dict(attrs).get("class") or "").split()
        if any(c in ERROR_CLASSES for c in classes):
            self.depths.append(self.depth)
            self.texts.append([])

    def handle_endtag(self, tag):
        if tag in ("input", "br", "img", "meta", "link", "hr"):
            return
        if self.depths and self.depths[-1] == self.depth:
            self.depths.pop()
        self.depth -= 1

    def handle_data(self, data):
        if self.depths:
            self.texts[-1].append(data)


def error_texts(html: str) -> list[str]:
    parser = _Errors()
    parser.feed(html)
    return [" ".join("".join(t).split()) for t in parser.texts]


def problems(response, what: str, value_name: str) -> list[str]:
    """What is wrong with the answer to a bad value: a 500; a NUL not refused with the
    Thai page; an error shown that is not in Thai."""
    status = response.status_code
    if status >= 500:
        return [f"{what}: {status}"]
    if value_name == "nul":
        if status != 400 or NUL_REFUSED not in visible_text(response, status=None):
            return [f"{what}: NUL answered {status}, not the Thai refusal"]
        return []
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        html = response.content.decode()
        return [
            f"{what}: error not in Thai: {text[:120]!r}"
            for text in error_texts(html)
            if text and not THAI.search(text)
        ]
    return []


def post_forms(html: str, page_url: str) -> list[tuple[str, dict]]:
    """(action, data) of each form on the page that posts."""
    forms = []
    for match in re.finditer(r"<form\b([^>]*)>.*?</form>", html, re.S | re.I):
        attrs = match[1]
        if not re.search(r"method=[\"']?post", attrs, re.I):
            continue
        action = re.search(r"action=\"([^\"]*)\"", attrs)
        target = action[1].replace("&amp;", "&") if action and action[1] else page_url
        forms.append((target, form_data(match[0])))
    return forms


MANAGEMENT = re.compile(r"-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$")


def field_names(data: dict) -> list[str]:
    """The fields a person fills: the first row of each inline; not the CSRF token,
    not the formsets' management fields (test_every_form_with_each_field_bad sends
    those bad all at once)."""
    return [
        name
        for name in data
        if name != "csrfmiddlewaretoken"
        and not re.search(r"-[1-9]\d*-", name)
        and not MANAGEMENT.search(name)
    ]


def form_key(action: str, data: dict) -> tuple:
    """A form by what it is: an admin's add and change forms are one form (its
    change form is posted, which also has the rows it changes)."""
    path = re.sub(r"/(\d+/change|add)/$", "/<form>/", action)
    return path, tuple(sorted(n for n in data if not re.search(r"-[1-9]\d*-", n)))


def _project_module(module_name: str) -> bool:
    module = sys.modules.get(module_name)
    path = getattr(module, "__file__", "") or ""
    return path.startswith(str(settings.BASE_DIR)) and "/.venv/" not in path


def with_query(url: str, name: str, value: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode({name: value})}"


def test_every_url_with_bad_query_and_post_parameters(client, world):
    people, failures, tried = People(client, world), [], 0
    for name, pattern in sorted(all_urls(world).items()):
        url = url_of(world, name, pattern)
        module = pattern.callback.__module__
        if url is None or not _project_module(module):
            continue  # Django's own views: the admin's are walked below
        reads = {m: parameters_read(pattern.callback, m) for m in ("GET", "POST")}
        for role in PEOPLE:
            for value_name, value in BAD_VALUES.items():
                for parameter in sorted(reads["GET"]):
                    response = people.request(role, "get", with_query(url, parameter, value))
                    what = f"GET {name} ?{parameter}={value_name} as {role}"
                    failures += problems(response, what, value_name)
                    tried += 1
                if NOT_POSTED.search(url):
                    continue
                for parameter in sorted(reads["POST"]):
                    response = people.request(role, "post", url, {parameter: value})
                    what = f"POST {name} {parameter}={value_name} as {role}"
                    failures += problems(response, what, value_name)
                    tried += 1
    assert tried > 100
    assert failures == [], "\n".join(failures)


def test_every_number_in_a_path_too_large(client, world):
    """A path's number past any id (the converters take ASCII digits only): not found."""
    people, failures = People(client, world), []
    huge = BAD_VALUES["huge number"]
    for name, pattern in sorted(all_urls(world).items()):
        if NOT_POSTED.search(str(pattern.pattern)):
            continue
        args = world.args.get(name) or []
        for index, arg in enumerate(args):
            if not isinstance(arg, int):
                continue
            changed = [huge if i == index else a for i, a in enumerate(args)]
            url = reverse(name, args=changed)
            for role in PEOPLE:
                response = people.request(role, "get", url)
                if response.status_code >= 500:
                    failures.append(f"GET {url} as {role}: {response.status_code}")
    assert failures == [], "\n".join(failures)


def _page_forms(people: People, world: World) -> dict[tuple, tuple[str, str, dict]]:
    """Every form that posts on every page the two people open, each once (by its
    action and fields), as the coordinator when they have it (their choices are the
    narrower ones), else as the superuser: {form_key: (role, action, data)}."""
    forms = {}
    for name, pattern in sorted(all_urls(world).items()):
        url = url_of(world, name, pattern)
        if url is None or NOT_POSTED.search(url):
            continue
        for role in ("coordinator", "superuser"):
            page = people.request(role, "get", url)
            if page.status_code != 200 or page.streaming:
                continue
            if not page.get("Content-Type", "").startswith("text/html"):
                continue
            for action, data in post_forms(page.content.decode(), url):
                if NOT_POSTED.search(action.split("?")[0]):
                    continue
                key = form_key(action, data)
                if key not in forms or action.endswith("/change/"):
                    forms[key] = (role, action, data)
    return forms


def test_every_form_with_each_field_bad(client, world):
    """Each field of each form with each bad value but NUL, which is refused before
    any field is read (once per form proves it)."""
    people, failures = People(client, world), []
    forms = _page_forms(people, world)
    assert len(forms) > 40, sorted(forms)
    for role, action, data in sorted(forms.values()):
        fields = field_names(data)
        first = fields[0] if fields else "field"  # a form of buttons: an extra field
        response = people.request(role, "post", action, {**data, first: BAD_VALUES["nul"]})
        failures += problems(response, f"POST {action} {first}=nul as {role}", "nul")
        management = {n: BAD_VALUES["superscript digit"] for n in data if MANAGEMENT.search(n)}
        if management:
            response = people.request(role, "post", action, {**data, **management})
            failures += problems(response, f"POST {action} formsets' management", "")
        for field in fields:
            for value_name, value in BAD_VALUES.items():
                if value_name == "nul":
                    continue
                response = people.request(role, "post", action, {**data, field: value})
                what = f"POST {action} {field}={value_name} as {role}"
                failures += problems(response, what, value_name)
    assert failures == [], "\n".join(failures)


def _changelist_parameters(model_admin, user) -> set[str]:
    """The parameters of the changelist's filters (as this person sees them), its
    date hierarchy, search, ordering and page."""
    request = RequestFactory().get("/")
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    names = {"o", "p"}
    for spec in changelist.filter_specs:
        names |= set(spec.expected_parameters())
    if model_admin.get_search_fields(request):
        names.add("q")
    if changelist.date_hierarchy:
        names |= {f"{changelist.date_hierarchy}__{p}" for p in ("year", "month", "day")}
    return names


def test_every_admin_changelist_filter_with_bad_values(client, world):
    people, failures = People(client, world), []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        for role in PEOPLE:
            user = world.people[role]
            if not model_admin.has_view_permission(_as(user)):
                continue
            for parameter in sorted(_changelist_parameters(model_admin, user)):
                for value_name, value in BAD_VALUES.items():
                    response = people.request(role, "get", with_query(url, parameter, value))
                    what = f"GET {url} ?{parameter}={value_name} as {role}"
                    failures += problems(response, what, value_name)
    assert failures == [], "\n".join(failures)


def _as(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _autocompletes() -> list[dict]:
    """The admin's autocomplete fields, each as the autocomplete view's parameters."""
    found = []
    for model, model_admin in admin.site._registry.items():
        for owner in (model_admin, *(i(model, admin.site) for i in model_admin.inlines)):
            for field in owner.autocomplete_fields:
                opts = owner.model._meta
                found.append(
                    {
                        "app_label": opts.app_label,
                        "model_name": opts.model_name,
                        "field_name": field,
                    }
                )
    return found


def test_admin_autocomplete_with_bad_values(client, world):
    people, failures = People(client, world), []
    fields = _autocompletes()
    assert len(fields) >= 4, fields
    url = reverse("admin:autocomplete")
    for role in PEOPLE:
        for value_name, value in BAD_VALUES.items():
            for field in fields:
                query = {**field, "term": value}
                response = people.request(role, "get", f"{url}?{urlencode(query)}")
                failures += problems(response, f"autocomplete {query} as {role}", value_name)
            for parameter in ("app_label", "model_name", "field_name", "page"):
                query = {**fields[0], "term": "ก", parameter: value}
                response = people.request(role, "get", f"{url}?{urlencode(query)}")
                failures += problems(response, f"autocomplete {parameter} as {role}", value_name)
    assert failures == [], "\n".join(failures)
