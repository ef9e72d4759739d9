"""Background jobs go through a real Celery worker when a broker is configured, and run
in the calling process when none is (local use, the rest of the tests)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery

from ita_portal.tasks import ping
from ita_portal.tests.local_services import REDIS_URL, needs_redis

ROOT = Path(__file__).resolve().parents[2]


def test_without_a_broker_jobs_run_in_the_calling_process(settings):
    assert settings.CELERY_BROKER_URL.startswith("memory://")
    assert ping.delay().get(timeout=1) == "pong"


@needs_redis
def test_a_real_worker_takes_the_ping_job_from_redis_and_answers():
    # A queue of this test's own, so that no other worker on the machine takes the job.
    queue = f"ita-test-{uuid.uuid4().hex}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.update(REDIS_URL=REDIS_URL, DJANGO_SETTINGS_MODULE="ita_portal.settings")
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
    # A client of its own: this test process has no broker (its jobs run eagerly).
    client = Celery(broker=REDIS_URL, backend=REDIS_URL)
    try:
        result = client.send_task("ita_portal.ping", queue=queue)
        try:
            answer = result.get(timeout=30)
        except Exception:
            worker.terminate()
            pytest.fail(f"no answer from the worker; its output:\n{worker.communicate()[0]}")
        assert answer == "pong"
        result.forget()
    finally:
        worker.terminate()
        output = worker.communicate(timeout=10)[0]
        client.close()
        connection = redis.Redis.from_url(REDIS_URL)
        connection.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        connection.close()
    assert "Traceback" not in output, output
