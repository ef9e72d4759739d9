"""What reminders sent, read only, for the superuser: a row names a person and their
address, not an agency (a person may be a member of several), so no coordinator's
scope fits it. Rows are written by the sending job only (reminders.send_services)."""

from django.contrib import admin

from reminders.models import SentReminder
from thai.admin_dates import be_date


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = [
        "day_be",
        "kind",
        "email",
        "recipient",
        "subject",
        "status",
        "attempts",
        "updated_at_be",
    ]
    # By day without a drill-down: its years and months are a DISTINCT over every row.
    list_filter = ["status", "kind", "day"]
    # Columns of the row only: a join to the people on every search read the whole
    # table twice (1.6 s over a year's 300,000 rows).
    search_fields = ["email", "subject_key"]
    search_help_text = "ค้นหาด้วยอีเมลผู้รับ หรือรหัสเรื่อง (เช่น progress:12)"
    list_select_related = ["user"]
    # Newest first off the primary key: the model's order (day, person, kind, key) has
    # no index of its own and would sort a year's rows on each page.
    ordering = ["-pk"]
    show_full_result_count = False
    fields = [
        "day_be",
        "kind",
        "subject_key",
        "recipient",
        "email",
        "subject",
        "status",
        "attempts",
        "error",
        "updated_at_be",
    ]
    readonly_fields = fields
    day_be = be_date(SentReminder, "day")
    updated_at_be = be_date(SentReminder, "updated_at")

    @admin.display(description="ผู้รับ", ordering="user__username")
    def recipient(self, obj):
        return obj.user.get_full_name() or obj.user.username

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
