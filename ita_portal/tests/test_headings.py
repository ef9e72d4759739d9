"""One h1 on every page each role opens (issue 21): the page's own heading. A document
shown inside a page (the report's cover, the analysis's title) is a level below it
there; its PDF keeps its h1. The pages are the accessibility test's, read through the
test client (no browser needed to count headings)."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from analysis.document import build_view
from analysis.selectors import build_analysis
from analysis.services import analysis_html
from ita_portal.tests.browser.test_accessibility import pages_of
from ita_portal.tests.browser.test_journeys import SAMNAK_PALAD, person
from organizations.models import Membership, OverseerScope
from reports.document import build_document
from reports.pdf.render import report_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


class _Headings(HTMLParser):
    """The page's headings, in order, as their level."""

    def __init__(self):
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag, attrs):
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.levels.append(int(tag[1]))


def headings(html: str) -> list[int]:
    parser = _Headings()
    parser.feed(html)
    return parser.levels


def _people(org) -> dict:
    people = {
        "coordinator": person(org, "coord", "สมศรี ประสาน", Membership.Role.COORDINATOR),
        "staff": person(org, "staff", "สมชาย ทำงาน", Membership.Role.STAFF, [SAMNAK_PALAD]),
        "executive": person(org, "boss", "สมปอง บริหาร", Membership.Role.EXECUTIVE),
    }
    overseer = person(org, "watch", "สมหวัง กำกับ", Membership.Role.STAFF)
    Membership.objects.filter(user=overseer).delete()
    OverseerScope.objects.create(user=overseer, whole_installation=True, office="สำนักงาน ป.ป.ช.")
    return {**people, "overseer": overseer, "public": None}


def test_every_page_has_one_h1_and_no_level_skipped(seed, client):
    people = _people(seed.organization)
    found = []
    for role, urls in pages_of(seed).items():
        client.logout()
        if people[role] is not None:
            client.force_login(people[role])
        for url in urls:
            answer = client.get(url)
            # Whatever the page answers (the staff member's is a 404 page) has one h1.
            assert answer.status_code in (200, 404), f"{role} {url}: {answer.status_code}"
            levels = headings(answer.content.decode())
            if levels.count(1) != 1:
                found.append(f"{role} {url}: {levels.count(1)} h1")
            # A heading more than one level below the one before skips a level
            # (axe-core's heading-order; Django's admin is left as Django makes it).
            skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
            if skips and not url.startswith("/admin/"):
                found.append(f"{role} {url}: skips {skips}")
    assert not found, "\n".join(found)


def test_the_documents_headings_sit_under_the_pages_own(seed, six, coordinator_client):
    org, year = seed.organization, 2566
    report = coordinator_client.get(reverse("reports:page", args=[org.slug, year, 6]))
    html = report.content.decode()
    assert html.count("<h1") == 1
    assert re.search(r'<section class="cover">\s*<h2>', html)
    assert '<h3 class="intro-heading">' in html
    analysis = coordinator_client.get(reverse("analysis:page", args=[org.slug, year]))
    html = analysis.content.decode()
    assert html.count("<h1") == 1
    assert '<h2 class="analysis-title">' in html
    assert '<h3 class="section-heading">' in html
    # Their PDFs, documents on their own, keep the h1.
    assert report_html(build_document(six)).count("<h1>") == 1
    pdf = analysis_html(build_view(build_analysis(org, seed.fiscal_year)))
    assert pdf.count('<h1 class="analysis-title">') == 1
    assert '<h2 class="section-heading">' in pdf
