"""Reports' kinds of background job: publishing a round and rendering its draft
PDF, registered with the runner (jobs.registry) in ReportsConfig.ready."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from jobs import services as job_services
from jobs.models import Job
from jobs.registry import JobFailed, JobKind, register
from organizations.access import Action, check
from reports.models import PublishedReport
from reports.pdf import drafts
from reports.services import authority_for, publication_message, publish_round


def _publish(job: Job, user) -> None:
    def recorded(report) -> None:  # a new version: in the publication's transaction
        job.result_id = report.pk
        job_services.finish(job, Job.State.DONE, publication_message(report))

    # Whose authority it is published on (approvals): asked after who may publish;
    # refused (not approved, or changed since it was) in its Thai words.
    check(user, job.round.organization, Action.PUBLISH)
    try:
        authority = authority_for(job.round, user, job.params)
        report = publish_round(round_=job.round, user=user, recorded=recorded, authority=authority)
    except ValidationError as refused:
        raise JobFailed(" ".join(refused.messages)) from refused
    job.result_id = report.pk
    # A new version, or the newest one again when nothing changed since.
    job.message = publication_message(report)


def _published_link(job: Job):
    report = PublishedReport.objects.filter(pk=job.result_id).first()
    if report is None:
        return None
    r = job.round
    url = reverse(
        "reports:public_version",
        args=[r.organization.slug, r.fiscal_year.year, r.kind, report.version],
    )
    return f"ไฟล์ PDF ที่เผยแพร่ (ฉบับที่ {report.version})", url


def _draft_pdf(job: Job, user) -> None:
    check(user, job.organization, Action.VIEW_REPORT)
    draft = drafts.make(job.round)
    job.result_file = draft.name
    job.message = "จัดทำไฟล์ PDF ฉบับร่างแล้ว"


def _draft_link(job: Job):
    r = job.round
    return "ไฟล์ PDF ฉบับร่าง", reverse(
        "reports:pdf", args=[r.organization.slug, r.fiscal_year.year, r.kind]
    )


def register_kinds() -> None:
    register(
        Job.Kind.PUBLISH,
        JobKind(
            run=_publish,
            working="กำลังเผยแพร่…",
            failed="เผยแพร่ไม่สำเร็จ",
            unchanged="ยังไม่ได้เผยแพร่ รายงานที่เผยแพร่ไว้และลิงก์สาธารณะไม่เปลี่ยนแปลง",
            doing="เผยแพร่รายงาน",
            result_link=_published_link,
            # Run again after a worker died: a version it committed is recorded on the
            # job with it, so a job still running committed none.
            rerun_safe=True,
        ),
    )
    register(
        Job.Kind.DRAFT_PDF,
        JobKind(
            run=_draft_pdf,
            working="กำลังจัดทำไฟล์ PDF…",
            failed="จัดทำไฟล์ PDF ไม่สำเร็จ",
            unchanged="",
            doing="ดูรายงาน",
            result_link=_draft_link,
            # Drafts have a worker of their own, and one person only a few at a time.
            queue="drafts",
            bounded=True,
            rerun_safe=True,  # the same content makes the same file
        ),
    )
