"""django-axes' admin in Thai: the wrong-password records with an unlock action, the
login and failure logs, their times in BE and their titles in Thai.

Axes' own admins stay (search, filters, read-only fields); these subclasses show the
times in BE (thai.admin_dates), and the one of wrong-password records adds
"ปลดล็อก", gives its computed columns Thai headers, and replaces its "clean up
expired attempts" action, which answers 500 from the admin (it reads a request
attribute that only the login flow sets) and reports in English. Axes' field and
model names are translated in locale/th; its records' titles (their __str__, in
the page title, the breadcrumbs and the delete confirmation) are English f-strings,
so `register` gives them Thai ones.
"""

from datetime import datetime

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.utils import timezone

from accounts import services
from thai.admin_dates import be_date
from thai.templatetags.thai import thai_date


class ReadOnlyRecordMixin:
    """Sign-in records are written by django-axes only: the admin shows them (every
    field read only) and removes wrong-password records to unlock; saving one
    would only write the same values back around accounts.services."""

    def has_change_permission(self, request, obj=None):
        return False


class ThaiAccessAttemptAdmin(ReadOnlyRecordMixin, AccessAttemptAdmin):
    # Who and whether locked first; the long browser string last.
    list_display = [
        "username",
        "ip_address",
        "failures_since_start",
        "status",
        "attempt_time_be",
        "path_info",
        "user_agent",
    ]
    list_display_links = ["username"]
    actions = ["unlock", "cleanup_expired_attempts"]
    attempt_time_be = be_date(AccessAttempt, "attempt_time")

    @admin.action(description="ปลดล็อก (ลบรายการที่เลือก)", permissions=["delete"])
    def unlock(self, request, queryset):
        usernames = sorted({attempt.username or "-" for attempt in queryset})
        count = services.unlock(user=request.user, attempts=queryset)
        self.message_user(
            request,
            f"ปลดล็อกแล้ว {count} รายการ ({', '.join(usernames)}): เข้าสู่ระบบด้วยรหัสผ่านที่ถูกต้องได้ทันที",
        )

    @admin.action(description="ล้างรายการที่พ้นเวลาระงับแล้ว", permissions=["delete"])
    def cleanup_expired_attempts(self, request, queryset):
        threshold = timezone.now() - get_cool_off(request)
        count = services.forget_expired_attempts(user=request.user, before=threshold)
        self.message_user(request, f"ล้างรายการที่พ้นเวลาระงับแล้ว {count} รายการ")

    @admin.display(description="สถานะ")
    def status(self, obj: AccessAttempt):
        if obj.attempt_time <= timezone.now() - get_cool_off():
            return "พ้นเวลาระงับแล้ว"
        remaining = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if remaining > 0:
            return f"ผิดได้อีก {remaining} ครั้งก่อนถูกล็อก"
        return "ถูกล็อก"

    @admin.display(description="หมดอายุเมื่อ")
    def expiration(self, obj: AccessAttempt):
        value = super().expiration(obj)
        return thai_date(value) if isinstance(value, datetime) else value


class ThaiAccessLogAdmin(ReadOnlyRecordMixin, AccessLogAdmin):
    list_display = [
        "attempt_time_be",
        "logout_time_be",
        "ip_address",
        "username",
        "user_agent",
        "path_info",
    ]
    fieldsets = [
        (None, {"fields": ["username", "path_info", "attempt_time_be", "logout_time_be"]}),
        *AccessLogAdmin.fieldsets[1:],
    ]
    readonly_fields = [*AccessLogAdmin.readonly_fields, "attempt_time_be", "logout_time_be"]
    attempt_time_be = be_date(AccessLog, "attempt_time", "เข้าสู่ระบบเมื่อ")
    logout_time_be = be_date(AccessLog, "logout_time", "ออกจากระบบเมื่อ")


class ThaiAccessFailureLogAdmin(ReadOnlyRecordMixin, AccessFailureLogAdmin):
    list_display = [
        "attempt_time_be",
        "ip_address",
        "username",
        "user_agent",
        "path_info",
        "locked_out",
    ]
    fieldsets = [
        (None, {"fields": ["username", "path_info", "attempt_time_be", "locked_out"]}),
        *AccessFailureLogAdmin.fieldsets[1:],
    ]
    readonly_fields = [*AccessFailureLogAdmin.readonly_fields, "attempt_time_be"]
    attempt_time_be = be_date(AccessFailureLog, "attempt_time", "ใส่รหัสผ่านผิดเมื่อ")


def _who(record) -> str:
    return f"{record.username or '-'} จาก {record.ip_address or '-'}"


def attempt_title(attempt: AccessAttempt) -> str:
    return f"ใส่รหัสผ่านผิด: {_who(attempt)} ล่าสุดเมื่อ {thai_date(attempt.attempt_time)}"


def log_title(log: AccessLog) -> str:
    return f"เข้าสู่ระบบ: {_who(log)} เมื่อ {thai_date(log.attempt_time)}"


def failure_title(failure: AccessFailureLog) -> str:
    locked = " (ถูกล็อก)" if failure.locked_out else ""
    return f"ใส่รหัสผ่านผิด: {_who(failure)} เมื่อ {thai_date(failure.attempt_time)}{locked}"


ADMINS = {
    AccessAttempt: (ThaiAccessAttemptAdmin, attempt_title),
    AccessLog: (ThaiAccessLogAdmin, log_title),
    AccessFailureLog: (ThaiAccessFailureLogAdmin, failure_title),
}


def register() -> None:
    """Replace axes' admins (registered when axes.admin is imported) and titles."""
    import axes.admin  # noqa: F401  (registers axes' admins first)

    for model, (model_admin, title) in ADMINS.items():
        model.__str__ = title
        if admin.site.is_registered(model):
            admin.site.unregister(model)
            admin.site.register(model, model_admin)
