"""A numbered version link serves that version and no other (issue 17, item 8): v0,
a version past the newest and a number past any version are 404, never the newest
version under a numbered version's one-year immutable cache lifetime (a CDN would
keep it after the next publication or a withdrawal). Both ways the link is
answered: early by reports.middleware, and by the URL resolver without it."""

import pytest
from django.conf import settings
from django.test import override_settings

from reports.tests.test_public_pdf import get, pdf_bytes, publish, stable_url, version_url
from testing.factories import RoundFactory

pytestmark = pytest.mark.django_db

WITHOUT_EARLY_ANSWER = [
    m for m in settings.MIDDLEWARE if m != "reports.middleware.PublishedPdfMiddleware"
]


@pytest.fixture
def round_(media_root):
    return RoundFactory(organization__slug="ubon-pao")


@pytest.fixture(params=["early", "resolver"])
def path_taken(request):
    """The public PDF links as reports.middleware answers them, and as the URL
    resolver does when that middleware is not in MIDDLEWARE."""
    if request.param == "early":
        yield request.param
    else:
        with override_settings(MIDDLEWARE=WITHOUT_EARLY_ANSWER):
            yield request.param


def test_version_zero_is_not_the_newest(client, round_, path_taken):
    publish(round_, pdf_bytes("one"))
    publish(round_, pdf_bytes("two"))
    # The stable link first, so that its answer is cached: v0 must not find it there.
    assert get(client, stable_url(round_)).body == pdf_bytes("two")
    for _ in range(2):  # and not from the cache after its own first answer
        response = get(client, version_url(round_, 0))
        assert response.status_code == 404
        assert "immutable" not in response.get("Cache-Control", "")
        assert response.body != pdf_bytes("two")


def test_versions_that_do_not_exist_are_not_found(client, round_, path_taken):
    publish(round_, pdf_bytes("one"))
    assert get(client, version_url(round_, 1)).body == pdf_bytes("one")
    for version in (2, 99999999999999999999):
        response = get(client, version_url(round_, version))
        assert response.status_code == 404, version
        assert "immutable" not in response.get("Cache-Control", ""), version
    negative = version_url(round_, 1).replace("/v1.pdf", "/v-1.pdf")
    assert get(client, negative).status_code == 404


def test_a_numbered_version_keeps_its_year_long_lifetime(client, round_, path_taken):
    publish(round_, pdf_bytes("one"))
    response = get(client, version_url(round_, 1))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "immutable" not in get(client, stable_url(round_))["Cache-Control"]
