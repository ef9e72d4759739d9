"""The agencies' OIT item links in the admin, read only, with their history (who set
which link, when): they are set on the agency's OIT page (oit.services.set_link, with
its check of the URL and of the version the form was opened on). Coordinators see
their own agencies' links, the superuser every agency's (organizations.access)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from oit.models import AgencyOitLink
from organizations.admin_scoping import AgencyRecordsMixin, OwnChoicesFilter, ScopedHistoryMixin
from thai.admin_dates import be_date


@admin.register(AgencyOitLink)
class AgencyOitLinkAdmin(AgencyRecordsMixin, ScopedHistoryMixin, SimpleHistoryAdmin):
    list_display = ["item", "organization", "link", "version", "updated_by", "updated_at_be"]
    list_filter = ["item__fiscal_year", ("organization", OwnChoicesFilter)]
    # The agency's name only: a text search of the links themselves reads every row
    # (about 330,000 a year at national scale: 2 s), where the name narrows by index.
    search_fields = ["organization__name"]
    search_help_text = "ค้นหาด้วยชื่อหน่วยงาน"
    list_select_related = ["item", "organization", "updated_by"]
    # About forty rows an agency a year: newest first off the primary key.
    ordering = ["-pk"]
    show_full_result_count = False
    fields = [
        "organization",
        "item",
        "link",
        "version",
        "updated_by",
        "updated_at_be",
        "page_link",
    ]
    readonly_fields = fields
    updated_at_be = be_date(AgencyOitLink, "updated_at")

    @admin.display(description="ลิงก์", ordering="url")
    def link(self, obj):
        # The agency's own text: shown, not followed from here.
        return obj.url or "(ไม่มีลิงก์)"

    @admin.display(description="แก้ไขลิงก์")
    def page_link(self, obj):
        return format_html(
            '<a href="{}">เปิดหน้าลิงก์ข้อ OIT ของหน่วยงาน</a>',
            reverse("oit:edit", args=[obj.organization.slug, obj.item.fiscal_year.year]),
        )
