import pytest

from organizations.models import Membership
from reminders.tests.smtp import Mailbox, start
from testing.factories import member
from testing.helpers import OFFICE

Role = Membership.Role


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


@pytest.fixture
def people(org):
    """One of each role in the seed agency, with an address."""
    return {
        "staff": member(org, Role.STAFF, "somsri", [OFFICE], email="somsri@example.go.th"),
        "hr": member(org, Role.STAFF, "hr", ["กองการเจ้าหน้าที่"], email="hr@example.go.th"),
        "coordinator": member(org, Role.COORDINATOR, "coord", email="coord@example.go.th"),
        "executive": member(org, Role.EXECUTIVE, "boss", email="boss@example.go.th"),
    }
