"""/metrics (issue 18, item 14): Prometheus' text format with every answer counted by
method and status, the jobs by queue, kind and state, and the oldest waiting job's
age; readable by superusers or with the bearer token ITA_METRICS_TOKEN only; two
queries whatever the number of jobs; several processes' counts added up."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from operations.metrics import exposition
from testing.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
TOKEN = "scraper-4f9c2d7e81"


def value(text: str, series: str) -> float:
    """The sample of one series (its name and labels exactly as exposed)."""
    match = re.search(rf"^{re.escape(series)} (\S+)$", text, re.MULTILINE)
    assert match, f"{series} not in:\n{text}"
    return float(match.group(1))


@pytest.fixture
def token(settings):
    settings.ITA_METRICS_TOKEN = TOKEN
    return TOKEN


def test_only_superusers_and_the_token_read_the_metrics(client, token):
    url = reverse("metrics")
    refused = client.get(url)
    assert refused.status_code == 403
    assert "เฉพาะผู้ดูแลระบบ" in refused.content.decode()
    assert client.get(url, headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get(url, headers={"Authorization": f"Basic {TOKEN}"}).status_code == 403
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 403

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/plain; version=")
    client.logout()
    assert client.get(url, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_no_token_is_taken_when_none_is_set(client, settings):
    settings.ITA_METRICS_TOKEN = ""
    assert client.get(reverse("metrics"), headers={"Authorization": "Bearer "}).status_code == 403


def scrape(client, queries: int, django_assert_num_queries) -> str:
    # The jobs counted by kind and state; the oldest queued job per kind.
    with django_assert_num_queries(queries):
        answer = client.get(reverse("metrics"), headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200
    return answer.content.decode()


def test_requests_jobs_and_the_oldest_waiting_job(client, token, django_assert_num_queries):
    before = scrape(client, 2, django_assert_num_queries)
    seen_404 = 'ita_http_requests_total{method="GET",status="404"}'
    not_found = value(before, seen_404) if seen_404 in before else 0
    client.get("/no-such-page/")
    client.get("/no-such-page/")
    organization = OrganizationFactory()
    waiting = Job.objects.create(kind=Job.Kind.IMPORT, organization=organization)
    Job.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(minutes=20))
    for state in (Job.State.FAILED, Job.State.FAILED, Job.State.DONE, Job.State.QUEUED):
        Job.objects.create(kind=Job.Kind.DRAFT_PDF, organization=organization, state=state)

    text = scrape(client, 2, django_assert_num_queries)  # as many with 5 jobs as with none
    assert value(text, seen_404) == not_found + 2
    assert value(text, 'ita_http_request_duration_seconds_count{method="GET"}') >= 3
    assert value(text, 'ita_jobs{kind="draft_pdf",queue="drafts",state="failed"}') == 2
    assert value(text, 'ita_jobs{kind="draft_pdf",queue="drafts",state="done"}') == 1
    assert value(text, 'ita_jobs{kind="import",queue="urgent",state="queued"}') == 1
    assert value(text, 'ita_jobs{kind="publish",queue="urgent",state="running"}') == 0
    assert 20 * 60 <= value(text, 'ita_job_oldest_queued_seconds{queue="urgent"}') < 22 * 60
    assert value(text, 'ita_job_oldest_queued_seconds{queue="drafts"}') < 60


# Three requests in a process of its own, as one gunicorn worker answers them.
THREE_REQUESTS = """
import django
django.setup()
from django.test import Client
for _ in range(3):
    assert Client().get("/healthz").status_code in (200, 503)
"""


def test_every_worker_process_is_counted(tmp_path, monkeypatch):
    """gunicorn's workers share a folder (ita_portal/gunicorn.conf.py): a scrape that
    any of them answers adds up all of their counts."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env.update(DJANGO_SETTINGS_MODULE="ita_portal.settings", PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    workers = [
        subprocess.Popen([sys.executable, "-c", THREE_REQUESTS], cwd=ROOT, env=env)
        for _ in range(2)
    ]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0]

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    text = exposition().decode()
    answered = sum(
        value(text, f'ita_http_requests_total{{method="GET",status="{status}"}}')
        for status in ("200", "503")
        if f'status="{status}"' in text
    )
    assert answered == 6
