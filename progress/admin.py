"""Results in the admin, read only: they are written on the portal's progress
page (with steps, evidence and review), through progress.services."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from operations.models import PendingDeletion
from organizations.admin_scoping import OrganizationScopedMixin, ScopedHistoryMixin
from progress.models import Progress
from thai.admin_dates import be_date


class ReadOnlyProgressMixin:
    """Progress is reported on the portal's progress page (steps, evidence, review),
    through progress.services; the admin shows it and links there."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    completed_on_be = be_date(Progress, "completed_on")
    updated_at_be = be_date(Progress, "updated_at")

    @admin.display(description="รายงานผล")
    def report_link(self, obj):
        if not obj.pk:
            return ""
        return format_html(
            '<a href="{}">เปิดหน้ารายงานผลการดำเนินการ</a>',
            reverse("progress:progress", args=[obj.measure_id, obj.round.kind]),
        )


class ProgressInline(ReadOnlyProgressMixin, OrganizationScopedMixin, admin.StackedInline):
    model = Progress
    extra = 0
    fields = [
        "round",
        "status",
        "completed_on_be",
        "result_text",
        "cannot_reason",
        "review_state",
        "updated_by",
        "report_link",
    ]
    readonly_fields = fields
    organization_path = "measure__organization"


@admin.register(Progress)
class ProgressAdmin(
    ReadOnlyProgressMixin, ScopedHistoryMixin, OrganizationScopedMixin, SimpleHistoryAdmin
):
    list_display = [
        "measure",
        "round",
        "status",
        "review_state",
        "completed_on_be",
        "updated_at_be",
    ]
    list_filter = ["round__fiscal_year", "round__kind", "status", "review_state"]
    # Read off the unique index (measure, round) and counted once: the model's order
    # (agency name, year, measure order) sorted all 128,000 rows with three joins on
    # every page at national scale (issue 18: every admin list under 300 ms).
    ordering = ["measure_id", "round_id"]
    show_full_result_count = False
    list_select_related = [
        "measure__indicator",
        "round__fiscal_year",
        "updated_by",
    ]
    search_fields = ["measure__target", "measure__indicator__name", "result_text"]
    fields = [
        "measure",
        "round",
        "status",
        "completed_on_be",
        "result_text",
        "cannot_reason",
        "review_state",
        "review_comment",
        "updated_by",
        "updated_at_be",
        "version",
        "report_link",
    ]
    readonly_fields = fields
    organization_path = "measure__organization"


@admin.register(PendingDeletion)
class PendingDeletionAdmin(admin.ModelAdmin):
    """Removed evidence files waiting out their grace period before they leave storage
    (operations.sweep_services; progress is what records them), read only, for the
    superuser: a storage name says nothing of its agency. Registered here, not in
    operations/: operations may not import thai (they share the bottom layer), whose
    BE dates every admin shows, and it has no room for another module."""

    list_display = ["name", "due_at_be"]
    search_fields = ["name"]
    search_help_text = "ค้นหาด้วยชื่อไฟล์ในที่เก็บ"
    ordering = ["due_at", "pk"]  # the next to go first, off due_at's index
    show_full_result_count = False
    fields = ["name", "due_at_be"]
    readonly_fields = fields
    due_at_be = be_date(PendingDeletion, "due_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
