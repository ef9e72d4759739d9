"""The results import's preview job where it meets the world: Redis down answers the
upload with the Thai page (503) and starts nothing; two uploads of the same file at
the same moment (PostgreSQL: two connections) make one preview job."""

import time

import pytest
from django.urls import reverse

from ita_portal.celery import app
from jobs.models import Job
from operations.tests.services import RedisServer
from results import importing
from results.tests.conftest import HEADER, UBON_ROW, csv_bytes, send
from testing.threads import HeldOpen, Worker, postgresql_only, wait_until_someone_waits_for_a_lock

IMPORT = reverse("results:import")


@pytest.fixture
def cache_on_redis(settings, tmp_path):
    """This process's cache on a redis-server of the test's own, as production's
    REDIS_URL does, with a short socket timeout."""
    server = RedisServer(tmp_path)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "ita",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield server
    server.stop()


@pytest.mark.django_db
@pytest.mark.parametrize("outage", ["stop", "hang"])
def test_redis_down_the_upload_says_so_in_thai_and_starts_nothing(
    outage, cache_on_redis, client, fy2565, national
):
    client.force_login(national)
    getattr(cache_on_redis, outage)()
    started = time.monotonic()
    answer = send(client, IMPORT, fy2565, csv_bytes([HEADER, UBON_ROW]), "ita.csv")
    assert time.monotonic() - started < 5  # the socket timeout, not gunicorn's 30 s
    assert answer.status_code == 503
    assert answer["Retry-After"] == "60"
    assert "ระบบคิวงานและหน่วยความจำชั่วคราวขัดข้อง" in answer.content.decode()
    assert not Job.objects.exists()
    assert client.get(IMPORT).status_code == 200  # the form still answers


@pytest.fixture
def queued():
    """A worker busy elsewhere: jobs wait in the queue (the memory broker; nothing runs
    them here) instead of running in the process that starts them."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = eager


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_uploads_of_one_file_at_once_make_one_preview_job(fy2565, national, queued):
    content = csv_bytes([HEADER, UBON_ROW])

    def upload():
        return importing.start_preview(
            user=national, fiscal_year=fy2565, content=content, name="ita.csv"
        )

    first = HeldOpen(upload)  # its job made, not yet committed
    first.start()
    second = Worker(upload)
    second.start()
    wait_until_someone_waits_for_a_lock()  # the second waits for the first's person lock
    made = first.commit()
    assert second.outcome().pk == made.pk
    assert list(Job.objects.values_list("kind", "state")) == [
        (Job.Kind.RESULTS_PREVIEW, Job.State.QUEUED)
    ]
