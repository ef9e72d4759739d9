"""A worker process killed mid-job (issue 18, item 14): the line Celery's main process
logs about it (WorkerLostError) carries the job's id and the task's id, in production's
JSON lines. Against a real redis-server and a worker started as deploy/supervisord.conf
starts it, whose process running the job is SIGKILLed while PostgreSQL holds it."""

import json
import os
import signal
import subprocess
import uuid
from pathlib import Path

import pytest

from jobs.models import Job
from jobs.tests.workers import (
    ROOT,
    RedisServer,
    database_url,
    needs_postgres,
    raw_connection,
    send,
    shipped_command,
    wait_for,
    waiting_on_lock,
)
from testing.local_services import redis_reachable

pytestmark = [
    needs_postgres,
    pytest.mark.skipif(not redis_reachable(), reason="no redis-server on this machine"),
    pytest.mark.django_db(transaction=True),
]


def start_worker(redis_url: str, media_root, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.update(
        REDIS_URL=redis_url,
        DATABASE_URL=database_url(),
        DJANGO_SETTINGS_MODULE="ita_portal.settings",
        DJANGO_MEDIA_ROOT=str(media_root),
        DJANGO_LOG_FORMAT="json",
        DJANGO_LOG_LEVEL="INFO",
        CELERY_CONCURRENCY="1",
    )
    with log.open("a") as output:
        return subprocess.Popen(
            shipped_command("worker", env),
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def records(log: Path) -> list[dict]:
    found = []
    for line in log.read_text().splitlines():
        try:
            found.append(json.loads(line))
        except ValueError:
            continue  # a plain line (a warning written before logging is set up)
    return found


def test_the_lost_workers_line_names_the_job(tmp_path, media_root, coordinator, six):
    broker = RedisServer(tmp_path)
    blocker = raw_connection()
    log = tmp_path / "worker.log"
    worker = None
    try:
        job = Job.objects.create(
            kind=Job.Kind.PUBLISH,
            organization=six.organization,
            round=six,
            requested_by=coordinator,
            task_id=str(uuid.uuid4()),
        )
        # Version 1 held by another transaction: the job waits there, in the child.
        blocker.execute(
            "INSERT INTO reports_publishedreport (round_id, version, pdf, sha256,"
            " content_sha256, size, published_by_id, published_at, withdrawal_reason)"
            " VALUES (%s, 1, 'x', 'x', 'x', 1, %s, now(), '')",
            [six.pk, coordinator.pk],
        )
        worker = start_worker(broker.url, media_root, log)
        send(broker.url, job, "urgent")
        wait_for(lambda: waiting_on_lock('INSERT INTO "reports_publishedreport"'), 120,
                 lambda: f"the job never reached its row:\n{log.read_text()}")  # fmt: skip
        for child in children(worker.pid):
            os.kill(child, signal.SIGKILL)

        def lost():
            return [r for r in records(log) if "WorkerLostError" in json.dumps(r)]

        (line, *_) = wait_for(lost, 60, lambda: f"no WorkerLostError line:\n{log.read_text()}")
        assert (line.get("job_id"), line.get("task_id")) == (job.pk, job.task_id), line
    finally:
        blocker.rollback()
        blocker.close()
        if worker is not None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        broker.kill()
