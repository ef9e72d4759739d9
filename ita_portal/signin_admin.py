"""django-axes' admin list of wrong-password records, in Thai and with an unlock action.

Axes' own AccessAttemptAdmin stays (search, filters, read-only fields); this subclass
adds "ปลดล็อก", gives its computed columns Thai headers, and replaces its "clean up
expired attempts" action, which answers 500 from the admin (it reads a request
attribute that only the login flow sets) and reports in English.
"""

from axes.admin import AccessAttemptAdmin
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.utils import timezone


class ThaiAccessAttemptAdmin(AccessAttemptAdmin):
    # Who and whether locked first; the long browser string last.
    list_display = [
        "username",
        "ip_address",
        "failures_since_start",
        "status",
        "attempt_time",
        "path_info",
        "user_agent",
    ]
    list_display_links = ["username"]
    actions = ["unlock", "cleanup_expired_attempts"]

    @admin.action(description="ปลดล็อก (ลบรายการที่เลือก)", permissions=["delete"])
    def unlock(self, request, queryset):
        usernames = sorted({attempt.username or "-" for attempt in queryset})
        count, _ = queryset.delete()
        self.message_user(
            request,
            f"ปลดล็อกแล้ว {count} รายการ ({', '.join(usernames)}): เข้าสู่ระบบด้วยรหัสผ่านที่ถูกต้องได้ทันที",
        )

    @admin.action(description="ล้างรายการที่พ้นเวลาระงับแล้ว", permissions=["delete"])
    def cleanup_expired_attempts(self, request, queryset):
        threshold = timezone.now() - get_cool_off(request)
        count, _ = AccessAttempt.objects.filter(attempt_time__lte=threshold).delete()
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
        return super().expiration(obj)


def register() -> None:
    """Replace axes' AccessAttemptAdmin (registered when axes.admin is imported)."""
    import axes.admin  # noqa: F401  (registers axes' admins first)

    if admin.site.is_registered(AccessAttempt):
        admin.site.unregister(AccessAttempt)
        admin.site.register(AccessAttempt, ThaiAccessAttemptAdmin)
