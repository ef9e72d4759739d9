"""Approval before publishing, in the admin and read only: each request to publish
(who asked, who decided and when, what it became), the agencies' settings and the
approvers their coordinators named. Requests are sent, decided and cancelled on the
portal's pages (approvals.services: state checks, e-mails, the publication itself);
the settings and approvers change on the agency's settings page. Coordinators see
their own agencies' rows, the superuser every agency's (organizations.access)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from approvals.models import ApprovalRequest, ApprovalSettings, Approver
from organizations.admin_scoping import AgencyRecordsMixin, OwnChoicesFilter
from thai.admin_dates import be_date


def settings_link(organization) -> str:
    return format_html(
        '<a href="{}">เปิดหน้าตั้งค่าการอนุมัติ</a>',
        reverse("approvals:settings", args=[organization.slug]),
    )


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(AgencyRecordsMixin, admin.ModelAdmin):
    list_display = [
        "what",
        "organization",
        "state",
        "authority",
        "requested_name",
        "requested_at_be",
        "decided_name",
        "decided_at_be",
    ]
    # By date without a drill-down: its years and months are a DISTINCT over every row.
    list_filter = [
        "state",
        "target",
        "authority",
        "requested_at",
        ("organization", OwnChoicesFilter),
    ]
    search_fields = ["organization__name", "requested_name", "decided_name"]
    search_help_text = "ค้นหาด้วยชื่อหน่วยงาน ชื่อผู้ขออนุมัติ หรือชื่อผู้พิจารณา"
    # `what` names the round or the analysis's year.
    list_select_related = ["organization", "round__fiscal_year", "document__fiscal_year"]
    # Newest first off the primary key (a request's time is set when it is made).
    ordering = ["-pk"]
    show_full_result_count = False
    fields = [
        "organization",
        "what",
        "state",
        "authority",
        "content_sha256",
        "note",
        "requested_by",
        "requested_name",
        "requested_position",
        "requested_at_be",
        "decided_by",
        "decided_name",
        "decided_position",
        "decided_at_be",
        "reason",
        "published_version",
        "page_link",
    ]
    readonly_fields = fields
    requested_at_be = be_date(ApprovalRequest, "requested_at")
    decided_at_be = be_date(ApprovalRequest, "decided_at")

    @admin.display(description="เอกสาร")
    def what(self, obj):
        return obj.what

    @admin.display(description="ฉบับที่เผยแพร่")
    def published_version(self, obj):
        published = obj.published
        return f"ฉบับที่ {published.version}" if published else self.get_empty_value_display()

    @admin.display(description="หน้าคำขอ")
    def page_link(self, obj):
        return format_html(
            '<a href="{}">เปิดหน้าคำขออนุมัติ</a>', reverse("approvals:detail", args=[obj.pk])
        )


@admin.register(ApprovalSettings)
class ApprovalSettingsAdmin(AgencyRecordsMixin, admin.ModelAdmin):
    list_display = [
        "organization",
        "required",
        "recorded_sign_off",
        "updated_by",
        "updated_at_be",
        "page_link",
    ]
    list_filter = ["required", "recorded_sign_off"]
    search_fields = ["organization__name"]
    search_help_text = "ค้นหาด้วยชื่อหน่วยงาน"
    list_select_related = ["organization", "updated_by"]
    ordering = ["-pk"]
    show_full_result_count = False
    fields = [
        "organization",
        "required",
        "recorded_sign_off",
        "updated_by",
        "updated_at_be",
        "page_link",
    ]
    readonly_fields = fields
    updated_at_be = be_date(ApprovalSettings, "updated_at")

    @admin.display(description="แก้ไขการตั้งค่า")
    def page_link(self, obj):
        return settings_link(obj.organization)


@admin.register(Approver)
class ApproverAdmin(AgencyRecordsMixin, admin.ModelAdmin):
    list_display = ["user", "approver_name", "position", "organization", "named_by", "named_at_be"]
    list_filter = [("organization", OwnChoicesFilter)]
    search_fields = [
        "organization__name",
        "user__username",
        "user__first_name",
        "user__last_name",
        "position",
    ]
    search_help_text = "ค้นหาด้วยชื่อหน่วยงาน ชื่อผู้ใช้ ชื่อ-นามสกุล หรือตำแหน่งของผู้อนุมัติ"
    list_select_related = ["organization", "user", "named_by"]
    # The model's order (agency name, then date) sorts every row at national scale.
    ordering = ["-pk"]
    show_full_result_count = False
    fields = [
        "organization",
        "user",
        "approver_name",
        "position",
        "named_by",
        "named_at_be",
        "page_link",
    ]
    readonly_fields = fields
    named_at_be = be_date(Approver, "named_at")

    @admin.display(description="ชื่อ-นามสกุล")
    def approver_name(self, obj):
        return obj.user.get_full_name() or self.get_empty_value_display()

    @admin.display(description="แก้ไขรายชื่อผู้อนุมัติ")
    def page_link(self, obj):
        return settings_link(obj.organization)
