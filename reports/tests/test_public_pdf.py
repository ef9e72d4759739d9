"""Published PDFs are served like static files: the newest version is looked up once
and then answered from the cache (no query), with ETag and Last-Modified, 304 to
a browser or proxy that already has the file, HEAD, and cache lifetimes that fit
each link (the stable link briefly, a numbered version for a year)."""

import hashlib
import re
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils.http import http_date

from measures.models import Round
from reports.models import PublishedReport
from reports.selectors import LOCAL_PDF_SECONDS, expire_local_pdfs, published_pdf_key
from testing.factories import RoundFactory, UserFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs a second connection that cannot see an open transaction's rows",
)


@pytest.fixture
def round_(media_root):
    return RoundFactory(
        organization__slug="ubon-pao", organization__name="องค์การบริหารส่วนจังหวัดอุบลราชธานี"
    )


def publish(round_, content: bytes) -> PublishedReport:
    """A new version as the publishing service stores it (its PDF rendering is
    tested in test_publishing; any bytes serve here)."""
    latest = round_.publications.order_by("-version").first()
    report = PublishedReport(
        round=round_,
        version=latest.version + 1 if latest else 1,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        published_by=UserFactory(),
    )
    report.pdf.save("report.pdf", ContentFile(content), save=False)
    report.save()
    return report


def pdf_bytes(label: str) -> bytes:
    return b"%PDF-1.7\n" + label.encode() * 2000 + b"\n%%EOF\n"


def stable_url(round_) -> str:
    return reverse(
        "reports:public_pdf",
        args=[round_.organization.slug, round_.fiscal_year.year, round_.kind],
    )


def version_url(round_, version: int) -> str:
    return reverse(
        "reports:public_version",
        args=[round_.organization.slug, round_.fiscal_year.year, round_.kind, version],
    )


def get(client, url, method="get", headers=None):
    """The answer with its whole body read (`.body`), as a browser does; reading a
    streamed file to its end closes it (the test client, like a WSGI server)."""
    response = getattr(client, method)(url, headers=headers)
    response.body = b"".join(response.streaming_content) if response.streaming else response.content
    return response


def test_the_newest_version_is_looked_up_once_then_served_without_a_query(
    client, round_, django_assert_num_queries
):
    publish(round_, pdf_bytes("first"))
    second = publish(round_, pdf_bytes("second"))

    with django_assert_num_queries(1):  # the newest publication of the round
        first_answer = get(client, stable_url(round_))
        assert first_answer.body == pdf_bytes("second")
    with django_assert_num_queries(0):  # from the cache
        again = get(client, stable_url(round_))
        assert again.status_code == 200
        assert again.body == pdf_bytes("second")
    assert again["ETag"] == f'"{second.sha256}"'
    assert again["X-Content-SHA256"] == second.sha256
    assert again["Content-Length"] == str(second.size)
    assert again["Content-Type"] == "application/pdf"
    assert again["Content-Disposition"] == 'inline; filename="ita-ubon-pao-2566-round6-v2.pdf"'

    with django_assert_num_queries(1):
        assert get(client, version_url(round_, 1)).body == pdf_bytes("first")
    with django_assert_num_queries(0):
        assert get(client, version_url(round_, 1)).body == pdf_bytes("first")


def test_publishing_again_moves_the_stable_link_at_once(client, round_):
    publish(round_, pdf_bytes("first"))
    assert get(client, stable_url(round_)).body == pdf_bytes("first")  # now cached

    second = publish(round_, pdf_bytes("second"))
    served = get(client, stable_url(round_))
    assert served.body == pdf_bytes("second")
    assert served["ETag"] == f'"{second.sha256}"'
    # The first version keeps its own link.
    assert get(client, version_url(round_, 1)).body == pdf_bytes("first")


def test_another_app_servers_publication_shows_here_within_two_seconds(
    client, round_, django_assert_num_queries
):
    publish(round_, pdf_bytes("first"))
    assert get(client, stable_url(round_)).body == pdf_bytes("first")  # now cached

    # Another app server publishes version 2: the row is written there (no receiver
    # runs here), and its receiver forgets the shared cache's entry.
    second = PublishedReport(
        round=round_,
        version=2,
        sha256=hashlib.sha256(pdf_bytes("second")).hexdigest(),
        size=len(pdf_bytes("second")),
        published_by=UserFactory(),
    )
    second.pdf.save("report.pdf", ContentFile(pdf_bytes("second")), save=False)
    PublishedReport.objects.bulk_create([second])
    cache.delete(published_pdf_key("ubon-pao", 2566, 6))

    with django_assert_num_queries(0):  # this process's memory: up to 2 s behind
        assert get(client, stable_url(round_)).body == pdf_bytes("first")
    expire_local_pdfs(time.monotonic() + LOCAL_PDF_SECONDS + 0.01)  # 2 s later
    with django_assert_num_queries(1):
        assert get(client, stable_url(round_)).body == pdf_bytes("second")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_previous_version_read_during_the_publication_is_forgotten_after_it(round_):
    """A request that comes while the new version is being committed still finds
    the previous one and caches it; the commit forgets it again."""
    publish(round_, pdf_bytes("first"))
    served_meanwhile = []

    def reader():
        try:
            served_meanwhile.append(get(Client(), stable_url(round_)).body)
        finally:
            connections.close_all()

    with transaction.atomic():
        publish(round_, pdf_bytes("second"))
        thread = threading.Thread(target=reader)
        thread.start()
        thread.join(30)
    assert served_meanwhile == [pdf_bytes("first")]  # it did read (and cache) the old one
    assert get(Client(), stable_url(round_)).body == pdf_bytes("second")


