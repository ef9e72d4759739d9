"""/healthz answers 200 when every part answers, and 503 naming the part that does not."""

import json
import threading

import pytest
from django.test import RequestFactory
from django.urls import reverse

from operations import health
from operations.tests.services import needs_redis_server
from testing.local_services import REDIS_URL, closed_port, needs_redis

pytestmark = pytest.mark.django_db

ALL_OK = {"database": "ok", "cache": "ok", "broker": "ok", "storage": "ok"}


def redis_cache(url):
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }


@pytest.fixture
def production_services(settings, media_root):
    """The parts as production wires them: Redis for cache and broker, files on disk."""
    settings.CACHES = redis_cache(REDIS_URL)
    settings.CELERY_BROKER_URL = REDIS_URL
    return settings


def test_local_set_up_is_healthy_without_any_service(client, media_root):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == ALL_OK
    assert "no-cache" in response["Cache-Control"]
    # The storage probe was cleaned up after itself.
    assert list((media_root / "healthz").iterdir()) == []


@needs_redis
def test_healthy_with_the_real_redis_cache_and_broker(client, production_services):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == ALL_OK


@needs_redis
def test_a_broker_that_does_not_answer_is_named(client, production_services):
    port = closed_port()
    production_services.CELERY_BROKER_URL = f"redis://:s3cret-pass@127.0.0.1:{port}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["broker"].startswith("error: ")
    assert {part: body[part] for part in ("database", "cache", "storage")} == {
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
    }
    assert "s3cret-pass" not in response.content.decode()
    assert str(port) not in response.content.decode()


@needs_redis
def test_a_cache_that_does_not_answer_is_named(client, production_services):
    production_services.CACHES = redis_cache(f"redis://:s3cret-pass@127.0.0.1:{closed_port()}/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["cache"].startswith("error: ")
    assert body["database"] == body["broker"] == body["storage"] == "ok"
    assert "s3cret-pass" not in response.content.decode()


def test_a_storage_that_cannot_be_written_is_named(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["storage"].startswith("error: ")


def test_no_login_needed_and_nothing_but_get_and_head(client, media_root):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_load_balancers_may_ask_over_plain_http(client, settings, media_root):
    """Production redirects plain HTTP to HTTPS, but not the health probe."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


# gunicorn kills a request (and its worker) after this many seconds: a probe still
# unanswered by then has held a web worker for nothing.
GUNICORN_TIMEOUT = 30


def probe_in_a_thread(answers: list) -> threading.Thread:
    """/healthz asked in a thread of its own, as each web worker asks it."""

    def ask():
        answers.append(health.healthz(RequestFactory().get("/healthz")))

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    return thread


@needs_redis_server
def test_a_hung_redis_is_named_and_the_probe_answers(settings, media_root, redis_server):
    """A Redis that is stopped (SIGSTOP) accepts connections and never answers: the
    probe still answers, 503, naming the cache and the broker."""
    settings.CACHES = redis_cache(redis_server.url)
    settings.CELERY_BROKER_URL = redis_server.url
    answers = []
    probe_in_a_thread(answers).join(GUNICORN_TIMEOUT)
    assert answers[0].status_code == 200

    redis_server.hang()
    health.forget_answers()  # not the answer of a moment ago
    probe_in_a_thread(answers).join(GUNICORN_TIMEOUT)
    assert len(answers) == 2, "/healthz did not answer before gunicorn's timeout"
    assert answers[1].status_code == 503
    body = json.loads(answers[1].content)
    assert body["cache"].startswith("error: ")
    assert body["broker"].startswith("error: ")
    assert body["database"] == body["storage"] == "ok"

    redis_server.resume()
    health.forget_answers()
    probe_in_a_thread(answers).join(GUNICORN_TIMEOUT)
    assert answers[2].status_code == 200, "healthy again without a restart"


@needs_redis_server
def test_probes_at_a_hung_redis_share_one_check(settings, media_root, redis_server, caplog):
    """Six probes at once, as six load balancer checks: every one answers 503, and the
    hung parts were asked once, not once per probe."""
    settings.CACHES = redis_cache(redis_server.url)
    settings.CELERY_BROKER_URL = redis_server.url
    redis_server.hang()
    answers = []
    threads = [probe_in_a_thread(answers) for _ in range(6)]
    for thread in threads:
        thread.join(GUNICORN_TIMEOUT)
    assert [a.status_code for a in answers] == [503] * 6
    failed = [r.args for r in caplog.records if r.msg == "healthz: %s failed"]
    assert sorted(failed) == [("broker",), ("cache",)]  # one check each, shared
    redis_server.resume()
