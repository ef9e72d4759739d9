"""The analyses of the agencies' ITA results in the admin, read only: the coordinator
writes them on the analysis page (analysis.services.save_note, which refuses a form
opened on an older version) and publishes or withdraws their PDFs there. Coordinators
see their own agencies' rows, the superuser every agency's (organizations.access)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from analysis.models import AnalysisDocument, PublishedAnalysis, WeakPointNote
from organizations.admin_scoping import AgencyRecordsMixin, OwnChoicesFilter
from thai.admin_dates import be_date


def page_link(document: AnalysisDocument) -> str:
    return format_html(
        '<a href="{}">เปิดหน้าการวิเคราะห์</a>',
        reverse("analysis:page", args=[document.organization.slug, document.fiscal_year.year]),
    )


class WeakPointNoteInline(AgencyRecordsMixin, admin.StackedInline):
    model = WeakPointNote
    organization_path = "document__organization"
    extra = 0
    fields = [
        "tool_code",
        "indicator_number",
        "found",
        "proposed",
        "version",
        "updated_by",
        "updated_at_be",
    ]
    readonly_fields = fields
    ordering = ["tool_code", "indicator_number"]
    updated_at_be = be_date(WeakPointNote, "updated_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("updated_by")


@admin.register(AnalysisDocument)
class AnalysisDocumentAdmin(AgencyRecordsMixin, admin.ModelAdmin):
    list_display = ["organization", "fiscal_year", "created_at_be", "page_link"]
    list_filter = ["fiscal_year", ("organization", OwnChoicesFilter)]
    search_fields = ["organization__name"]
    search_help_text = "ค้นหาด้วยชื่อหน่วยงาน"
    list_select_related = ["organization", "fiscal_year"]
    ordering = ["-pk"]
    show_full_result_count = False
    fields = ["organization", "fiscal_year", "created_at_be", "page_link"]
    readonly_fields = fields
    inlines = [WeakPointNoteInline]
    created_at_be = be_date(AnalysisDocument, "created_at")

    @admin.display(description="หน้าการวิเคราะห์")
    def page_link(self, obj):
        return page_link(obj)


@admin.register(PublishedAnalysis)
class PublishedAnalysisAdmin(AgencyRecordsMixin, admin.ModelAdmin):
    """A published file is never edited: publishing again makes a new version, and a
    version is withdrawn (with its reason) on the analysis page."""

    organization_path = "document__organization"
    list_display = [
        "document",
        "version",
        "published_at_be",
        "published_by",
        "withdrawn_at_be",
        "sha256",
        "file_link",
    ]
    list_filter = ["document__fiscal_year", ("document__organization", OwnChoicesFilter)]
    search_fields = ["document__organization__name", "sha256"]
    search_help_text = "ค้นหาด้วยชื่อหน่วยงาน หรือ SHA-256 ของไฟล์"
    list_select_related = ["document__organization", "document__fiscal_year", "published_by"]
    ordering = ["-pk"]
    show_full_result_count = False
    fields = [
        "document",
        "version",
        "file_link",
        "sha256",
        "content_sha256",
        "size",
        "published_by",
        "published_at_be",
        "withdrawn_at_be",
        "withdrawn_by",
        "withdrawal_reason",
        "page_link",
    ]
    readonly_fields = fields
    published_at_be = be_date(PublishedAnalysis, "published_at")
    withdrawn_at_be = be_date(PublishedAnalysis, "withdrawn_at")

    @admin.display(description="ไฟล์")
    def file_link(self, obj):
        # Through its public link: nothing under MEDIA_URL is served.
        d = obj.document
        return format_html(
            '<a href="{}">PDF</a>',
            reverse(
                "analysis:public_version",
                args=[d.organization.slug, d.fiscal_year.year, obj.version],
            ),
        )

    @admin.display(description="หน้าการวิเคราะห์")
    def page_link(self, obj):
        return page_link(obj.document)
