"""Real concurrency for the tests: transactions in threads of their own, each with its
own database connection, ordered by events and by what PostgreSQL's locks show, never
by sleeping. The in-memory SQLite test database cannot hold two connections'
transactions at once, so these tests run on PostgreSQL (`postgresql_only`)."""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, connections, transaction

postgresql_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="two connections with open transactions need PostgreSQL (measures/tests/threads.py)",
)


def wait_until_someone_waits_for_a_lock(timeout=10.0):
    """Block until another connection waits on a row lock (PostgreSQL)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("no connection ever waited for the lock")


class Worker(threading.Thread):
    """Runs `job` in its own thread and database connection; keeps result or error."""

    def __init__(self, job):
        super().__init__(daemon=True)
        self.job, self.result, self.error = job, None, None

    def run(self):
        try:
            self.result = self.job()
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            connections.close_all()

    def outcome(self):
        self.join(30)
        assert not self.is_alive(), "the thread hung"
        if self.error:
            raise self.error
        return self.result


class HeldOpen(Worker):
    """Runs `write` in its own thread and transaction and holds the transaction open,
    its rows written and locked but not committed (as while a large evidence file is
    written), until `commit()`, or for `timeout` seconds at the most. `start()` returns
    once the write is done."""

    def __init__(self, write, timeout=10.0):
        self.written, self.may_commit = threading.Event(), threading.Event()

        def job():
            with transaction.atomic():
                result = write()
                self.written.set()
                assert self.may_commit.wait(timeout), "the test never let it commit"
            return result

        super().__init__(job)

    def start(self):
        super().start()
        deadline = time.monotonic() + 10
        while not self.written.wait(0.05):
            if not self.is_alive():
                self.outcome()  # raises what the write raised
            assert time.monotonic() < deadline, "the write did not finish"

    def commit(self):
        self.may_commit.set()
        return self.outcome()