def test_a_browser_that_has_the_file_gets_304(client, round_, django_assert_num_queries):
    report = publish(round_, pdf_bytes("first"))
    get(client, stable_url(round_))
    etag = f'"{report.sha256}"'
    last_modified = http_date(report.published_at.timestamp())

    with django_assert_num_queries(0):
        not_modified = get(client, stable_url(round_), headers={"if-none-match": etag})
    assert not_modified.status_code == 304
    assert not_modified.body == b""
    assert not_modified["ETag"] == etag
    assert not_modified["Last-Modified"] == last_modified
    assert not_modified["Cache-Control"] == "public, max-age=300"

    since = get(client, stable_url(round_), headers={"if-modified-since": last_modified})
    assert since.status_code == 304

    versioned = get(client, version_url(round_, 1), headers={"if-none-match": etag})
    assert versioned.status_code == 304
    assert versioned["Cache-Control"] == "public, max-age=31536000, immutable"

    # A client that wants to change only this version (If-Match) is told it is not.
    assert get(client, stable_url(round_), headers={"if-match": '"other"'}).status_code == 412

    # Another file, or an older copy: the whole file.
    other = get(client, stable_url(round_), headers={"if-none-match": '"' + "0" * 64 + '"'})
    assert other.status_code == 200 and other.body == pdf_bytes("first")
    earlier = http_date((report.published_at - timedelta(days=1)).timestamp())
    older = get(client, stable_url(round_), headers={"if-modified-since": earlier})
    assert older.status_code == 200 and older.body == pdf_bytes("first")


def test_after_a_new_version_the_old_etag_gets_the_new_file(client, round_):
    first = publish(round_, pdf_bytes("first"))
    get(client, stable_url(round_))
    publish(round_, pdf_bytes("second"))
    served = get(client, stable_url(round_), headers={"if-none-match": f'"{first.sha256}"'})
    assert served.status_code == 200
    assert served.body == pdf_bytes("second")


def test_head_answers_like_get_without_the_body(client, round_):
    report = publish(round_, pdf_bytes("first"))
    for url in (stable_url(round_), version_url(round_, 1)):
        full = get(client, url)
        head = get(client, url, "head")
        assert head.status_code == 200
        assert head.body == b""
        for header in (
            "Content-Type",
            "Content-Length",
            "Content-Disposition",
            "ETag",
            "Last-Modified",
            "Cache-Control",
        ):
            assert head[header] == full[header], header
        assert head["Content-Length"] == str(report.size)
    assert get(client, stable_url(round_), "post").status_code == 405


def test_cache_lifetimes_fit_each_link(client, round_):
    report = publish(round_, pdf_bytes("first"))
    stable = get(client, stable_url(round_))
    assert stable["Cache-Control"] == "public, max-age=300"
    versioned = get(client, version_url(round_, 1))
    assert versioned["Cache-Control"] == "public, max-age=31536000, immutable"
    for response in (stable, versioned):
        assert response["Last-Modified"] == http_date(report.published_at.timestamp())


@pytest.mark.parametrize(
    "args",
    [
        ("ubon-pao", 2566, Round.Kind.TWELVE_MONTHS, None),  # nothing published for it
        ("ubon-pao", 2567, Round.Kind.SIX_MONTHS, None),
        ("another-org", 2566, Round.Kind.SIX_MONTHS, None),
        ("ubon-pao", 2566, Round.Kind.SIX_MONTHS, 2),  # no such version
        ("ubon-pao", 10**20, Round.Kind.SIX_MONTHS, 10**20),
    ],
)
def test_what_was_not_published_is_404_in_thai(client, round_, args):
    publish(round_, pdf_bytes("first"))
    RoundFactory(organization=round_.organization, kind=Round.Kind.TWELVE_MONTHS)
    slug, year, kind, version = args
    if version is None:
        url = reverse("reports:public_pdf", args=[slug, year, kind])
    else:
        url = reverse("reports:public_version", args=[slug, year, kind, version])
    for _ in range(2):  # a miss is not cached as a hit
        response = get(client, url)
        assert response.status_code == 404
        assert "ไม่พบหน้านี้" in response.body.decode()


def test_other_pdf_addresses_go_the_usual_way(client, round_):
    """The early answer (reports.middleware) is for the public PDF links only."""
    publish(round_, pdf_bytes("first"))
    for url in ("/p/ubon-pao/2566/6/latest.pdf", "/media/published/ubon-pao/2566/x.pdf"):
        response = get(client, url)
        assert response.status_code == 404
        assert "ไม่พบหน้านี้" in response.body.decode()
    draft = get(client, reverse("reports:pdf", args=["ubon-pao", 2566, 6]))
    assert draft.status_code == 302  # the draft report still asks to sign in


def test_the_admin_links_a_published_file_by_its_public_address(client, round_):
    """Nothing under MEDIA_URL is served: the admin's record of a version links to the
    version's public address, which serves its bytes."""
    report = publish(round_, pdf_bytes("first"))
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:reports_publishedreport_change", args=[report.pk]))
    links = re.findall(r'href="([^"]+\.pdf)"', page.content.decode())
    version_url = reverse("reports:public_version", args=["ubon-pao", 2566, 6, 1])
    assert links == [version_url]
    assert get(client, version_url).body == pdf_bytes("first")
