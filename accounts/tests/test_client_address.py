"""The address the limits on wrong passwords are counted for: the connection's, or
behind the TLS proxy the one the proxy appended to X-Forwarded-For, trusted only when
the connection comes from a proxy named in DJANGO_TRUSTED_PROXIES (accounts/signin.py,
client_address)."""

from ipaddress import ip_network

import pytest
from axes.models import AccessAttempt

from accounts.tests.logins import HOME, OFFICE, PASSWORD, fail, make_user, post_login
from accounts.tests.logins import run_with_settings as run

PROXY = "10.0.0.2"  # the TLS proxy in front, as the app server sees it
DIRECT = "192.0.2.55"  # a client that reaches the app port itself (HOST=0.0.0.0)


def _client_ips_with_settings(env, *requests):
    """The client address axes reads from each (X-Forwarded-For, REMOTE_ADDR) request,
    in a process started with these environment variables (the settings read them once,
    at start)."""
    code = (
        "import django; django.setup()\n"
        "from django.test import RequestFactory\n"
        "from axes.helpers import get_client_ip_address\n"
        f"for xff, remote in {list(requests)!r}:\n"
        "    r = RequestFactory().post('/accounts/login/', REMOTE_ADDR=remote, "
        "HTTP_X_FORWARDED_FOR=xff)\n"
        "    print(get_client_ip_address(r))\n"
    )
    result = run(env, code)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_behind_the_proxy_the_client_is_the_address_the_proxy_appended():
    proxy = {"DJANGO_BEHIND_TLS_PROXY": "1", "DJANGO_TRUSTED_PROXIES": PROXY}
    seen = _client_ips_with_settings(
        proxy,
        ("203.0.113.10", PROXY),
        # What a client sends itself stands to the left and is ignored.
        ("1.2.3.4, 203.0.113.10", PROXY),
        # An intranet client behind the proxy is still told apart from the proxy.
        ("8.8.8.8, 192.168.1.20", PROXY),
    )
    assert seen == ["203.0.113.10", "203.0.113.10", "192.168.1.20"]
    # Two proxies (e.g. a CDN, then the agency's own): the one before the last.
    two = {**proxy, "DJANGO_PROXY_COUNT": "2"}
    three_hops = ("1.2.3.4, 203.0.113.10, 198.51.100.1", PROXY)
    assert _client_ips_with_settings(two, three_hops) == ["203.0.113.10"]


def test_without_the_proxy_forwarded_headers_are_not_trusted():
    assert _client_ips_with_settings({}, ("203.0.113.10", "192.0.2.55")) == ["192.0.2.55"]


def test_behind_the_proxy_forwarded_for_is_trusted_only_from_the_proxy():
    """A client that reaches the app port directly names no address of its choosing:
    its own is counted. By default the proxy is on the same machine (127.0.0.1, ::1),
    as gunicorn's FORWARDED_ALLOW_IPS assumes."""
    proxy = {"DJANGO_BEHIND_TLS_PROXY": "1"}
    assert _client_ips_with_settings(
        proxy,
        ("203.0.113.10", DIRECT),
        ("203.0.113.10", "127.0.0.1"),
        ("203.0.113.10", "::1"),
        ("203.0.113.10", "::ffff:127.0.0.1"),  # a dual-stack socket's loopback
        ("203.0.113.10", PROXY),
    ) == [DIRECT, OFFICE, OFFICE, OFFICE, PROXY]


def test_the_trusted_proxies_come_from_the_settings():
    proxy = {"DJANGO_BEHIND_TLS_PROXY": "1"}
    requests = [("203.0.113.10", "10.1.2.3"), ("203.0.113.10", DIRECT)]
    networks = {**proxy, "DJANGO_TRUSTED_PROXIES": " 10.0.0.0/8, fd00::/8 "}
    assert _client_ips_with_settings(networks, *requests) == [OFFICE, DIRECT]
    # Gunicorn's own setting is the default, so one variable names the proxy to both.
    gunicorn = {**proxy, "FORWARDED_ALLOW_IPS": "10.1.2.3"}
    assert _client_ips_with_settings(gunicorn, *requests) == [OFFICE, DIRECT]
    # "*": every connection is a proxy's (only where nothing else reaches the app port).
    anyone = {**proxy, "DJANGO_TRUSTED_PROXIES": "*"}
    assert _client_ips_with_settings(anyone, *requests) == [OFFICE, OFFICE]


@pytest.mark.parametrize("value", ["10.0.0.300", "proxy.example.go.th", "", "10.0.0.1,,"])
def test_a_trusted_proxy_that_is_no_address_refuses_to_start(value):
    result = run(
        {"DJANGO_BEHIND_TLS_PROXY": "1", "DJANGO_TRUSTED_PROXIES": value},
        "import ita_portal.settings",
    )
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES" in result.stderr
    assert "addresses or networks" in result.stderr


@pytest.fixture
def behind_the_proxy(settings):
    """The settings DJANGO_BEHIND_TLS_PROXY=1 and DJANGO_TRUSTED_PROXIES=10.0.0.2 give
    (the tests above read them in a process of their own)."""
    settings.AXES_CLIENT_IP_CALLABLE = "accounts.signin.client_address"
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.IPWARE_STRICT = False
    settings.ITA_TRUSTED_PROXIES = [ip_network(PROXY)]


@pytest.mark.django_db
def test_a_client_reaching_the_app_port_cannot_guess_on_by_changing_forwarded_for(
    client, behind_the_proxy
):
    make_user(username="staff")
    for n in range(12):
        rotated = f"198.51.100.{n + 1}"
        post_login(client, "staff", "wrong", ip=DIRECT, HTTP_X_FORWARDED_FOR=rotated)
    response = post_login(client, "staff", PASSWORD, ip=DIRECT, HTTP_X_FORWARDED_FOR=HOME)
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {DIRECT}
    # Through the proxy, the person at home signs in.
    assert (
        post_login(client, "staff", PASSWORD, ip=PROXY, HTTP_X_FORWARDED_FOR=HOME).status_code
        == 302
    )


@pytest.mark.django_db
def test_a_client_cannot_escape_the_lock_by_forging_forwarded_for(client, behind_the_proxy):
    make_user(username="staff")
    for n in range(5):
        forged = f"192.0.2.{n + 1}, {OFFICE}"
        post_login(client, "staff", "wrong", ip=PROXY, HTTP_X_FORWARDED_FOR=forged)
    response = post_login(
        client, "staff", PASSWORD, ip=PROXY, HTTP_X_FORWARDED_FOR=f"8.8.8.8, {OFFICE}"
    )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}
    # Another client behind the same proxy is not locked.
    other = post_login(client, "staff", PASSWORD, ip=PROXY, HTTP_X_FORWARDED_FOR=HOME)
    assert other.status_code == 302


@pytest.mark.django_db
def test_many_people_behind_the_proxy_are_not_one_address(client, behind_the_proxy):
    """Spraying from one address is limited; people behind the proxy are counted apart,
    so the proxy's own address never collects everyone's wrong passwords."""
    for n in range(30):
        make_user(username=f"person{n}")
        fail(client, f"person{n}", 1, ip=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}")
    make_user(username="late")
    response = post_login(client, "late", PASSWORD, ip=PROXY, HTTP_X_FORWARDED_FOR=HOME)
    assert response.status_code == 302
