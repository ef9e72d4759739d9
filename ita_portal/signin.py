"""Sign-in protection: login lockout (django-axes) and password reset by mail.

Lockout. django-axes counts failed logins per (username, IP address) and refuses
further attempts for AXES_COOLOFF_TIME once AXES_FAILURE_LIMIT is reached. Keying on
the pair means one person mistyping (or one attacker guessing) locks only that
account from that address: an office behind one NAT address keeps working.
`LockoutHandler` adds a second, higher limit per username alone
(ITA_USERNAME_FAILURE_LIMIT), so guessing one account's password from many
addresses is stopped too. A superuser unlocks by deleting the account's rows in the
admin (การเข้าสู่ระบบที่ผิด) or with `manage.py axes_reset_username <username>`.

Password reset is offered only when mail is configured (settings.PASSWORD_RESET_BY_MAIL):
otherwise the reset pages tell the person whom to ask for a new password, instead of a
form that pretends a mail was sent.
"""

from datetime import datetime, timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Max, Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from measures.thai import format_thai_date


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a second limit per username from any address.

    Axes compares one number with one limit (AXES_FAILURE_LIMIT). `get_failures`
    answers the failures of this username from this address, or the limit itself once
    the username's failures from all addresses reach ITA_USERNAME_FAILURE_LIMIT.
    """

    def _recent(self, request, username):
        return AccessAttempt.objects.filter(
            username=username, attempt_time__gte=get_cool_off_threshold(request)
        )

    def _username_limit_reached(self, request, username) -> bool:
        limit = settings.ITA_USERNAME_FAILURE_LIMIT
        if not limit:
            return False
        total = self._recent(request, username).aggregate(n=Sum("failures_since_start"))["n"]
        return (total or 0) >= limit

    def get_failures(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        from_here = (
            self._recent(request, username)
            .filter(ip_address=request.axes_ip_address)
            .aggregate(n=Sum("failures_since_start"))["n"]
            or 0
        )
        if self._username_limit_reached(request, username):
            return max(from_here, get_failure_limit(request, credentials))
        return from_here

    def locked_until(self, request, credentials=None) -> datetime:
        """When the lock on this username (from this address) ends at the latest."""
        username = get_client_username(request, credentials)
        attempts = self._recent(request, username)
        if not self._username_limit_reached(request, username):
            attempts = attempts.filter(ip_address=request.axes_ip_address)
        last = attempts.aggregate(last=Max("attempt_time"))["last"] or request.axes_attempt_time
        return last + get_cool_off(request)


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
    if isinstance(handler, LockoutHandler):
        until = handler.locked_until(request, credentials)
    else:
        until = request.axes_attempt_time + get_cool_off(request)
    admin = request.path.startswith(reverse("admin:index"))
    context = {
        "username": get_client_username(request, credentials) or "",
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


def _reset_unavailable(request):
    return render(
        request,
        "registration/password_reset_unavailable.html",
        {"support_contact": settings.ITA_SUPPORT_CONTACT},
    )


class LoginView(auth_views.LoginView):
    """Django's login, offering "ลืมรหัสผ่าน" only when a reset mail can be sent."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            password_reset_by_mail=settings.PASSWORD_RESET_BY_MAIL,
            support_contact=settings.ITA_SUPPORT_CONTACT,
            **kwargs,
        )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form when mail is configured; otherwise whom to ask."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.PASSWORD_RESET_BY_MAIL:
            return _reset_unavailable(request)
        return super().dispatch(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    """ "Mail sent" only when a mail can have been sent."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.PASSWORD_RESET_BY_MAIL:
            return _reset_unavailable(request)
        return super().dispatch(request, *args, **kwargs)
