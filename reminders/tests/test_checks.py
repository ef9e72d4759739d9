from reminders.checks import site_url_for_links

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_production_sending_mail_without_the_site_url_is_warned(settings):
    settings.DEBUG, settings.EMAIL_BACKEND = False, SMTP
    settings.ITA_SITE_URL = "http://127.0.0.1:8000"
    assert [w.id for w in site_url_for_links(None)] == ["reminders.W001"]
    settings.ITA_SITE_URL = "https://ita.example.go.th"
    assert site_url_for_links(None) == []
    settings.ITA_SITE_URL = "http://127.0.0.1:8000"
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    assert site_url_for_links(None) == []


def test_the_days_before_are_read_strictly(monkeypatch):
    import pytest
    from django.core.exceptions import ImproperlyConfigured

    from ita_portal.env import envints

    def read():
        return envints("ITA_REMINDER_DAYS_BEFORE", (14, 7, 1), minimum=0, maximum=366)

    assert read() == [14, 7, 1]
    monkeypatch.setenv("ITA_REMINDER_DAYS_BEFORE", "3, 30,3")
    assert read() == [30, 3]
    for bad in ("7,x", "7,,1", "400", "-1", "๗"):
        monkeypatch.setenv("ITA_REMINDER_DAYS_BEFORE", bad)
        with pytest.raises(ImproperlyConfigured, match="ITA_REMINDER_DAYS_BEFORE"):
            read()


def test_the_stale_days_are_read_strictly(monkeypatch):
    import pytest
    from django.core.exceptions import ImproperlyConfigured

    from reminders.checks import stale_days

    monkeypatch.delenv("ITA_REMINDER_STALE_DAYS", raising=False)
    assert stale_days() == 90
    monkeypatch.setenv("ITA_REMINDER_STALE_DAYS", " 30 ")
    assert stale_days() == 30
    for bad in ("", "x", "-1", "30.5", "๙๐", "3661"):
        monkeypatch.setenv("ITA_REMINDER_STALE_DAYS", bad)
        with pytest.raises(ImproperlyConfigured, match="ITA_REMINDER_STALE_DAYS"):
            stale_days()


def test_a_bad_stale_days_value_stops_the_start():
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {**os.environ, "ITA_REMINDER_STALE_DAYS": "ninety"}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "ITA_REMINDER_STALE_DAYS='ninety' is not accepted" in done.stderr
