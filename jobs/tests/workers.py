"""Real processes for the jobs' recovery tests: a redis-server of the test's own (no
other worker on the machine takes its messages, and the test may kill it), Celery
workers started as deploy/supervisord.conf starts them, and waits on what PostgreSQL
says a worker's connection is doing."""

import configparser
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection

from jobs.models import Job

ROOT = Path(__file__).resolve().parents[2]
SUPERVISORD = ROOT / "deploy" / "supervisord.conf"

needs_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="a worker process shares the test database only on a server (PostgreSQL)",
)


def _spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of this test's own, keeping nothing on disk (as a Redis with the
    default snapshots keeps nothing written since the last one)."""

    def __init__(self, directory: Path):
        self.port = _spare_port()
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.start()

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        wait_for(lambda: _pings(client), 10, "redis-server did not start")
        client.close()

    def kill(self):
        self.process.kill()
        self.process.wait()


def _pings(client) -> bool:
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


def wait_for(condition, seconds: float, what):
    """`what` says what failed (a callable: read when it fails, e.g. a worker's log)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(what() if callable(what) else what)


def database_url() -> str:
    """The test database, as a worker process reaches it."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'])}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def raw_connection() -> psycopg.Connection:
    """A connection of its own to the test database, to hold locks with."""
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"] or None,
        dbname=db["NAME"],
    )  # fmt: skip


def shipped_command(program: str, env: dict) -> list[str]:
    """A program's command in deploy/supervisord.conf, its variables filled in."""
    parser = configparser.RawConfigParser()
    parser.read(SUPERVISORD)
    command = parser[f"program:{program}"]["command"]
    command = command.replace("%(here)s/../.venv/bin/celery", f"{sys.executable} -m celery")
    for name, value in env.items():
        command = command.replace(f"%(ENV_{name})s", value)
    return shlex.split(command.replace("%%", "%"))


class Worker:
    """A Celery worker process (its own process group, so that it dies whole, as
    with its machine or container)."""

    def __init__(self, program: str, redis_url: str, media_root, log: Path):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
        env.update(
            REDIS_URL=redis_url,
            DATABASE_URL=database_url(),
            DJANGO_SETTINGS_MODULE="ita_portal.settings",
            DJANGO_MEDIA_ROOT=str(media_root),
            DJANGO_LOG_FORMAT="plain",
            ITA_JOB_HEARTBEAT_SECONDS="1",
            CELERY_CONCURRENCY="1",
            CELERY_DRAFT_CONCURRENCY="1",
        )
        self.log = log
        with log.open("a") as output:
            self.process = subprocess.Popen(
                shipped_command(program, env),
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self):
        """SIGKILL to the worker and its child processes at once."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text()


def send(redis_url: str, job: Job, queue: str) -> None:
    """The job's message, as jobs.services.enqueue sends it."""
    client = Celery(broker=redis_url, set_as_current=False)
    try:
        client.send_task("jobs.run", args=[job.pk], task_id=job.task_id, queue=queue)
    finally:
        client.close()


def waiting_on_lock(statement: str) -> bool:
    """Whether a connection of the worker waits for a lock in a statement starting so."""
    with raw_connection() as watcher:
        found = watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE %s",
            [statement + "%"],
        ).fetchone()[0]
    return bool(found)


def end_waiting(statement: str) -> None:
    """End the server side of a killed worker's connection that waits for a lock in a
    statement starting so: as if the worker had died before sending it (the server
    would otherwise finish it once the lock is free, before it sees the client gone)."""
    with raw_connection() as watcher:
        watcher.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            " AND query LIKE %s",
            [statement + "%"],
        )


def settled(job: Job, seconds: float = 120) -> Job:
    """The job once it is no longer queued or running (or as it is after `seconds`)."""
    deadline = time.monotonic() + seconds
    job.refresh_from_db()
    while job.state in Job.ACTIVE and time.monotonic() < deadline:
        time.sleep(0.3)
        job.refresh_from_db()
    return job
