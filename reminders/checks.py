from django.conf import settings
from django.core.checks import Warning, register

DEFAULT_SITE_URL = "http://127.0.0.1:8000"


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
