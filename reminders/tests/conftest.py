import pytest

from reminders.tests.smtp import Mailbox, start


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 that the portal sends through."""
    mailbox = Mailbox()
    controller = start(mailbox)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.ITA_SITE_URL = "https://ita.example.go.th"
    mailbox.port = controller.port
    yield mailbox
    controller.stop()
