"""What the link check found, in the admin for the superuser: Thai columns, BE dates,
a filter by the last result; read only; coordinators do not open it (a row is a URL
of any agency; their own broken links are on their home page); the list costs the
same number of queries whatever its rows."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from linkcheck.models import LinkStatus, url_hash
from testing.admin_pages import admin_url, list_page, root_client, writes_refused
from testing.pages import visible_text

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 1, 15, 9, 30, tzinfo=ZoneInfo("Asia/Bangkok"))
WHEN_BE = "15 ม.ค. 2569 09:30 น."


def status(url: str, **fields) -> LinkStatus:
    return LinkStatus.objects.create(url=url, url_hash=url_hash(url), **fields)


@pytest.fixture
def statuses():
    broken = status(
        "https://www.example.go.th/gone",
        last_checked_at=WHEN,
        last_ok_at=None,
        status_code=404,
        error="ไม่พบหน้า (404)",
        consecutive_failures=3,
    )
    ok = status(
        "https://www.example.go.th/fine", last_checked_at=WHEN, last_ok_at=WHEN, status_code=200
    )
    return broken, ok, status("https://www.example.go.th/new")


def test_the_superuser_reads_the_checks_results_in_thai(statuses):
    broken, _, _ = statuses
    client = root_client()
    text, _ = list_page(client, LinkStatus)
    for heading in (
        "ลิงก์",
        "ผลการตรวจล่าสุด",
        "รหัสสถานะ HTTP",
        "ใช้งานไม่ได้ติดต่อกัน (ครั้ง)",
        "ตรวจล่าสุดเมื่อ",
        "ใช้งานได้ล่าสุดเมื่อ",
    ):
        assert heading in text, heading
    assert f"https://www.example.go.th/gone ใช้งานไม่ได้ 404 3 {WHEN_BE} -" in text
    assert f"https://www.example.go.th/fine ใช้งานได้ 200 0 {WHEN_BE} {WHEN_BE}" in text
    assert "https://www.example.go.th/new ยังไม่ได้ตรวจ" in text
    assert "2026" not in text
    page = visible_text(client.get(admin_url(LinkStatus, "change", broken.pk)))
    assert "ปัญหาที่พบ: ไม่พบหน้า (404)" in page and "2026" not in page


def test_the_list_filters_by_the_last_result(statuses):
    client = root_client()
    text, _ = list_page(client, LinkStatus, "?result=broken")
    assert "/gone" in text and "/fine" not in text and "/new" not in text
    text, _ = list_page(client, LinkStatus, "?result=ok")
    assert "/fine" in text and "/gone" not in text and "/new" not in text
    text, _ = list_page(client, LinkStatus, "?result=unchecked")
    assert "/new" in text and "/gone" not in text and "/fine" not in text


def test_coordinators_do_not_open_it_and_nobody_writes_here(statuses, coordinator_client):
    broken, _, _ = statuses
    assert coordinator_client.get(admin_url(LinkStatus, "changelist")).status_code == 403
    assert coordinator_client.get(admin_url(LinkStatus, "change", broken.pk)).status_code == 403
    writes_refused(root_client(), broken)


def test_the_list_costs_the_same_whatever_its_rows(statuses):
    client = root_client()
    _, before = list_page(client, LinkStatus)
    for n in range(10):
        status(
            f"https://t{n}.go.th/", last_checked_at=WHEN, status_code=500, consecutive_failures=1
        )
    text, after = list_page(client, LinkStatus)
    assert "https://t9.go.th/" in text
    # The session and its user, the page's rows, the count.
    assert after == before <= 5
