"""What reminders sent, read only (the superuser's: the rows name people of every
agency). Rows are written by the sending job only (reminders.send_services)."""

from django.contrib import admin

from reminders.models import SentReminder


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "email", "subject", "status", "attempts", "updated_at"]
    list_filter = ["status", "kind", "day"]
    search_fields = ["email", "subject", "subject_key", "user__username"]
    list_select_related = ["user"]
    date_hierarchy = "day"
    readonly_fields = [f.name for f in SentReminder._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
