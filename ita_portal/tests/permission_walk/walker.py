"""How the walk asks and what it checks: each person's session (logged in once), a
valid CSRF token on every POST, each request in a savepoint that is rolled back after
it (so every person finds the world as built), where each redirect goes, and for a
POST whether the write happened (in the database) or nothing changed at all.

Expected answers, per person in ROLES order:
- a status code (200, 400, 403, 404, 405, 409);
- LOGIN / ADMIN_LOGIN: a redirect to the portal's or the admin's login page, with
  `next=` the page asked for;
- Go(url): a redirect to that page (Go(url, prefix=True): to that page with more
  after it, such as a job's number);
- Wrote(answer): that answer, and the write the visit describes is in the database.
Any answer not marked Wrote must change nothing: no INSERT, UPDATE or DELETE ran
(the session table aside) and the rows of the visit's tables are as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reports.selectors import forget_local_pdfs

ROLES = [
    "anonymous",
    "no_membership",
    "staff_own",  # staff of A's division that owns measure 1 (กองการเจ้าหน้าที่)
    "staff_other",  # staff of another division of A (กองคลัง)
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


# --- Expected answers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Go:
    """A redirect to `url`; with `pattern`, to a URL matching it (a new row's page)."""

    url: str
    prefix: bool = False
    pattern: bool = False

    def matches(self, location: str) -> bool:
        if self.pattern:
            return re.fullmatch(self.url, location) is not None
        return location == self.url or (self.prefix and location.startswith(self.url))

    def __str__(self):
        return f"302 → {self.url}{'…' if self.prefix else ''}"


@dataclass(frozen=True)
class ToLogin:
    login: str

    def __str__(self):
        return f"302 → {self.login}?next=(this page)"


@dataclass(frozen=True)
class Wrote:
    answer: object

    def __str__(self):
        return f"{self.answer} (written)"


LOGIN = ToLogin("/accounts/login/")
ADMIN_LOGIN = ToLogin("/admin/login/")


def _answer_problem(response, url: str, expected) -> str | None:
    """What is wrong with the answer (None: as expected), the write aside."""
    expected = expected.answer if isinstance(expected, Wrote) else expected
    if isinstance(expected, int):
        if response.status_code != expected:
            return f"{response.status_code}{_where(response)} != {expected}"
        return None
    if response.status_code != 302:
        return f"{response.status_code} != {expected}"
    location = response["Location"]
    if isinstance(expected, ToLogin):
        parts = urlsplit(location)
        nexts = [unquote(n) for n in parse_qs(parts.query).get("next", [])]
        if parts.path != expected.login or nexts != [unquote(url)]:
            return f"302 → {unquote(location)} != {expected}"
        return None
    if expected.matches(unquote(location)):
        return None
    return f"302 → {unquote(location)} != {expected}"


def _form_errors(response) -> str:
    """The errors a form page shows, to say why a write was not taken."""
    found = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    return f" (form errors: {[re.sub(r'<[^>]+>', ' ', e).strip() for e in found]})" if found else ""


def _where(response) -> str:
    return f" → {unquote(response['Location'])}" if response.status_code == 302 else ""


# --- A visit: one URL, one method, every person -----------------------------------------------


@dataclass
class Visit:
    """`data(walker)` makes the POST body, from `walker.page(role, url)`, the HTML a
    person gets for a URL (form_data on the page where the person can see the form). `done(seen)`
    tells whether the write is in the database now (`seen.session_key`: the
    person's session). `tables` are the models whose rows must not change when
    the answer is not Wrote."""

    name: str
    method: str
    url: str
    expected: list
    data: Callable | dict | None = None
    done: Callable | None = None
    tables: tuple = ()

    def __post_init__(self):
        assert len(self.expected) == len(ROLES), self.url
        if any(isinstance(e, Wrote) for e in self.expected):
            assert self.done is not None, f"{self.url}: a write without a check"


@dataclass
class Seen:
    role: str
    user: object
    session_key: str | None


def _rows(models) -> list:
    return [list(m._base_manager.order_by("pk").values_list()) for m in models]


WRITE_SQL = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
SAVEPOINT_SQL = re.compile(r'^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT) "?(\w+)', re.I)


def _writes(queries) -> list[str]:
    """The statements that changed rows and were kept, apart from the session's own:
    what a savepoint rolled back (an import's dry run) is left out."""
    stack: list[tuple[str | None, list[str]]] = [(None, [])]
    for query in queries:
        sql = query["sql"]
        if marker := SAVEPOINT_SQL.match(sql):
            kind, name = marker.group(1).upper(), marker.group(2)
            if kind == "SAVEPOINT":
                stack.append((name, []))
            elif any(n == name for n, _ in stack[1:]):
                while stack[-1][0] != name:
                    _, inner = stack.pop()
                    stack[-1][1].extend(inner)
                _, inner = stack.pop()
                if kind == "RELEASE SAVEPOINT":
                    stack[-1][1].extend(inner)
        elif WRITE_SQL.match(sql) and "django_session" not in sql[:60]:
            stack[-1][1].append(sql[:160])
    return [sql for _, writes in stack for sql in writes]


def _empty_local_caches():
    """What an allowed write left in the process's caches is forgotten with the rows
    rolled back (the newest published PDF, say)."""
    for cache in caches.all():
        if isinstance(cache, LocMemCache):
            cache.clear()
    forget_local_pdfs()


class Walker:
    """Requests as each person, each in a session of their own: logged in once (a
    login, logout or password change that the savepoint rolls back leaves the session
    as it was) and with the CSRF token a page gave them."""

    def __init__(self, client, people: dict):
        self.client = client
        self.people = people
        self.cookies: dict[str, dict[str, str]] = {}
        self.tokens: dict[str, str] = {}
        self.pages: dict[tuple[str, str], str] = {}

    def _enter(self, role: str):
        client = self.client
        client.cookies.clear()
        user = self.people[role]
        if role not in self.cookies:
            if user is not None:
                client.force_login(user)
            # The login page is open to everyone and carries a token in its form.
            page = client.get(reverse("login"))
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            self.tokens[role] = token.group(1)
            self.cookies[role] = {k: m.value for k, m in client.cookies.items() if m.value}
        for name, value in self.cookies[role].items():
            client.cookies[name] = value

    def _session_key(self, role: str) -> str | None:
        return self.cookies.get(role, {}).get(settings.SESSION_COOKIE_NAME)

    def request(self, role: str, method: str, url: str, data=None):
        """The answer, read to its end; in a savepoint rolled back after it."""
        self._enter(role)
        if method == "post":
            data = {**(data or {}), "csrfmiddlewaretoken": self.tokens[role]}
        with _rolled_back():
            response = self._send(method, url, data)
        self._keep_session(role)
        return response

    def _send(self, method, url, data):
        response = getattr(self.client, method)(url, data)
        if response.streaming:
            b"".join(response.streaming_content)
        return response

    def _keep_session(self, role):
        """A session a request ended or replaced comes back with the rolled-back rows;
        one that is gone for good is made again on the next request."""
        key = self._session_key(role)
        sent = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        if sent is not None and sent.value == key:
            return  # the same session, untouched by the answer
        if key and not Session.objects.filter(session_key=key).exists():
            del self.cookies[role]

    def page(self, role: str, url: str) -> str:
        """The HTML `role` gets for GET `url` (what they see; asked once)."""
        if (role, url) not in self.pages:
            response = self.request(role, "get", url)
            assert response.status_code == 200, f"GET {url} as {role}: {response.status_code}"
            self.pages[role, url] = response.content.decode()
        return self.pages[role, url]

    def check(self, visit: Visit) -> list[str]:
        """Every person's answer to the visit, and for a POST its write or none."""
        failures = []
        data = visit.data(self) if callable(visit.data) else visit.data
        for role, expected in zip(ROLES, visit.expected, strict=True):
            label = f"{visit.method.upper()} {visit.url} as {role}"
            try:
                problem = self._one(visit, role, expected, data)
            except AssertionError as error:
                problem = str(error)
            if problem:
                failures.append(f"{label}: {problem}")
        return failures

    def _one(self, visit: Visit, role: str, expected, data) -> str | None:
        self._enter(role)
        seen = Seen(role, self.people[role], self._session_key(role))
        if visit.method == "get":
            response = self.request(role, "get", visit.url)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                self.pages.setdefault((role, visit.url), response.content.decode())
            return _answer_problem(response, visit.url, expected)
        body = {**(data or {}), "csrfmiddlewaretoken": self.tokens[role]}
        for value in body.values():
            if hasattr(value, "seek"):
                value.seek(0)  # a file is sent whole to each person
        with _rolled_back():
            if visit.done is not None and visit.done(seen):
                return "the write is there before the request"
            before = _rows(visit.tables)
            with CaptureQueriesContext(connection) as queries:
                response = self._send("post", visit.url, body)
            problem = _answer_problem(response, visit.url, expected)
            if problem and response.status_code == 200:
                problem += _form_errors(response)
            if isinstance(expected, Wrote):
                if not visit.done(seen):
                    problem = problem or f"{response.status_code}{_where(response)}: not written"
            else:
                if writes := _writes(queries.captured_queries):
                    problem = problem or f"{response.status_code} yet wrote: {writes}"
                if visit.done is not None and visit.done(seen) or _rows(visit.tables) != before:
                    problem = problem or f"{response.status_code}: rows changed"
        if isinstance(expected, Wrote):
            _empty_local_caches()
        self._keep_session(role)
        return problem


class _rolled_back:
    """A savepoint rolled back at its end. Marked as Django's TestCase marks its own
    blocks, so that a service's durable block (publishing) still runs inside it."""

    def __enter__(self):
        self.atomic = transaction.atomic()
        self.atomic._from_testcase = True
        self.atomic.__enter__()

    def __exit__(self, *exc):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        return False


def run(walker: Walker, visits: list[Visit]) -> list[str]:
    failures = []
    for visit in visits:
        failures += walker.check(visit)
    return failures


@dataclass
class Rules:
    """The walk's visits by URL name; a name needs a GET and a POST visit (the walk
    POSTs to every URL: a page that only shows says so, 405 or nothing written)."""

    visits: list[Visit] = field(default_factory=list)

    def add(self, *visits: Visit):
        self.visits.extend(visits)

    def names(self, method: str) -> set[str]:
        return {v.name for v in self.visits if v.method == method}
