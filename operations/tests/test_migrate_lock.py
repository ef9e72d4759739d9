"""Two app servers starting a release at once both migrate the same fresh PostgreSQL
database: the second waits for the first (operations/management/commands/migrate.py)
instead of failing half-way."""

import os
import subprocess
import sys
from pathlib import Path

from operations.tests.services import create_database, drop_database, needs_postgres

ROOT = Path(__file__).resolve().parents[2]
DATABASE = f"ita_test_migrate_lock_{os.getpid()}"


def environment(database_url: str) -> dict:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    settings = {"DJANGO_SETTINGS_MODULE": "ita_portal.settings", "DATABASE_URL": database_url}
    return {**inherited, **settings}


def start_migrate(database_url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=environment(database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@needs_postgres
def test_two_servers_migrating_at_once_both_succeed():
    url = create_database(DATABASE)
    try:
        servers = [start_migrate(url) for _ in range(2)]
        outputs = [server.communicate(timeout=600)[0] for server in servers]
        for server, output in zip(servers, outputs, strict=True):
            assert server.returncode == 0, output
        # One applied the migrations, the other found nothing left to do.
        applied = [output.count("... OK") for output in outputs]
        assert min(applied) == 0 < max(applied), outputs
        check = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--check", "--noinput"],
            cwd=ROOT,
            env=environment(url),
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stdout + check.stderr  # nothing unapplied
    finally:
        drop_database(DATABASE)
