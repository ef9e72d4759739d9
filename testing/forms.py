"""Test helpers shared by the apps' tests."""

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser

from django.db import connection, transaction


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = form_id is None
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.form_id is not None:
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._add(name, a.get("value", ""))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._add(self._select, value)
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self._add(self._select, self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None
        elif tag == "form" and self.form_id is not None:
            self.inside = False

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_data(html: str, form_id: str | None = None) -> dict:
    """What a browser would submit from the page's form, as test-client POST data."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return {k: v if len(v) > 1 else v[0] for k, v in reader.data.items()}


@contextmanager
def kept_for_the_scope(django_db_blocker, build: Callable[[], object]) -> Iterator[object]:
    """Rows built once for a module (or class) of tests, as Django's TestCase keeps
    what setUpTestData writes for a class: `build()` runs in a transaction that stays
    open while the tests run and is rolled back after the last one. Each test runs in
    its own savepoint inside it (pytest-django's `db`), so what a test writes is rolled
    back after it and the next test finds the rows as built. Yields what `build`
    returned; tests take it through `copy_for_a_test`.

    For TestCase-style tests only: a transactional test (transaction=True,
    live_server) commits and flushes, which it cannot do inside this transaction."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        # As Django's TestCase marks its own: a service's durable block (publishing)
        # still runs inside, as it does inside each test's transaction.
        outer._from_testcase = True
        outer.__enter__()
        try:
            built = build()
        except BaseException as error:
            outer.__exit__(type(error), error, error.__traceback__)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def built_and_rolled_back(django_db_blocker, build: Callable[[], object]) -> object:
    """What `build()` returns, made in a transaction that is rolled back at once: for
    tests that only read something made from rows (a rendered PDF), not the rows."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build()
        transaction.set_rollback(True)
    return built


def copy_for_a_test(built):
    """A test's own copy of what `kept_for_the_scope` built (as TestCase copies the
    class's test data for each test): a test that changes an object in memory leaves
    the next test's copy as built. Fails a test that is not inside the scope's
    transaction (a transactional test), whose commits and flush would reach the rows
    of the other tests."""
    if not connection.in_atomic_block or not connection.savepoint_ids:
        raise RuntimeError("rows kept for the scope are for TestCase-style tests only")
    return copy.deepcopy(built)
