"""An unexpected error shows a Thai page, even when the database is what failed."""

import pytest
from django.test import RequestFactory

from ita_portal.errors import server_error
from testing.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADING = "ขออภัย ระบบขัดข้องชั่วคราว"


@pytest.fixture
def production_client(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


@pytest.mark.urls("ita_portal.tests.boom_urls")
def test_a_failing_page_shows_the_thai_error_page_without_the_database(
    production_client, django_db_blocker
):
    # Logged in, so that anything on the page that looked at the user would have
    # to read the session and the user from the (blocked) database.
    production_client.force_login(UserFactory())
    with django_db_blocker.block():
        response = production_client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert HEADING in page
    assert "กรุณาแจ้งผู้ประสานงาน ITA ของหน่วยงาน" in page
    assert "vendor/bootstrap/bootstrap.min.css" in page
    assert "a bug in a view" not in page
    assert "RuntimeError" not in page


def test_the_handler_needs_no_database(django_db_blocker):
    with django_db_blocker.block():
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert HEADING in response.content.decode()


def test_without_static_files_the_page_is_still_thai(settings, tmp_path, django_db_blocker):
    """A release whose collectstatic did not run: the page cannot link its styles."""
    settings.STATIC_ROOT = tmp_path / "no-collectstatic"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with django_db_blocker.block():
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert HEADING in page
    assert "bootstrap" not in page
