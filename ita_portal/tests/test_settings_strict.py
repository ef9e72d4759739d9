"""Settings read from the environment strictly (ita_portal/env.py): a wrong value stops
`manage.py` at start with the variable's name, the value and what it takes, instead
of being read as something else ("ture" as false) or failing later with a traceback
that names nothing. Each case starts the real `manage.py check` of production
(DJANGO_DEBUG=0 with a secret key), as an operator would after changing one value."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOOLEANS = "one of 1, true, yes, on, 0, false, no, off"
OURS = ("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "ITA_", "EMAIL_", "AXES_", "GUNICORN_")


def production(**env) -> dict[str, str]:
    """This machine's environment without the portal's own variables, as production
    with a secret key, and these."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    environment.update(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    environment.update(env)
    return environment


def manage(*args: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "named", "accepted"),
    [
        # Was read as false: Secure cookies off in production.
        ({"DJANGO_SECURE_COOKIES": "ture"}, "DJANGO_SECURE_COOKIES='ture'", BOOLEANS),
        ({"DJANGO_SSL_REDIRECT": "enabled"}, "DJANGO_SSL_REDIRECT='enabled'", BOOLEANS),
        # Empty was "off"; the default of DJANGO_DEBUG is on: neither is guessed.
        ({"DJANGO_DEBUG": ""}, "DJANGO_DEBUG=''", BOOLEANS),
        (
            {"DJANGO_BEHIND_TLS_PROXY": "1", "DJANGO_PROXY_COUNT": "0"},
            "DJANGO_PROXY_COUNT='0'",
            "a whole number from 1 to 10",
        ),
        # Was accepted: connections kept for a negative time.
        ({"DATABASE_CONN_MAX_AGE": "-1"}, "DATABASE_CONN_MAX_AGE='-1'", "from 0 to 86400"),
        # Was a ValueError naming no variable.
        ({"EMAIL_PORT": ""}, "EMAIL_PORT=''", "a whole number from 1 to 65535"),
        ({"ITA_MAX_UPLOAD_BYTES": "10MB"}, "ITA_MAX_UPLOAD_BYTES='10MB'", "a whole number"),
        # Was a negative soft time limit.
        ({"CELERY_TASK_TIME_LIMIT": "10"}, "CELERY_TASK_TIME_LIMIT='10'", "from 60 to 86400"),
        ({"CELERY_WORKER_MAX_MEMORY_MIB": "0"}, "CELERY_WORKER_MAX_MEMORY_MIB='0'", "from 64 to"),
        # Was a crash at start with a traceback that named nothing.
        (
            {"DJANGO_LOG_LEVEL": "LOUD"},
            "DJANGO_LOG_LEVEL='LOUD'",
            "one of DEBUG, INFO, WARNING, ERROR, CRITICAL",
        ),
        ({"DJANGO_LOG_FORMAT": "xml"}, "DJANGO_LOG_FORMAT='xml'", "one of json, plain"),
        ({"AXES_FAILURE_LIMIT": "0"}, "AXES_FAILURE_LIMIT='0'", "from 1 to 1000"),
        ({"REDIS_SOCKET_TIMEOUT": "nan"}, "REDIS_SOCKET_TIMEOUT='nan'", "a number from 0.1 to 60"),
        ({"REDIS_URL": "127.0.0.1:6379"}, "REDIS_URL='127.0.0.1:6379'", "redis:// or rediss://"),
        ({"DATABASE_STATEMENT_TIMEOUT": "30s"}, "DATABASE_STATEMENT_TIMEOUT='30s'", "whole"),
        ({"DJANGO_HSTS_SECONDS": "-1"}, "DJANGO_HSTS_SECONDS='-1'", "a whole number from 0"),
        ({"DJANGO_ALLOWED_HOSTS": " , "}, "DJANGO_ALLOWED_HOSTS is empty", "host names"),
        ({"DATABASE_URL": "postgress://db/ita"}, "DATABASE_URL is not accepted", "postgres"),
    ],
)
def test_a_wrong_value_stops_the_start_naming_the_variable_and_what_it_takes(env, named, accepted):
    result = manage("check", **env)
    assert result.returncode == 1, result.stdout + result.stderr
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: "), result.stderr
    assert named in last_line
    assert accepted in last_line


def test_a_wrong_number_says_its_range_and_its_default():
    last_line = manage("check", CELERY_TASK_TIME_LIMIT="10").stderr.strip().splitlines()[-1]
    assert last_line.endswith(
        "CELERY_TASK_TIME_LIMIT='10' is not accepted: CELERY_TASK_TIME_LIMIT takes a whole "
        "number from 60 to 86400; unset, it is 900."
    )


def _settings(names: list[str], **env) -> dict:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    result = manage("shell", "--verbosity", "0", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_good_values_start_and_are_read_as_meant():
    good = {
        "DJANGO_SECURE_COOKIES": "True",
        "DJANGO_SSL_REDIRECT": "off",
        "DJANGO_HSTS_INCLUDE_SUBDOMAINS": " No ",
        "DJANGO_HSTS_PRELOAD": "YES",
        "DJANGO_LOG_LEVEL": "info",
        "DJANGO_LOG_FORMAT": "Plain",
        "CELERY_TASK_TIME_LIMIT": "60",
        "EMAIL_PORT": " 465 ",
        "REDIS_URL": "redis://cache.internal:6379/1",
        "REDIS_SOCKET_TIMEOUT": "0.5",
    }
    assert manage("check", **good).returncode == 0
    values = _settings(
        [
            "SESSION_COOKIE_SECURE",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SECURE_HSTS_PRELOAD",
            "LOG_LEVEL",
            "LOG_FORMAT",
            "CELERY_TASK_TIME_LIMIT",
            "CELERY_TASK_SOFT_TIME_LIMIT",
            "EMAIL_PORT",
            "CACHES",
        ],
        **good,
    )
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert (values["LOG_LEVEL"], values["LOG_FORMAT"]) == ("INFO", "plain")
    assert (values["CELERY_TASK_TIME_LIMIT"], values["CELERY_TASK_SOFT_TIME_LIMIT"]) == (60, 30)
    assert values["EMAIL_PORT"] == 465
    assert values["CACHES"]["default"]["OPTIONS"]["socket_timeout"] == 0.5


def test_unset_values_take_the_documented_defaults():
    values = _settings(
        ["SESSION_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "LOG_LEVEL", "CELERY_TASK_TIME_LIMIT"]
    )
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "LOG_LEVEL": "WARNING",
        "CELERY_TASK_TIME_LIMIT": 900,
    }


def test_the_web_server_reads_its_variables_as_strictly():
    """gunicorn.conf.py (make serve) refuses a wrong value before it starts anything."""
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "ita_portal/gunicorn.conf.py", "--check-config"],
        cwd=ROOT,
        env=production(GUNICORN_MAX_REQUESTS="lots"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "GUNICORN_MAX_REQUESTS='lots' is not accepted" in output
    assert "a whole number from 0 to 1000000" in output
