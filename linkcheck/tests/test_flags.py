"""Broken evidence links are flagged where the evidence is shown: the measure page
and the progress form, with the day they last worked (BE)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from linkcheck.models import LinkStatus, url_hash
from measures.models import Round
from progress.models import Evidence, Progress

pytestmark = pytest.mark.django_db
BANGKOK = ZoneInfo("Asia/Bangkok")
BROKEN = "https://www.ubonpao.go.th/ita/2566/o42.pdf"
GOOD = "https://www.ubonpao.go.th/ita/2566/o43.pdf"


def link_status(url, failures, last_ok):
    return LinkStatus.objects.create(
        url=url,
        url_hash=url_hash(url),
        consecutive_failures=failures,
        last_ok_at=last_ok,
        last_checked_at=datetime(2026, 12, 6, 2, 0, tzinfo=BANGKOK),
        status_code=404 if failures else 200,
        error="ไม่พบหน้านี้บนเว็บไซต์ (HTTP 404)" if failures else "",
    )


@pytest.fixture
def shown(org, measure):
    # The 12-month round, open in the seed.
    twelve = Round.objects.get(organization=org, kind=Round.Kind.TWELVE_MONTHS)
    progress, _ = Progress.objects.get_or_create(measure=measure, round=twelve)
    Evidence.objects.create(progress=progress, url=BROKEN, title="ประกาศเจตนารมณ์")
    Evidence.objects.create(progress=progress, url=GOOD, title="รายงานผล")
    link_status(BROKEN, 2, datetime(2026, 12, 4, 23, 30, tzinfo=BANGKOK))
    link_status(GOOD, 0, datetime(2026, 12, 6, 2, 0, tzinfo=BANGKOK))
    return progress


def flagged(html: str) -> list[str]:
    return [line for line in html.splitlines() if "ลิงก์ใช้งานไม่ได้" in line]


def test_measure_page_flags_the_broken_link_with_when_it_last_worked(client, staff, measure, shown):
    client.force_login(staff)
    html = client.get(reverse("progress:detail", args=[measure.pk])).content.decode()
    [line] = flagged(html)
    assert 'ประกาศเจตนารมณ์</a> <span class="link-broken">' in line
    assert "ไม่พบหน้านี้บนเว็บไซต์ (HTTP 404) · ใช้งานได้ล่าสุดเมื่อ 4 ธันวาคม 2569" in line
    assert "รายงานผล" not in line  # the working link is not flagged


def test_progress_form_flags_it_too(client, staff, measure, shown):
    client.force_login(staff)
    html = client.get(reverse("progress:progress", args=[measure.pk, 12])).content.decode()
    [line] = flagged(html)
    assert "ใช้งานได้ล่าสุดเมื่อ 4 ธันวาคม 2569" in line


def test_a_link_that_never_worked_says_so(client, staff, measure, shown):
    LinkStatus.objects.filter(url=BROKEN).update(last_ok_at=None)
    client.force_login(staff)
    html = client.get(reverse("progress:detail", args=[measure.pk])).content.decode()
    [line] = flagged(html)
    assert "ยังเปิดไม่ได้ตั้งแต่เริ่มตรวจ (ตรวจล่าสุด 6 ธ.ค. 2569 02:00 น.)" in line
