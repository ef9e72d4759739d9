"""Every request has an id, returned in X-Request-ID and written, with the signed-in
person's id, in every JSON log line of that request (operations/request_context.py)."""

import io
import json
import logging
import re

import pytest
from django.contrib.auth import get_user_model

from operations.logs import JsonFormatter, RequestFields

pytestmark = [pytest.mark.django_db, pytest.mark.urls("operations.tests.log_urls")]


@pytest.fixture
def log():
    """The JSON lines production writes (the formatter and filter of LOGGING), read
    back as records."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestFields())
    loggers = [logging.getLogger(name) for name in ("django.request", "operations.tests.pages")]
    for logger in loggers:
        logger.addHandler(handler)

    def records():
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield records
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.fixture
def person(client):
    user = get_user_model().objects.create_user("somchai", password="not-used-here")
    client.force_login(user)
    return user


def test_every_answer_carries_an_id_of_its_own(client):
    first = client.get("/logs-a-line/")
    second = client.get("/logs-a-line/")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_proxys_id_is_kept_and_a_strange_one_replaced(client):
    sent = "Root=1-67891233-abcdef012345678912345678"
    assert client.get("/logs-a-line/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent
    for strange in ("two words", "a" * 129, '{"json": 1}', "ไทย"):
        answer = client.get("/logs-a-line/", HTTP_X_REQUEST_ID=strange)
        assert re.fullmatch(r"[0-9a-f]{32}", answer["X-Request-ID"]), strange


def test_a_line_of_a_page_says_which_request_and_who(client, person, log):
    answer = client.get("/logs-a-line/")
    (line,) = log()
    assert line["message"] == "a line in the middle of a page"
    assert line["request_id"] == answer["X-Request-ID"]
    assert line["user_id"] == person.pk


def test_a_failing_page_says_which_request_and_who(client, person, log):
    client.raise_request_exception = False
    answer = client.get("/fails/", HTTP_X_REQUEST_ID="support-ticket-4711")
    assert answer.status_code == 500
    (error,) = [line for line in log() if line["logger"] == "django.request"]
    assert error["request_id"] == "support-ticket-4711" == answer["X-Request-ID"]
    assert error["user_id"] == person.pk
    assert error["path"] == "/fails/"


def test_an_answer_logged_after_the_middlewares_keeps_its_id(client, person, log):
    """Django logs 404s once the middlewares are done; the id goes with the request."""
    answer = client.get("/no-such-page/")
    assert answer.status_code == 404
    (line,) = [line for line in log() if line["logger"] == "django.request"]
    assert line["request_id"] == answer["X-Request-ID"]


def test_a_person_signing_in_is_named_from_then_on(client, log):
    user = get_user_model().objects.create_user("malee", password="not-used-here")
    answer = client.get("/signs-in/", {"username": "malee"})
    (line,) = log()
    assert line["request_id"] == answer["X-Request-ID"]
    assert line["user_id"] == user.pk


def test_an_anonymous_request_names_nobody(client, log):
    answer = client.get("/logs-a-line/")
    assert answer.status_code == 403
    (line,) = log()  # Django's "Forbidden"
    assert line["request_id"] == answer["X-Request-ID"]
    assert "user_id" not in line
