"""The national results import's background jobs (jobs.registry), registered in
ResultsConfig.ready: the preview, which reads and checks the uploaded file as the
import would (a dry run: nothing written) and keeps what the page shows on the job;
and the confirmed import, whose file waits on the job in the database (it outlives a
restart of Redis) and is read and checked again as the job writes it, all or nothing,
its outcome recorded on the job in the same transaction.

The uploaded file waits in the cache between the upload and the confirm, named by its
SHA-256 (results.importing)."""

import base64

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from jobs import services as job_services
from jobs.models import Job
from jobs.registry import JobFailed, JobKind, register
from results.services import ImportRefused, import_results
from results.sheet import MAX_PROBLEMS

# How long an uploaded file waits for its confirm (from the upload, and again from
# the end of its preview).
KEPT_SECONDS = 60 * 60
# Rows of the preview shown (new and changed first): a national sheet has 8,300.
PREVIEW_ROWS = 300
UNCHANGED = "ไม่เปลี่ยนแปลง"
GONE = "ไฟล์ที่อัปโหลดไว้หมดอายุแล้ว กรุณาอัปโหลดไฟล์อีกครั้ง"


def content_key(digest: str) -> str:
    return f"results-import:{digest}"


def payload(content: bytes) -> dict:
    return {"content": base64.b64encode(content).decode("ascii")}


def summary(fiscal_year, sheet, outcome) -> str:
    return (
        f"นำเข้าผลการประเมินปีงบประมาณ {fiscal_year.year} แล้ว {len(sheet.rows):,} หน่วยงาน: "
        f"เพิ่มใหม่ {len(outcome.created):,} แก้ไข {len(outcome.changed):,} "
        f"ไม่เปลี่ยนแปลง {len(outcome.unchanged):,}"
    )


def _shown_rows(sheet, outcome) -> list[dict]:
    """The rows the page shows, as plain data: new and changed first, in sheet order."""
    rows = [(row, outcome.action(row.entry)) for row in sheet.rows]
    rows.sort(key=lambda pair: pair[1] == UNCHANGED)  # stable: sheet order within
    return [
        {
            "number": row.number,
            "action": action,
            "name": row.entry.organization.name,
            "slug": row.entry.organization.slug,
            "total": str(row.entry.total),
            "grade": row.entry.grade,
        }
        for row, action in rows[:PREVIEW_ROWS]
    ]


def _preview(job: Job, user) -> None:
    key = content_key(job.content_sha256)
    content = cache.get(key)
    if content is None:
        raise JobFailed(GONE)
    name = job.params.get("source_name", "")
    try:
        sheet, outcome = import_results(
            user=user, fiscal_year=job.fiscal_year, content=content, dry_run=True
        )
    except ImportRefused as refused:
        cache.delete(key)  # no confirm will ask for it
        count = len(refused.problems)
        many = f"มากกว่า {MAX_PROBLEMS:,}" if count > MAX_PROBLEMS else f"{count:,}"
        raise JobFailed(
            f"ไฟล์ {name} มีปัญหา {many} รายการ (แต่ละรายการบอกแถวและคอลัมน์) กรุณาแก้ไขไฟล์แล้วอัปโหลดอีกครั้ง",
            refused.problems,
        ) from None
    cache.touch(key, KEPT_SECONDS)  # the confirm's hour starts when the preview is shown
    job.params = {
        **job.params,
        "preview": {
            "total": len(sheet.rows),
            "created": len(outcome.created),
            "changed": len(outcome.changed),
            "unchanged": len(outcome.unchanged),
            "rows": _shown_rows(sheet, outcome),
        },
    }
    job.message = f"ตรวจสอบไฟล์ {name} ผ่าน ยังไม่ได้บันทึกข้อมูล กรุณาดูผลการตรวจสอบแล้วยืนยันการนำเข้า"


def _import(job: Job, user) -> None:
    content = base64.b64decode(job.payload["content"])
    try:
        with transaction.atomic():
            sheet, outcome = import_results(user=user, fiscal_year=job.fiscal_year, content=content)
            name = job.params.get("source_name", "")
            job_services.finish(
                job, Job.State.DONE, f"{summary(job.fiscal_year, sheet, outcome)} (ไฟล์ {name})"
            )
    except ImportRefused as refused:  # the agencies or the catalogue changed since
        raise JobFailed(
            f"พบปัญหา {len(refused.problems)} รายการเมื่อบันทึกจริง "
            "(ข้อมูลหน่วยงานหรือเกณฑ์การประเมินเปลี่ยนไปหลังการตรวจสอบไฟล์) "
            "กรุณาอัปโหลดไฟล์และตรวจสอบอีกครั้ง",
            refused.problems,
        ) from None


def _link(job: Job):
    return f"ผลการประเมินปีงบประมาณ พ.ศ. {job.fiscal_year.year}", reverse("results:import")


def register_kinds() -> None:
    register(
        Job.Kind.RESULTS_PREVIEW,
        JobKind(
            run=_preview,
            working="กำลังตรวจสอบไฟล์ผลการประเมินทุกแถว…",
            failed="ตรวจสอบไฟล์ผลการประเมินไม่สำเร็จ",
            unchanged="(ยังไม่ได้บันทึกข้อมูลใดเลย)",
            doing="นำเข้าผลการประเมิน",
            rerun_safe=True,  # a dry run: it writes nothing but its own record
        ),
    )
    register(
        Job.Kind.RESULTS_IMPORT,
        JobKind(
            run=_import,
            working="กำลังนำเข้าผลการประเมิน ITA จากไฟล์…",
            failed="นำเข้าผลการประเมินไม่สำเร็จ",
            unchanged="จึงไม่บันทึกผลการประเมินใดเลย",
            doing="นำเข้าผลการประเมิน",
            result_link=_link,
            rerun_safe=True,  # all or nothing, its outcome recorded with its rows
        ),
    )
