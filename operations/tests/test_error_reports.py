"""With SENTRY_DSN set, an unexpected error is reported through the Sentry SDK, with
the request's id; without it, nothing is reported. The "Sentry" here is a small HTTP
server of the test's own on loopback that keeps what it is sent."""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

A_FAILING_REQUEST = """
import django
django.setup()
import sentry_sdk
from django.test import Client
from django.test.utils import override_settings
with override_settings(ROOT_URLCONF="operations.tests.log_urls"):
    response = Client(raise_request_exception=False).get(
        "/fails-for-anyone/", HTTP_X_REQUEST_ID="report-4711"
    )
sentry_sdk.flush(10)
print(response.status_code, sentry_sdk.is_initialized())
"""


@pytest.fixture
def sentry():
    """The envelopes sent to it, each as its list of JSON items."""
    envelopes = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            encoding = self.headers.get("Content-Encoding")
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "br":  # the SDK's choice when brotli is installed
                import brotli

                body = brotli.decompress(body)
            items = []
            for line in body.splitlines():
                try:
                    items.append(json.loads(line))
                except ValueError:
                    items.append(line)
            envelopes.append(items)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], envelopes
    server.shutdown()
    server.server_close()


def run_a_failing_request(**env) -> str:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CELERY_", "REDIS_", "SENTRY_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="ita_portal.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_SSL_REDIRECT="0",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", A_FAILING_REQUEST],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_an_error_is_reported_with_the_request_id(sentry):
    port, envelopes = sentry
    answer = run_a_failing_request(SENTRY_DSN=f"http://publickey@127.0.0.1:{port}/1")
    assert answer == "500 True"
    events = [item for items in envelopes for item in items if isinstance(item, dict)]
    (error,) = [e for e in events if e.get("exception")]
    (exception,) = error["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "a bug that anyone can reach"
    assert error["tags"]["request_id"] == "report-4711"
    assert "cookies" not in error.get("request", {})


def test_nothing_is_reported_without_a_dsn(sentry):
    port, envelopes = sentry
    assert run_a_failing_request() == "500 False"
    assert envelopes == []
