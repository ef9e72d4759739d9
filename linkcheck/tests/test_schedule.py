"""Scheduled link checks are off unless configured (ITA_LINK_CHECK=1)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = (
    "import ita_portal.settings as s; e = s.CELERY_BEAT_SCHEDULE.get('check-links'); "
    "print(e and (e['task'], e['options']['queue'], str(e['schedule'])))"
)


def _entry(**env) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ITA_LINK")}
    environment.update(env, DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50)
    result = subprocess.run(
        [sys.executable, "-c", CODE], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_no_scheduled_check_by_default():
    assert _entry() == "None"


def test_scheduled_every_quarter_hour_on_the_drafts_worker_when_configured():
    assert _entry(ITA_LINK_CHECK="1") == (
        "('linkcheck.check_links', 'drafts', '<crontab: */15 * * * * (m/h/dM/MY/d)>')"
    )


def test_the_worker_knows_the_scheduled_task():
    from ita_portal.celery import app

    app.loader.import_default_modules()
    assert "linkcheck.check_links" in app.tasks
