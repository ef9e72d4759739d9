"""The reminders' configuration, checked when the portal starts.

ITA_REMINDER_STALE_DAYS is read here rather than in ita_portal/settings.py (at its
size limit), as strictly as ita_portal.env reads the others: a value that is not a
whole number in range stops every process's start (RemindersConfig.ready) naming
the variable, instead of failing the first reminders run hours later."""

import os

from django.conf import settings
from django.core.checks import Warning, register
from django.core.exceptions import ImproperlyConfigured

DEFAULT_SITE_URL = "http://127.0.0.1:8000"
STALE_DAYS = "ITA_REMINDER_STALE_DAYS"
STALE_DAYS_DEFAULT = 90
STALE_DAYS_MAX = 3660


def stale_days() -> int:
    """Days after its period ended that an open round of an earlier fiscal year is
    still worked on (reminders.selectors): the setting if a test or a settings
    module gives one, else the environment variable, else 90."""
    given = getattr(settings, STALE_DAYS, None)
    if given is not None:
        return int(given)
    value = os.environ.get(STALE_DAYS)
    if value is None:
        return STALE_DAYS_DEFAULT
    value = value.strip()
    # ASCII only: int() would take Thai digits ("๙๐") too, which no other setting does.
    if not (value.isascii() and value.isdigit()) or int(value) > STALE_DAYS_MAX:
        raise ImproperlyConfigured(
            f"{STALE_DAYS}={value!r} is not accepted: {STALE_DAYS} takes a whole number "
            f"from 0 to {STALE_DAYS_MAX}; unset, it is {STALE_DAYS_DEFAULT}."
        )
    return int(value)


@register()
def site_url_for_links(app_configs, **kwargs):
    """Production sending mail should say where the portal is: reminders link to it."""
    sends_mail = settings.EMAIL_BACKEND != "django.core.mail.backends.dummy.EmailBackend"
    if settings.DEBUG or not sends_mail or settings.ITA_SITE_URL != DEFAULT_SITE_URL:
        return []
    return [
        Warning(
            f"ITA_SITE_URL is not set: the links in reminder e-mails point to {DEFAULT_SITE_URL}.",
            hint="Set ITA_SITE_URL to the portal's address as people reach it, "
            "e.g. https://ita.agency.go.th.",
            id="reminders.W001",
        )
    ]
