from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from measures.admin import OrganizationScopedMixin
from reports.models import PublishedReport
from thai.admin_dates import be_date


@admin.register(PublishedReport)
class PublishedReportAdmin(OrganizationScopedMixin, admin.ModelAdmin):
    """Read-only: a published file is never edited; publishing again makes a new one."""

    organization_path = "round__organization"
    list_display = ["round", "version", "published_at_be", "published_by", "sha256", "file_link"]
    list_filter = ["round__fiscal_year", "round__kind"]
    list_select_related = ["round__organization", "round__fiscal_year", "published_by"]
    # Shown read only (no one may change it): the dates in BE.
    fields = [
        "round",
        "version",
        # The file through its public link: nothing under MEDIA_URL is served.
        "file_link",
        "sha256",
        "content_sha256",
        "size",
        "published_by",
        "published_at_be",
        "withdrawn_at_be",
        "withdrawn_by",
        "withdrawal_reason",
    ]
    readonly_fields = fields
    published_at_be = be_date(PublishedReport, "published_at")
    withdrawn_at_be = be_date(PublishedReport, "withdrawn_at")

    @admin.display(description="ไฟล์")
    def file_link(self, obj):
        r = obj.round
        return format_html(
            '<a href="{}">PDF</a>',
            reverse(
                "reports:public_version",
                args=[r.organization.slug, r.fiscal_year.year, r.kind, obj.version],
            ),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
