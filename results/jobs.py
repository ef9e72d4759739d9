"""The national results import as a background job (jobs.registry), registered in
ResultsConfig.ready: the confirmed file waits on the job in the database (it
outlives a restart of Redis) and is read and checked again as the job writes it,
all or nothing, its outcome recorded on the job in the same transaction."""

import base64

from django.db import transaction
from django.urls import reverse

from jobs import services as job_services
from jobs.models import Job
from jobs.registry import JobFailed, JobKind, register
from results.services import ImportRefused, import_results


def payload(content: bytes) -> dict:
    return {"content": base64.b64encode(content).decode("ascii")}


def summary(fiscal_year, sheet, outcome) -> str:
    return (
        f"นำเข้าผลการประเมินปีงบประมาณ {fiscal_year.year} แล้ว {len(sheet.rows):,} หน่วยงาน: "
        f"เพิ่มใหม่ {len(outcome.created):,} แก้ไข {len(outcome.changed):,} "
        f"ไม่เปลี่ยนแปลง {len(outcome.unchanged):,}"
    )


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
