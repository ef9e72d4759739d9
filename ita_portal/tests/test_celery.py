"""Background jobs go through a real Celery worker when a broker is configured, and run
in the calling process when none is (local use, the rest of the tests)."""

import hashlib
import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection
from django.urls import reverse

from ita_portal.tasks import ping
from jobs.models import Job
from reports.models import PublishedReport
from testing.local_services import REDIS_URL, needs_redis

ROOT = Path(__file__).resolve().parents[2]


def test_without_a_broker_jobs_run_in_the_calling_process(settings):
    assert settings.CELERY_BROKER_URL.startswith("memory://")
    assert ping.delay().get(timeout=1) == "pong"


@contextmanager
def worker_on_its_own_queue(**env_extra):
    """A Celery worker process (as scripts/serve.sh starts one, with Redis), taking jobs
    from a queue of this test's own so that no other worker on the machine takes them,
    and a client that sends to it: this test process has no broker (its jobs run
    eagerly). Yields (queue, client, output) where output() stops the worker and
    returns what it wrote."""
    queue = f"ita-test-{uuid.uuid4().hex}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.update(REDIS_URL=REDIS_URL, DJANGO_SETTINGS_MODULE="ita_portal.settings", **env_extra)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ita_portal", "worker", "--queues", queue,
         "--pool", "solo", "--without-heartbeat", "--without-gossip", "--without-mingle",
         "--loglevel", "WARNING"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    # Not the current app: this process's own jobs keep running eagerly.
    client = Celery(broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    written = []

    def output() -> str:
        if not written:
            worker.terminate()
            written.append(worker.communicate(timeout=10)[0])
        return written[0]

    try:
        yield queue, client, output
    finally:
        output()
        client.close()
        connection = redis.Redis.from_url(REDIS_URL)
        connection.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        connection.close()
    assert "Traceback" not in output(), output()


@needs_redis
def test_a_real_worker_takes_the_ping_job_from_redis_and_answers():
    with worker_on_its_own_queue() as (queue, client, output):
        result = client.send_task("ita_portal.ping", queue=queue)
        try:
            answer = result.get(timeout=30)
        except Exception:
            pytest.fail(f"no answer from the worker; its output:\n{output()}")
        assert answer == "pong"
        result.forget()


def _database_url() -> str:
    """The test database, as the worker process reaches it."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'])}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@needs_redis
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the worker process needs the test database on a server (PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_publishes_and_the_public_link_serves_that_file(
    client, seed, six, coordinator, media_root
):
    # The job as the publish button makes it (jobs.services.start), sent as the portal
    # sends it: the task "jobs.run" with the job's id.
    job = Job.objects.create(
        kind=Job.Kind.PUBLISH,
        organization=seed.organization,
        round=six,
        requested_by=coordinator,
        task_id=str(uuid.uuid4()),
    )
    with worker_on_its_own_queue(
        DATABASE_URL=_database_url(), DJANGO_MEDIA_ROOT=str(media_root)
    ) as (queue, celery, output):
        celery.send_task("jobs.run", args=[job.pk], task_id=job.task_id, queue=queue)
        deadline = time.monotonic() + 120
        while job.is_active and time.monotonic() < deadline:
            time.sleep(0.2)
            job.refresh_from_db()
        assert job.state == Job.State.DONE, f"{job.state} {job.message}\n{output()}"

    report = PublishedReport.objects.get()
    assert job.result_id == report.pk and report.published_by == coordinator
    served = client.get(reverse("reports:public_pdf", args=["ubon-pao", 2566, 6]))
    pdf = b"".join(served.streaming_content)
    assert hashlib.sha256(pdf).hexdigest() == report.sha256 == served["X-Content-SHA256"]
    assert pdf.startswith(b"%PDF")
    client.force_login(coordinator)
    page = client.get(reverse("reports:page", args=["ubon-pao", 2566, 6]) + f"?job={job.pk}")
    assert "เผยแพร่รายงานฉบับที่ 1 แล้ว" in page.content.decode()
