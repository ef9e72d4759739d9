"""What the portal's settings make of PostgreSQL dropping connections and of long
statements, against the real test database (PostgreSQL only) and a real gunicorn
started as `make serve` starts it (ita_portal/gunicorn.conf.py)."""

import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
OURS = ("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "GUNICORN_", "WEB_CONCURRENCY", "PORT")

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="PostgreSQL only (DATABASE_URL=postgres://...)",
)


def test_database_url(application_name: str) -> str:
    """The test database, as a DATABASE_URL whose connections carry this name."""
    db = connection.settings_dict
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return (
        f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        f"?application_name={application_name}"
    )


test_database_url.__test__ = False  # a helper, not a test


def environment(**env) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    environ.update(env)
    return environ


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@contextmanager
def gunicorn(tmp_path: Path, *options: str, **env):
    """The portal under gunicorn (one worker unless WEB_CONCURRENCY says), with these
    command-line options; yields its address."""
    port = spare_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "ita_portal/gunicorn.conf.py", *options],
        cwd=ROOT,
        env=environment(
            PORT=str(port),
            **{
                "WEB_CONCURRENCY": "1",
                "DJANGO_DEBUG": "1",  # static files without collectstatic
                "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
                "GUNICORN_LOG_LEVEL": "warning",
                **env,
            },
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert server.poll() is None, "gunicorn stopped"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def connections_named(application_name: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [application_name]
        )
        return [pid for (pid,) in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_the_first_request_after_postgresql_dropped_the_connection_succeeds(tmp_path):
    name = f"ita-test-{uuid.uuid4().hex[:12]}"
    with gunicorn(tmp_path, DATABASE_URL=test_database_url(name)) as site:
        # The master loaded the portal before forking (preload_app) without a connection.
        assert connections_named(name) == []
        assert get(f"{site}/") == 200
        kept = connections_named(name)
        assert len(kept) == 1  # kept for the next request (DATABASE_CONN_MAX_AGE)

        with connection.cursor() as cursor:  # as a PostgreSQL restart would
            cursor.execute("SELECT pg_terminate_backend(%s)", kept)

        assert get(f"{site}/") == 200
        assert get(f"{site}/") == 200
        renewed = connections_named(name)
        assert len(renewed) == 1 and renewed != kept  # a new one, kept again


@pytest.mark.django_db(transaction=True)
def test_postgresql_cancels_a_statement_longer_than_the_statement_timeout():
    code = (
        "import django; django.setup()\n"
        "from django.db import OperationalError, connection\n"
        "try:\n"
        "    connection.cursor().execute('SELECT pg_sleep(30)')\n"
        "except OperationalError as error:\n"
        "    print('cancelled:', error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment(
            DJANGO_SETTINGS_MODULE="ita_portal.settings",
            DATABASE_URL=test_database_url("ita-test-statement-timeout"),
            DATABASE_STATEMENT_TIMEOUT="1",
        ),
        capture_output=True,
        text=True,
        timeout=120,  # a guard only
    )
    assert "cancelled: canceling statement due to statement timeout" in result.stdout, (
        result.stdout + result.stderr
    )


def _web_server_environment(monkeypatch, **env) -> str | None:
    """DATABASE_STATEMENT_TIMEOUT after gunicorn has read ita_portal/gunicorn.conf.py
    (its workers, forked from it, read the settings with that environment)."""
    # Each set first, so that monkeypatch takes away what the file sets, too.
    for name in [n for n in os.environ if n.startswith(OURS)] + ["DATABASE_STATEMENT_TIMEOUT"]:
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    runpy.run_path(str(ROOT / "ita_portal" / "gunicorn.conf.py"))
    return os.environ.get("DATABASE_STATEMENT_TIMEOUT")


def test_the_web_server_cancels_statements_a_little_before_it_gives_up_on_a_request(
    monkeypatch,
):
    assert _web_server_environment(monkeypatch) == "25"
    assert _web_server_environment(monkeypatch, GUNICORN_TIMEOUT="60") == "55"
    assert _web_server_environment(monkeypatch, DATABASE_STATEMENT_TIMEOUT="0") == "0"
