"""Sign-in protection: the limits on wrong passwords (django-axes) and the address
they are counted for.

Three limits, each over the last AXES_COOLOFF_MINUTES; a lock lasts that long and
refuses the right password too:

1. AXES_FAILURE_LIMIT wrong passwords for one username from one address lock that
   username at that address (axes' own limit, keyed on the pair): one person, or one
   attacker, behind an office's single NAT address does not lock the office out.
2. ITA_USERNAME_FAILURE_LIMIT for one username from all addresses together (guessing
   one password from many addresses): from then on, every address that has itself
   failed for that username is locked for it. Each further guess needs an address
   that has not guessed yet, and is its last; the owner, at an address that has not
   failed, still signs in.
3. ITA_ADDRESS_FAILURE_LIMIT from one address over all usernames (password spraying:
   a few passwords tried on many usernames): the address is locked for every username.

Limits 2 and 3 never lock a username at an address it has signed in from before
(axes' login log): what others do cannot lock people out of their usual place, while
limit 1 still holds there. A superuser unlocks by deleting the rows in the admin
(การเข้าสู่ระบบที่ผิด) or with `manage.py axes_reset_username <username>` /
`axes_reset_ip <address>`.

The address. Without a proxy it is the connection's (REMOTE_ADDR). Behind the TLS
proxy (DJANGO_BEHIND_TLS_PROXY) it is the one the proxy appended to X-Forwarded-For,
read by django-ipware, but only when the connection comes from a trusted proxy
(DJANGO_TRUSTED_PROXIES): a client that reaches the app port directly names no
address of its choosing. ipware's own trusted-proxy list checks the entries inside
X-Forwarded-For, which the client writes; the connection's address it cannot check.
"""

import ipaddress
from datetime import datetime, timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from ipware import get_client_ip

from thai.conventions import format_thai_date

ADDRESS = "address"  # limit 3: too many wrong passwords from this address
USERNAME = "username"  # limit 2: too many for this username from all addresses


def _failures(attempts: QuerySet) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def _reached(attempts: QuerySet, limit: int) -> bool:
    return bool(limit) and _failures(attempts) >= limit


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with limits 2 and 3 (see the module's docstring).

    Axes compares one number with one limit (AXES_FAILURE_LIMIT). `get_failures`
    answers the failures of this username from this address, or the limit itself when
    limit 2 or 3 locks this username at this address.
    """

    def _recent(self, request) -> QuerySet:
        return AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))

    def wider_lock(self, request, username) -> str | None:
        """ADDRESS or USERNAME when limit 3 or 2 locks this username at this address."""
        address = request.axes_ip_address
        recent = self._recent(request)
        if _reached(recent.filter(ip_address=address), settings.ITA_ADDRESS_FAILURE_LIMIT):
            lock = ADDRESS
        elif recent.filter(username=username, ip_address=address).exists() and _reached(
            recent.filter(username=username), settings.ITA_USERNAME_FAILURE_LIMIT
        ):
            lock = USERNAME
        else:
            return None
        if AccessLog.objects.filter(username=username, ip_address=address).exists():
            return None  # signed in from here before
        return lock

    def get_failures(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        from_here = _failures(
            self._recent(request).filter(username=username, ip_address=request.axes_ip_address)
        )
        limit = get_failure_limit(request, credentials)
        if from_here < limit and self.wider_lock(request, username):
            return limit
        return from_here

    def locked_until(self, request, credentials=None) -> datetime:
        """When the lock on this username at this address ends at the latest."""
        username = get_client_username(request, credentials)
        attempts = self._recent(request).filter(ip_address=request.axes_ip_address)
        if self.wider_lock(request, username) != ADDRESS:
            attempts = attempts.filter(username=username)
        last = attempts.aggregate(last=Max("attempt_time"))["last"] or request.axes_attempt_time
        return last + get_cool_off(request)


def _is_trusted_proxy(peer: str | None) -> bool:
    trusted = settings.ITA_TRUSTED_PROXIES
    if trusted is None:  # "*": every peer (the app port is reachable from the proxy only)
        return True
    try:
        ip = ipaddress.ip_address(peer or "")
    except ValueError:
        return False
    ip = getattr(ip, "ipv4_mapped", None) or ip  # ::ffff:127.0.0.1 on a dual-stack socket
    return any(ip.version == network.version and ip in network for network in trusted)


def client_address(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE behind the TLS proxy: the address the proxy appended to
    X-Forwarded-For (django-ipware, configured by the AXES_IPWARE_* settings) when the
    connection comes from a trusted proxy, else the connection's own address."""
    peer = request.META.get("REMOTE_ADDR")
    if not _is_trusted_proxy(peer):
        return peer
    address, _routable = get_client_ip(
        request,
        proxy_order=settings.AXES_IPWARE_PROXY_ORDER,
        proxy_count=settings.AXES_IPWARE_PROXY_COUNT,
        proxy_trusted_ips=settings.AXES_IPWARE_PROXY_TRUSTED_IPS,
        request_header_order=settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
    )
    return address or peer


def thai_duration(delta: timedelta) -> str:
    """ "15 นาที", "1 ชั่วโมง", "1 ชั่วโมง 30 นาที", "1 วัน"."""
    minutes = max(1, round(delta.total_seconds() / 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [(days, "วัน"), (hours, "ชั่วโมง"), (minutes, "นาที")]
    return " ".join(f"{n} {unit}" for n, unit in parts if n)


def thai_moment(moment: datetime) -> str:
    """ "14:35 น." today, "14:35 น. วันที่ 5 พฤษภาคม 2568" on another day (local time)."""
    local = timezone.localtime(moment)
    text = f"{local:%H:%M} น."
    if local.date() != timezone.localdate():
        text += f" วันที่ {format_thai_date(local.date())}"
    return text


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the Thai lockout page (status 429), portal and admin alike."""
    from axes.handlers.proxy import AxesProxyHandler

    handler = AxesProxyHandler.get_implementation()
    username = get_client_username(request, credentials)
    if isinstance(handler, LockoutHandler):
        until = handler.locked_until(request, credentials)
        by_address = handler.wider_lock(request, username) == ADDRESS
    else:
        until = request.axes_attempt_time + get_cool_off(request)
        by_address = False
    admin = request.path.startswith(reverse("admin:index"))
    context = {
        "username": username or "",
        "by_address": by_address,
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff": thai_duration(get_cool_off(request)),
        "until": thai_moment(until),
        "login_url": reverse("admin:login") if admin else reverse("login"),
        "support_contact": settings.ITA_SUPPORT_CONTACT,
    }
    return render(
        request,
        "registration/locked_out.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
