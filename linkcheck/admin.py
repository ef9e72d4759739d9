"""What the daily link check last found, read only, for the superuser: a row is a URL,
whichever agencies show it, so no coordinator's scope fits it (a coordinator has
their own agency's broken links on their home page: linkcheck.selectors). Rows are
written by the check only (linkcheck.services)."""

from django.contrib import admin

from linkcheck.models import LinkStatus
from thai.admin_dates import be_date


class CheckResultFilter(admin.SimpleListFilter):
    title = "ผลการตรวจล่าสุด"
    parameter_name = "result"

    def lookups(self, request, model_admin):
        return [
            ("broken", "ใช้งานไม่ได้"),
            ("ok", "ใช้งานได้"),
            ("unchecked", "ยังไม่ได้ตรวจ"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "broken":
            return queryset.filter(consecutive_failures__gt=0)
        if value == "ok":
            return queryset.filter(consecutive_failures=0, last_checked_at__isnull=False)
        if value == "unchecked":
            return queryset.filter(last_checked_at__isnull=True)
        return None


@admin.register(LinkStatus)
class LinkStatusAdmin(admin.ModelAdmin):
    list_display = [
        "url",
        "result",
        "status_code",
        "consecutive_failures",
        "last_checked_at_be",
        "last_ok_at_be",
    ]
    # No filter by status code: its choices are a DISTINCT over every link (80 ms of
    # the list's 300 over 200,000 links); the code is a column, sortable.
    list_filter = [CheckResultFilter]
    search_fields = ["url"]
    search_help_text = "ค้นหาด้วยลิงก์ (ทั้งลิงก์หรือบางส่วน)"
    # Newest first off the primary key: the model's order (the URL, a text with no
    # index) would sort every link on each page.
    ordering = ["-pk"]
    show_full_result_count = False
    fields = [
        "url",
        "result",
        "status_code",
        "error",
        "consecutive_failures",
        "claimed_on_be",
        "last_checked_at_be",
        "last_ok_at_be",
        "first_seen_at_be",
    ]
    readonly_fields = fields
    claimed_on_be = be_date(LinkStatus, "claimed_on")
    last_checked_at_be = be_date(LinkStatus, "last_checked_at")
    last_ok_at_be = be_date(LinkStatus, "last_ok_at")
    first_seen_at_be = be_date(LinkStatus, "first_seen_at")

    @admin.display(description="ผลการตรวจล่าสุด")
    def result(self, obj):
        if obj.is_broken:
            return "ใช้งานไม่ได้"
        return "ใช้งานได้" if obj.last_checked_at else "ยังไม่ได้ตรวจ"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
