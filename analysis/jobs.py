"""Publishing the analysis as a background job (as reports publish a round),
registered with the runner (jobs.registry) in AnalysisConfig.ready."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from analysis.models import AnalysisDocument, PublishedAnalysis
from analysis.services import authority_for, publish_analysis
from jobs import services as job_services
from jobs.models import Job
from jobs.registry import JobFailed, JobKind, register
from organizations.access import Action, check
from thai import conventions as thai

KIND = Job.Kind.PUBLISH_ANALYSIS


def publication_message(publication: PublishedAnalysis) -> str:
    if getattr(publication, "is_new", True):
        return f"เผยแพร่การวิเคราะห์ฉบับที่ {publication.version} แล้ว ลิงก์สาธารณะแสดงฉบับนี้ตั้งแต่บัดนี้"
    published = thai.format_thai_date(publication.published_at.date())
    return (
        f"ไม่มีการเปลี่ยนแปลงจากฉบับที่ {publication.version} (เผยแพร่เมื่อ {published}) "
        f"จึงไม่ได้สร้างฉบับใหม่ ลิงก์สาธารณะยังแสดงฉบับที่ {publication.version}"
    )


def _publish(job: Job, user) -> None:
    document = AnalysisDocument.objects.select_related("organization", "fiscal_year").get(
        pk=job.params["document"]
    )

    def recorded(publication) -> None:  # a new version: in the publication's transaction
        job.result_id = publication.pk
        job_services.finish(job, Job.State.DONE, publication_message(publication))

    # Whose authority it is published on (approvals): asked after who may publish;
    # refused (not approved, or changed since it was) in its Thai words.
    check(user, document.organization, Action.PUBLISH)
    try:
        authority = authority_for(document, user, job.params)
        publication = publish_analysis(
            document=document, user=user, recorded=recorded, authority=authority
        )
    except ValidationError as refused:
        raise JobFailed(" ".join(refused.messages)) from refused
    job.result_id = publication.pk
    job.message = publication_message(publication)


def _published_link(job: Job):
    publication = (
        PublishedAnalysis.objects.filter(pk=job.result_id)
        .select_related("document__organization", "document__fiscal_year")
        .first()
    )
    if publication is None:
        return None
    d = publication.document
    url = reverse(
        "analysis:public_version",
        args=[d.organization.slug, d.fiscal_year.year, publication.version],
    )
    return f"ไฟล์ PDF ที่เผยแพร่ (ฉบับที่ {publication.version})", url


def register_kinds() -> None:
    register(
        KIND,
        JobKind(
            run=_publish,
            working="กำลังเผยแพร่การวิเคราะห์…",
            failed="เผยแพร่การวิเคราะห์ไม่สำเร็จ",
            unchanged="การวิเคราะห์ที่เผยแพร่ไว้และลิงก์สาธารณะไม่เปลี่ยนแปลง",
            doing="เผยแพร่การวิเคราะห์ผลการประเมิน",
            result_link=_published_link,
            rerun_safe=True,
        ),
    )
