"""Processes replaced before they hoard memory, as the settings ask: the Celery worker's
children after a number of jobs (or a job that left them large), gunicorn's workers
after a number of requests each of their own drawing, so that they do not all restart
together. Real workers and a real gunicorn, started and stopped by the tests."""

import json
import subprocess
import sys
import time
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

from celery import Celery

from ita_portal.tests.test_settings_postgres import gunicorn
from ita_portal.tests.test_settings_redis import RedisServer, environment, redis_server  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]


def worker_settings(**env) -> dict:
    code = (
        "import json; from ita_portal.celery import app; "
        "print(json.dumps([app.conf.worker_max_tasks_per_child, "
        "app.conf.worker_max_memory_per_child]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_worker_replaces_its_children_after_jobs_and_memory_the_environment_gives():
    assert worker_settings() == [100, 512 * 1024]  # KiB
    assert worker_settings(
        CELERY_WORKER_MAX_TASKS_PER_CHILD="7", CELERY_WORKER_MAX_MEMORY_MIB="300"
    ) == [7, 300 * 1024]


def _children(client: Celery, name: str) -> list[int]:
    stats = client.control.inspect(destination=[name], timeout=2).stats() or {}
    return stats.get(name, {}).get("pool", {}).get("processes", [])


def test_a_worker_child_left_larger_than_the_limit_is_replaced(redis_server):  # noqa: F811
    """A real worker whose children, with the portal loaded, are over 64 MiB already:
    each job leaves its child over the limit, so each job gets a fresh child."""
    name = f"ita-test-{uuid.uuid4().hex[:12]}@localhost"
    queue = f"ita-test-{uuid.uuid4().hex}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ita_portal", "worker", "--hostname", name,
         "--queues", queue, "--pool", "prefork", "--concurrency", "1", "--without-gossip",
         "--without-mingle", "--loglevel", "WARNING"],
        cwd=ROOT,
        env=environment(REDIS_URL=redis_server.url, CELERY_WORKER_MAX_MEMORY_MIB="64"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = Celery(broker=redis_server.url, backend=redis_server.url, set_as_current=False)
    try:
        children = []
        for _ in range(60):
            children = _children(client, name)
            if children:
                break
            time.sleep(0.5)
        assert len(children) == 1, "the worker did not answer"
        seen = [children[0]]
        for _ in range(2):
            result = client.send_task("ita_portal.ping", queue=queue)
            assert result.get(timeout=60) == "pong"
            for _ in range(60):  # the child is replaced once its job is done
                children = _children(client, name)
                if children and children[0] not in seen:
                    break
                time.sleep(0.5)
            seen.append(children[0] if children else None)
        assert len(set(seen)) == 3, seen  # a child for each job
    finally:
        client.close()
        worker.terminate()
        worker.wait(timeout=60)


def test_gunicorn_workers_restart_after_differing_numbers_of_requests(tmp_path):
    """Each worker serves GUNICORN_MAX_REQUESTS plus a jitter of its own drawing (up to
    half as many again): workers under the same load do not all restart at once."""
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    logs = ["--access-logfile", str(access), "--access-logformat", "%(p)s"]
    logs += ["--error-logfile", str(errors), "--log-level", "info"]
    with gunicorn(tmp_path, *logs, GUNICORN_MAX_REQUESTS="4", WEB_CONCURRENCY="3") as site:
        for _ in range(80):
            with urllib.request.urlopen(f"{site}/accounts/login/", timeout=60) as page:
                assert page.status == 200
    served = Counter(access.read_text().split())  # requests per worker, "<pid>"
    assert sum(served.values()) == 80
    # Workers that restarted, each having reached its own number.
    retired = [
        served[f"<{line.split('] [')[1]}>"]
        for line in errors.read_text().splitlines()
        if "Autorestarting worker" in line
    ]
    assert len(retired) >= 8
    assert set(retired) <= {4, 5, 6}
    assert len(set(retired)) > 1, retired  # not all after the same number of requests
