"""The job task: takes a queued job, runs it through the same services the portal
calls (which check the user's access again), and records what came of it.

Each kind calls one existing service and keeps its rules: publishing
(reports.services.publish_round), a draft PDF (reports.drafts.make), an import
(measures.interchange.importer.import_measures) and a rollover
(measures.rollover.rollover). Those are all-or-nothing, so a failed job has changed
nothing; its message says why, in Thai.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from jobs import texts
from jobs.models import Job
from measures.access import Action, check
from measures.interchange.importer import import_measures
from measures.rollover import RolloverError, rollover
from reports import drafts
from reports.services import publication_message, publish_round

logger = logging.getLogger(__name__)


class JobFailed(Exception):
    """An outcome the job expects and explains (its reason is Thai)."""

    def __init__(self, reason: str, details: list[str] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.details = details or []


@shared_task(name="jobs.run", ignore_result=True)
def run_job(job_id: int) -> None:
    run(job_id)


def run(job_id: int) -> None:
    # Taken once: a message delivered twice, or a job marked failed while it waited
    # (jobs.services._live), is not run.
    taken = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=timezone.now()
    )
    if not taken:
        return
    job = Job.objects.select_related(
        "organization", "round__organization", "round__fiscal_year", "fiscal_year", "requested_by"
    ).get(pk=job_id)
    user = job.requested_by
    try:
        if user is None or not user.is_active:
            raise JobFailed(texts.NO_USER)
        RUNNERS[job.kind](job, user)
    except JobFailed as failure:
        _finish(job, Job.State.FAILED, texts.failure(job, failure.reason), failure.details)
    except (PermissionDenied, Http404):
        _finish(job, Job.State.FAILED, texts.failure(job, texts.not_allowed(job, user)))
    except SoftTimeLimitExceeded:
        _finish(job, Job.State.FAILED, texts.failure(job, texts.TOO_LONG))
    except OSError:
        logger.exception("job %s (%s): storage refused", job.pk, job.kind)
        _finish(job, Job.State.FAILED, texts.failure(job, texts.STORAGE))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, Job.State.FAILED, texts.failure(job, texts.unexpected(job)))
    else:
        _finish(job, Job.State.DONE, job.message, job.details)


def _finish(job: Job, state: str, message: str, details: list[str] | None = None) -> None:
    job.state, job.message, job.details = state, message, details or []
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "state",
            "message",
            "details",
            "published_report",
            "result_file",
            "finished_at",
        ]
    )


def _publish(job: Job, user) -> None:
    report = publish_round(round_=job.round, user=user)
    job.published_report = report
    # A new version, or the newest one again when nothing changed since.
    job.message = publication_message(report)


def _draft_pdf(job: Job, user) -> None:
    check(user, job.organization, Action.VIEW_REPORT)
    draft = drafts.make(job.round)
    job.result_file = draft.name
    job.message = "จัดทำไฟล์ PDF ฉบับร่างแล้ว"


def import_sheet_key(name: str) -> str:
    return f"jobs:import-sheet:{name}"


def _import(job: Job, user) -> None:
    params = job.params
    key = import_sheet_key(params["sheet"])
    sheet = cache.get(key)
    if sheet is None:
        raise JobFailed(texts.SHEET_EXPIRED)
    cache.delete(key)
    result = import_measures(
        sheet=sheet,
        organization=job.organization,
        fiscal_year=job.fiscal_year,
        round_kind=params["round_kind"],
        create_divisions=params["create_divisions"],
        user=user,
        source_name=params["source_name"],
        # The indicators the coordinator chose for the sheet's unknown wordings.
        wordings={(tool, key): number for tool, key, number in params.get("wordings", [])},
    )
    if not result.ok:  # the year's measures changed since the preview
        raise JobFailed(
            f"พบข้อผิดพลาด {len(result.errors)} รายการเมื่อบันทึกจริง "
            "(ข้อมูลของปีนี้เปลี่ยนไปหลังการตรวจสอบไฟล์) กรุณาอัปโหลดไฟล์และตรวจสอบอีกครั้ง",
            [str(error) for error in result.errors],
        )
    job.message = (
        f"นำเข้าจากไฟล์ {params['source_name']} เรียบร้อย ({job.organization} ปีงบประมาณ พ.ศ. "
        f"{job.fiscal_year.year}): {result.summary}"
    )


def _rollover(job: Job, user) -> None:
    to_year = job.params["to_year"]
    try:
        result = rollover(
            organization=job.organization,
            from_year=job.fiscal_year.year,
            to_year=to_year,
            user=user,
        )
    except RolloverError as error:
        raise JobFailed(f"{job.organization}: {error}") from error
    job.message = (
        f"{job.organization}: ยกมาตรการ {len(result.created)} รายการไปปีงบประมาณ พ.ศ. "
        f"{to_year} แล้ว (ฉบับร่าง ยังไม่มีผลการดำเนินการและกำหนดเวลา)"
    )
    job.details = result.unmapped


RUNNERS = {
    Job.Kind.PUBLISH: _publish,
    Job.Kind.DRAFT_PDF: _draft_pdf,
    Job.Kind.IMPORT: _import,
    Job.Kind.ROLLOVER: _rollover,
}
