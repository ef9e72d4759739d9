"""What the portal's settings make of a Redis that dies or hangs, against a real
redis-server that each test starts on a spare port and then kills or stops (SIGSTOP):
people stay signed in, and every call to Redis gives up instead of hanging."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Ubon-2566-ratchathani"
OURS = ("DJANGO_", "DATABASE_", "REDIS_", "CELERY_")


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of this test's own, without snapshots."""

    def __init__(self, directory: Path):
        port = spare_port()
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.1)
        client.close()

    def kill(self):
        self.process.kill()
        self.process.wait()

    def hang(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def stop_for_good(self):
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.kill()


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    yield server
    server.stop_for_good()


def environment(**env) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    environ.update(DJANGO_SETTINGS_MODULE="ita_portal.settings", **env)
    return environ


def production_settings(names: list[str], **env) -> dict:
    """These settings as the portal computes them with this environment (Django's
    defaults included), in a process of their own."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
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


@pytest.fixture
def portal_on(settings):
    """Points this process's cache and sessions at a Redis as production would."""

    def point(url: str, **env):
        values = production_settings(["CACHES", "SESSION_ENGINE"], REDIS_URL=url, **env)
        settings.CACHES = values["CACHES"]
        settings.SESSION_ENGINE = values["SESSION_ENGINE"]
        cache.set("ita-test-probe", "here")  # the cache really is that Redis
        assert redis.Redis.from_url(url).keys("*ita-test-probe")

    return point


def sign_in(client) -> None:
    response = client.post(reverse("login"), {"username": "somchai", "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()


def assert_signed_in(client) -> None:
    for path in ("/", reverse("admin:index")):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "สมชาย" in page.content.decode(), path


@pytest.mark.django_db
def test_people_stay_signed_in_and_can_sign_in_while_redis_is_down(client, portal_on, redis_server):
    get_user_model().objects.create_superuser(
        "somchai", "somchai@ubon.go.th", PASSWORD, first_name="สมชาย", last_name="ใจดี"
    )
    portal_on(redis_server.url)
    sign_in(client)
    assert_signed_in(client)

    redis_server.kill()

    assert_signed_in(client)
    client.post(reverse("logout"))
    assert client.get(reverse("admin:index")).status_code == 302  # signed out
    sign_in(client)
    assert_signed_in(client)


def test_a_hung_redis_fails_a_cache_read_instead_of_holding_the_request(portal_on, redis_server):
    portal_on(redis_server.url, REDIS_SOCKET_TIMEOUT="0.5")
    redis_server.hang()
    with pytest.raises(redis.TimeoutError):
        cache.get("ita-test-probe")


def test_a_hung_redis_fails_sending_a_job_instead_of_holding_the_request(redis_server):
    """A job sent as jobs/ sends one (no result kept) to a broker that accepts the
    connection but never answers: refused, where it used to wait for ever."""
    redis_server.hang()
    code = (
        "from ita_portal.celery import app\n"
        "try:\n"
        "    app.send_task('jobs.run', args=[0], queue='ita-test-nobody', ignore_result=True)\n"
        "except Exception as error:\n"
        "    print('refused:', type(error).__name__, error)\n"
        "else:\n"
        "    print('sent')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment(REDIS_URL=redis_server.url),
        capture_output=True,
        text=True,
        timeout=60,  # a guard only: before, this waited for ever
    )
    assert result.stdout.startswith("refused: OperationalError"), result.stdout + result.stderr
