"""A run of the check over the portal's evidence links, against a real local server:
what it records, the once-a-day rule, the command and the schedule's switch."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from linkcheck import services, tasks
from linkcheck.models import LinkStatus
from progress.models import Evidence
from testing.factories import ProgressFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def progress():
    return ProgressFactory()


def evidence(progress, url, title=""):
    return Evidence.objects.create(progress=progress, url=url, title=title)


def status(url) -> LinkStatus:
    return LinkStatus.objects.get(url=url)


def test_run_records_what_each_link_answered(site, loopback, progress):
    ok, missing = site.url("/ok"), site.url("/missing")
    evidence(progress, ok)
    evidence(progress, ok)  # one link shown twice is checked once
    evidence(progress, missing)
    summary = services.run_checks()
    assert (summary.known, summary.checked, summary.broken) == (2, 2, 1)
    assert sorted(site.paths()) == ["/missing", "/ok"]
    good, bad = status(ok), status(missing)
    assert good.last_ok_at and good.consecutive_failures == 0 and good.status_code == 200
    assert bad.last_ok_at is None and bad.consecutive_failures == 1 and bad.status_code == 404
    assert bad.error == "ไม่พบหน้านี้บนเว็บไซต์ (HTTP 404)"


def test_each_link_at_most_once_a_day(site, loopback, progress):
    evidence(progress, site.url("/missing"))
    services.run_checks()
    assert services.run_checks().checked == 0  # the same day: nothing again
    assert len(site.requests) == 1
    # The next day it is checked again; failures count up, the last good day stays.
    yesterday = timezone.now() - timedelta(days=1)
    LinkStatus.objects.update(
        claimed_on=timezone.localdate() - timedelta(days=1), last_ok_at=yesterday
    )
    assert services.run_checks().checked == 1
    again = status(site.url("/missing"))
    assert again.consecutive_failures == 2 and again.last_ok_at == yesterday
    assert len(site.requests) == 2


def test_a_link_that_works_again_is_no_longer_broken(site, loopback, progress):
    url = site.url("/ok")
    evidence(progress, url)
    LinkStatus.objects.create(
        url=url, url_hash=services.url_hash(url), consecutive_failures=3, error="เก่า"
    )
    services.run_checks()
    fixed = status(url)
    assert not fixed.is_broken and fixed.error == "" and fixed.last_ok_at


def test_links_no_longer_shown_are_forgotten(site, loopback, progress):
    shown = evidence(progress, site.url("/ok"))
    services.run_checks()
    shown.delete()
    services.run_checks()
    assert not LinkStatus.objects.exists()


def test_a_run_stops_when_its_time_is_spent(site, loopback, progress):
    evidence(progress, site.url("/ok"))
    summary = services.run_checks(budget_seconds=0)
    assert summary.due == 1 and summary.checked == 0 and site.requests == []


def test_dry_run_requests_and_writes_nothing(site, loopback, progress, capsys):
    evidence(progress, site.url("/ok"))
    call_command("check_links", "--dry-run")
    out = capsys.readouterr().out
    assert site.url("/ok") in out
    assert "ลิงก์ทั้งหมด 1 รายการ จะตรวจวันนี้ 1 รายการ (ไม่ได้ตรวจจริง)" in out
    assert site.requests == [] and not LinkStatus.objects.exists()


def test_command_checks_and_names_broken_links(site, loopback, progress, capsys):
    evidence(progress, site.url("/missing"))
    call_command("check_links")
    out = capsys.readouterr().out
    assert f"ใช้งานไม่ได้: {site.url('/missing')}" in out
    assert "ตรวจแล้ว 1 รายการ ใช้งานไม่ได้ 1 รายการ" in out


def test_scheduled_check_is_off_unless_configured(site, loopback, progress):
    evidence(progress, site.url("/ok"))
    assert loopback.ITA_LINK_CHECK is False
    tasks.check_links()
    assert site.requests == [] and not LinkStatus.objects.exists()
    loopback.ITA_LINK_CHECK = True
    tasks.check_links()
    assert site.paths() == ["/ok"] and status(site.url("/ok")).last_ok_at


def test_a_second_run_takes_only_what_the_first_has_not_taken(progress):
    for n in range(3):
        evidence(progress, f"https://www.example.go.th/{n}.pdf")
    services.sync_links()
    today = timezone.localdate()
    first = services.claim(today, 2, "run-a")
    second = services.claim(today, 5, "run-b")
    assert len(first) == 2 and len(second) == 1
    assert {s.pk for s in first}.isdisjoint({s.pk for s in second})
    assert services.claim(today, 5, "run-c") == []
