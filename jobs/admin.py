from django.contrib import admin
from django.utils.html import format_html, format_html_join

from jobs import services
from jobs.models import Job
from organizations import access
from organizations.admin_scoping import OrganizationScopedMixin
from thai.admin_dates import be_date


@admin.register(Job)
class JobAdmin(OrganizationScopedMixin, admin.ModelAdmin):
    """Read only: what was asked, where it stands, what came of it. Coordinators see
    the jobs of the organizations they coordinate, the superuser all. A job's page
    reloads itself while the job runs (admin/jobs/job/change_form.html)."""

    list_display = ["created_at_be", "kind", "organization", "subject", "requested_by", "state"]
    list_filter = ["kind", "state"]
    list_select_related = [
        "organization",
        "round__fiscal_year",
        "fiscal_year",
        "requested_by",
    ]
    fields = [
        "kind",
        "organization",
        "subject",
        "requested_by",
        "state",
        "status",
        "detail_list",
        "result",
        "created_at_be",
        "started_at_be",
        "finished_at_be",
        "task_id",
    ]
    readonly_fields = fields
    created_at_be = be_date(Job, "created_at")
    started_at_be = be_date(Job, "started_at")
    finished_at_be = be_date(Job, "finished_at")

    @admin.display(description="รอบหรือปีงบประมาณ")
    def subject(self, obj: Job) -> str:
        if obj.round_id:
            return str(obj.round)
        if obj.fiscal_year_id:
            return f"ปีงบประมาณ พ.ศ. {obj.fiscal_year.year}"
        return "-"

    @admin.display(description="ผลของงาน")
    def status(self, obj: Job) -> str:
        return obj.status_text

    @admin.display(description="รายละเอียด")
    def detail_list(self, obj: Job):
        if not obj.details:
            return "-"
        return format_html(
            '<ul id="job-details">{}</ul>',
            format_html_join("", "<li>{}</li>", ((d,) for d in obj.details)),
        )

    @admin.display(description="สิ่งที่ได้")
    def result(self, obj: Job):
        link = obj.result_link()
        return format_html('<a href="{}">{}</a>', link[1], link[0]) if link else "-"

    def get_object(self, request, object_id, from_field=None):
        """The job as it stands: one whose worker stopped, or that no worker took, in
        time is marked failed first (every kind: jobs.services)."""
        job = super().get_object(request, object_id, from_field)
        return services.refreshed(job) if job is not None else None

    def changelist_view(self, request, extra_context=None):
        services.mark_stale()
        return super().changelist_view(request, extra_context)

    def has_view_permission(self, request, obj=None):
        # No model permission is handed out for it: the rulebook decides.
        return access.may_follow_jobs(request.user) and self._owns(request, obj)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
