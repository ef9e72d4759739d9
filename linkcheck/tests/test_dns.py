"""The name lookup's own time bound: a name server that answers late holds a link no
longer than a connect would, and never beyond the link's deadline. The lookup is
pointed at a real DNS server on 127.0.0.1 (linkcheck/tests/dns.py); the system's
resolver is what every other test of the checker goes through ("localhost" among them)."""

import socket
import time

import pytest

from linkcheck import checker, services
from linkcheck.models import LinkStatus
from linkcheck.tests.dns import DNSServer
from progress.models import Evidence
from testing.factories import ProgressFactory

FAST, SLOW = "evidence.example.go.th", "slow.example.go.th"


@pytest.fixture
def dns(monkeypatch):
    server = DNSServer({FAST: "127.0.0.1", SLOW: "127.0.0.1"}, late={SLOW: 5.0})
    monkeypatch.setattr(checker, "getaddrinfo", server.resolver())
    yield server
    server.stop()


def url(site, host, path="/ok"):
    return f"http://{host}:{site.server_port}{path}"


def test_the_system_resolver_is_the_default():
    assert checker.getaddrinfo is socket.getaddrinfo


def test_a_name_the_server_answers_is_checked(site, loopback, dns):
    result = checker.check(url(site, FAST))
    assert result.ok and result.status_code == 200
    assert dns.queries == [FAST] and site.paths() == ["/ok"]


def test_a_name_the_server_does_not_know_is_reported(site, loopback, dns):
    result = checker.check(url(site, "missing.example.go.th"))
    assert not result.ok and result.error == "ไม่พบชื่อเว็บไซต์นี้ (DNS)"
    assert site.requests == []


def test_a_late_name_server_is_given_up_on_after_the_timeout(site, loopback, dns):
    loopback.ITA_LINK_CHECK_TIMEOUT = 0.5
    loopback.ITA_LINK_CHECK_DEADLINE = 1.0  # no time for a second try
    started = time.monotonic()
    result = checker.check(url(site, SLOW))
    elapsed = time.monotonic() - started
    assert 0.45 < elapsed < 0.9
    assert not result.ok and result.error == "ค้นหาชื่อโดเมนของเว็บไซต์ไม่ทันเวลา (DNS)"
    assert result.transient and dns.queries == [SLOW] and site.requests == []


def test_the_lookup_ends_with_the_links_deadline(site, loopback, dns):
    loopback.ITA_LINK_CHECK_TIMEOUT = 5.0
    loopback.ITA_LINK_CHECK_DEADLINE = 0.8
    started = time.monotonic()
    result = checker.check(url(site, SLOW))
    assert time.monotonic() - started < 1.2
    assert result.error == "ค้นหาชื่อโดเมนของเว็บไซต์ไม่ทันเวลา (DNS)"


def test_a_hung_lookup_does_not_hold_the_next_link(site, loopback, dns):
    loopback.ITA_LINK_CHECK_TIMEOUT = 0.3
    loopback.ITA_LINK_CHECK_DEADLINE = 0.6
    assert not checker.check(url(site, SLOW)).ok  # its lookup still waits, in the pool
    started = time.monotonic()
    assert checker.check(url(site, FAST)).ok
    assert time.monotonic() - started < 0.3


@pytest.mark.django_db
def test_the_run_records_the_late_lookup_in_thai(site, loopback, dns):
    loopback.ITA_LINK_CHECK_TIMEOUT = 0.5
    loopback.ITA_LINK_CHECK_DEADLINE = 1.0
    late, fine = url(site, SLOW), url(site, FAST)
    progress = ProgressFactory()
    Evidence.objects.create(progress=progress, url=late)
    Evidence.objects.create(progress=progress, url=fine)
    started = time.monotonic()
    summary = services.run_checks()
    assert time.monotonic() - started < 2.5  # not the 5 s the name server takes
    assert (summary.checked, summary.broken) == (2, 1)
    status = LinkStatus.objects.get(url=late)
    assert status.is_broken and status.status_code is None and status.last_ok_at is None
    assert status.error == "ค้นหาชื่อโดเมนของเว็บไซต์ไม่ทันเวลา (DNS)"
    assert LinkStatus.objects.get(url=fine).last_ok_at is not None
