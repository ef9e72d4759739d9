"""Production logs are one JSON object per line; a failing request's line says which
request failed and how."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A request to a failing page, in a fresh process configured from the environment
# like an app server: its standard error is the log.
REQUEST_A_FAILING_PAGE = """
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings
with override_settings(ROOT_URLCONF="ita_portal.tests.boom_urls"):
    response = Client(raise_request_exception=False).get("/boom/", secure=True)
print(response.status_code)
"""


def _log_of_a_failing_request(**env):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "REDIS_"))
    }
    environment.update(DJANGO_SETTINGS_MODULE="ita_portal.settings", **env)
    result = subprocess.run(
        [sys.executable, "-c", REQUEST_A_FAILING_PAGE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "500", result.stderr
    return result.stderr.splitlines()


def test_production_logs_one_json_object_per_line():
    lines = _log_of_a_failing_request(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 50)
    assert lines
    records = [json.loads(line) for line in lines]  # every line parses on its own
    (error,) = [r for r in records if r["logger"] == "django.request"]
    assert error["level"] == "ERROR"
    assert error["message"] == "Internal Server Error: /boom/"
    assert error["status_code"] == 500
    assert error["method"] == "GET"
    assert error["path"] == "/boom/"
    assert "RuntimeError: a bug in a view" in error["exc_info"]
    assert error["timestamp"].startswith("20")


def test_json_on_request_during_local_use():
    lines = _log_of_a_failing_request(DJANGO_LOG_FORMAT="json")
    records = [json.loads(line) for line in lines]
    assert [r["path"] for r in records if r["logger"] == "django.request"] == ["/boom/"]


def test_local_use_logs_plain_lines():
    lines = _log_of_a_failing_request()
    assert any(" ERROR django.request: Internal Server Error: /boom/" in line for line in lines)
    assert not lines[0].startswith("{")
