"""Request metrics for the usual scraper (Prometheus text format at /metrics, which
ita_portal/metrics.py serves, access-checked).

MetricsMiddleware (second in MIDDLEWARE, after the request id) counts every answer by
method and status and times it. gunicorn runs several worker processes: with
PROMETHEUS_MULTIPROC_DIR set (ita_portal/gunicorn.conf.py sets a fresh folder at each
start) each process writes its counts there and a scrape adds up all of them
(prometheus_client's multiprocess mode); without it (runserver, tests, commands) the
process's own counts are served.
"""

import os
import time

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUESTS = Counter(
    "ita_http_requests", "Answered requests by method and status code", ["method", "status"]
)
DURATION = Histogram(
    "ita_http_request_duration_seconds",
    "Time to answer a request (the response's headers ready), by method",
    ["method"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "other"
        DURATION.labels(method).observe(time.perf_counter() - started)
        REQUESTS.labels(method, str(response.status_code)).inc()
        return response


def multiprocess_folder() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def exposition(*collectors) -> bytes:
    """The text format of the request metrics (every process's, when they share a
    folder) followed by those `collectors` gather at this scrape."""
    folder = multiprocess_folder()
    if folder:
        requests = CollectorRegistry()
        multiprocess.MultiProcessCollector(requests, path=folder)
    else:
        requests = REGISTRY
    scraped = CollectorRegistry(auto_describe=False)
    for collector in collectors:
        scraped.register(collector)
    return generate_latest(requests) + generate_latest(scraped)


def worker_exited(pid: int) -> None:
    """gunicorn's child_exit hook: a finished worker's live-only files are let go."""
    if multiprocess_folder():
        multiprocess.mark_process_dead(pid)
