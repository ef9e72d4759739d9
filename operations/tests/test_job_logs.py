"""Every line a job logs carries its job id and Celery's task id (issue 18, item 14):
the job's own lines, its database statements, its beat thread's."""

import io
import json
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobs import tasks
from jobs.models import Job
from operations.logs import JsonFormatter, RequestFields
from testing.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """What django.db.backends logs (each statement, at DEBUG), as production's JSON."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestFields())
    logger = logging.getLogger("django.db.backends")
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(level)
    logger.propagate = propagate


def test_a_jobs_log_lines_carry_its_job_and_task_id(json_lines):
    job = Job.objects.create(kind=Job.Kind.PUBLISH, organization=OrganizationFactory())
    with CaptureQueriesContext(connection):  # statements are logged, as with DEBUG on
        tasks.run(job.pk, "", "5d2c6a40-task")
        Job.objects.filter(pk=job.pk).exists()  # after the job: no job id

    records = json_lines()
    during, after = records[:-1], records[-1]
    assert any('"jobs_job"' in record["sql"] for record in during)
    assert {(r.get("job_id"), r.get("task_id")) for r in during} == {(job.pk, "5d2c6a40-task")}
    assert "job_id" not in after and "task_id" not in after
    job.refresh_from_db()
    assert job.state == Job.State.FAILED  # no one asked for it: it ended, and said so
