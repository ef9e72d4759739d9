"""The coordinator's home lists the agency's broken links, for its own people only,
at a cost that does not grow with their number."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from linkcheck.models import LinkStatus, url_hash
from measures.models import Round
from organizations.models import Membership
from progress.models import Evidence, Progress
from testing.factories import OrganizationFactory, ProgressFactory, member

pytestmark = pytest.mark.django_db
BANGKOK = ZoneInfo("Asia/Bangkok")


def broken(url, last_ok=datetime(2026, 11, 30, 9, 0, tzinfo=BANGKOK)):
    return LinkStatus.objects.create(
        url=url,
        url_hash=url_hash(url),
        consecutive_failures=3,
        last_ok_at=last_ok,
        status_code=404,
        error="ไม่พบหน้านี้บนเว็บไซต์ (HTTP 404)",
    )


@pytest.fixture
def twelve_progress(org, measure):
    twelve = Round.objects.get(organization=org, kind=Round.Kind.TWELVE_MONTHS)
    return Progress.objects.get_or_create(measure=measure, round=twelve)[0]


def add_broken_links(progress, n):
    for i in range(n):
        url = f"https://www.ubonpao.go.th/ita/evidence-{progress.pk}-{i}.pdf"
        Evidence.objects.create(progress=progress, url=url, title=f"หลักฐานชิ้นที่ {i + 1}")
        broken(url)


def section(html: str) -> str:
    start = html.index('id="broken-links"')
    return html[start : html.index("</ul>", start)]


def test_coordinator_sees_the_broken_links_with_where_and_when(
    coordinator_client, measure, twelve_progress
):
    add_broken_links(twelve_progress, 1)
    html = section(coordinator_client.get(reverse("home")).content.decode())
    assert "ลิงก์ที่ใช้งานไม่ได้" in html
    assert f'href="{reverse("progress:detail", args=[measure.pk])}"' in html
    assert f"มาตรการที่ {measure.order} รอบ 12 เดือน ปีงบประมาณ พ.ศ. 2566" in html
    assert "หลักฐานชิ้นที่ 1" in html and "ลิงก์หลักฐานผลการดำเนินการ" in html
    assert "ไม่พบหน้านี้บนเว็บไซต์ (HTTP 404) · ใช้งานได้ล่าสุดเมื่อ 30 พฤศจิกายน 2569" in html


def test_no_list_without_broken_links(coordinator_client, twelve_progress):
    url = "https://www.ubonpao.go.th/ita/ok.pdf"
    Evidence.objects.create(progress=twelve_progress, url=url)
    LinkStatus.objects.create(url=url, url_hash=url_hash(url), consecutive_failures=0)
    assert 'id="broken-links"' not in coordinator_client.get(reverse("home")).content.decode()


def test_staff_and_other_agencies_do_not_see_the_list(client, org, staff, twelve_progress):
    add_broken_links(twelve_progress, 1)
    client.force_login(staff)
    assert 'id="broken-links"' not in client.get(reverse("home")).content.decode()
    # Another agency's coordinator, with a broken link of its own at the same address.
    other_progress = ProgressFactory(measure__organization=OrganizationFactory())
    other = member(other_progress.measure.organization, Membership.Role.COORDINATOR, "other")
    same = twelve_progress.evidence.get().url
    Evidence.objects.create(progress=other_progress, url=same, title="ของหน่วยงานอื่น")
    client.force_login(other)
    html = section(client.get(reverse("home")).content.decode())
    assert "ของหน่วยงานอื่น" in html and "หลักฐานชิ้นที่ 1" not in html
    assert f'href="{reverse("progress:detail", args=[other_progress.measure_id])}"' in html


def test_home_section_costs_the_same_for_1_and_12_broken_links(
    coordinator_client, twelve_progress, django_assert_num_queries, org
):
    # The section adds one query per kind of link and one for the statuses.
    add_broken_links(twelve_progress, 1)
    with CaptureQueriesContext(connection) as one:
        first = coordinator_client.get(reverse("home")).content.decode()
    assert section(first).count("<li") == 1
    six = Round.objects.get(organization=org, kind=Round.Kind.SIX_MONTHS)
    add_broken_links(Progress.objects.filter(round=six).first(), 11)
    with django_assert_num_queries(len(one.captured_queries)):
        page = coordinator_client.get(reverse("home")).content.decode()
    assert section(page).count("<li") == 12
    assert 'id="broken-links-more"' not in page


def test_a_long_list_shows_the_first_20_and_counts_the_rest(coordinator_client, twelve_progress):
    add_broken_links(twelve_progress, 23)
    html = section(coordinator_client.get(reverse("home")).content.decode())
    assert html.count("หลักฐานชิ้นที่") == 20
    assert "และอีก 3 ลิงก์ (ดูได้ที่หน้าของแต่ละมาตรการและหน้าข้อ OIT)" in html
