import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _import_settings(**env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import ita_portal.settings"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = _import_settings(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_with_a_secret_key_starts():
    result = _import_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


def test_defaults_are_thai_and_bangkok(settings):
    assert settings.LANGUAGE_CODE == "th"
    assert settings.TIME_ZONE == "Asia/Bangkok"


def _settings_values(names, **env):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "REDIS_"))
    }
    environment.update(env)
    code = (
        "import json, ita_portal.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


SHARED_STATE = ["CACHES", "SESSION_ENGINE", "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER"]


def test_redis_url_puts_cache_and_jobs_in_redis_and_keeps_sessions_in_the_database():
    values = _settings_values(SHARED_STATE, REDIS_URL="redis://cache.internal:6379/1")
    cache = values["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/1"
    # Django's default, database sessions: people stay signed in while Redis is down
    # (test_settings_redis.py).
    assert values["SESSION_ENGINE"] is None
    assert values["CELERY_BROKER_URL"] == "redis://cache.internal:6379/1"
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False


def test_a_broker_of_its_own_overrides_redis_url():
    values = _settings_values(
        SHARED_STATE,
        REDIS_URL="redis://cache.internal:6379/1",
        CELERY_BROKER_URL="amqp://guest:guest@mq.internal:5672//",
    )
    assert values["CELERY_BROKER_URL"] == "amqp://guest:guest@mq.internal:5672//"


def test_local_use_needs_no_redis_and_no_broker():
    values = _settings_values(SHARED_STATE)
    assert values["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert values["SESSION_ENGINE"] is None  # Django's default: sessions in the database
    assert values["CELERY_TASK_ALWAYS_EAGER"] is True


def _documented_production_settings() -> dict[str, str]:
    """The environment README.md gives for an installation behind a TLS proxy."""
    readme = (ROOT / "README.md").read_text()
    marker = "`ita_portal/tests/test_settings.py` reads this block"
    block = readme[readme.index(marker) :].split("```sh\n", 1)[1].split("```", 1)[0]
    env = dict(line.split("=", 1) for line in block.splitlines() if line.strip())
    assert env["DJANGO_SECRET_KEY"].startswith("<")  # a placeholder: make a real one
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def test_check_deploy_is_clean_with_the_documented_production_settings():
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CELERY_", "REDIS_", "DATABASE_"))
    }
    environment.update(_documented_production_settings())
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
