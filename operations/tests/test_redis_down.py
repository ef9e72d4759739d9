"""Redis down or hung (issue 18, item 6): a page that needs it (here the measures
import's preview, which keeps the read rows in the cache) answers with the Thai page
saying what is unavailable and what still works (503, in about the socket timeout,
not the 500 page, not a hang), and the pages that do not need it go on working for
the same signed-in person. Against a real redis-server the test starts, then kills
or stops (SIGSTOP)."""

import time

import pytest
from django.urls import reverse

from interchange.tests.test_admin_import import edited_export, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on_redis(settings, redis_server):
    """This process's cache on the test's redis-server, as production's REDIS_URL does
    (ita_portal/settings.py), with a short socket timeout."""
    timeouts = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "ita",
            "OPTIONS": timeouts,
        }
    }
    return redis_server


@pytest.mark.parametrize("outage", ["stop", "hang"])
def test_a_page_that_needs_redis_says_so_in_thai_and_the_rest_works(
    outage, cache_on_redis, coordinator_client, seed
):
    getattr(cache_on_redis, outage)()

    started = time.monotonic()
    answer = upload(coordinator_client, seed, edited_export(seed))
    assert time.monotonic() - started < 5  # the socket timeout, not gunicorn's 30 s
    assert answer.status_code == 503
    assert answer["Retry-After"] == "60"
    page = answer.content.decode()
    assert "ระบบคิวงานและหน่วยความจำชั่วคราวขัดข้อง" in page
    assert "ขณะนี้ใช้ไม่ได้ชั่วคราว: การเผยแพร่รายงาน การจัดทำไฟล์ PDF ฉบับร่าง" in page
    assert "ยังใช้ได้ตามปกติ: การเข้าสู่ระบบ การดูและแก้ไขมาตรการ" in page
    assert "ระบบขัดข้องชั่วคราว</h1>" not in page  # not the 500 page

    # Still signed in; what reads and saves in the database works.
    home = coordinator_client.get(reverse("home"))
    assert home.status_code == 200
    assert seed.organization.name in home.content.decode()
    assert coordinator_client.get(reverse("admin:measures_measure_changelist")).status_code == 200
