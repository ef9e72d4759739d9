"""Interchange's kinds of background job: a confirmed import and a rollover,
registered with the runner (jobs.registry) in InterchangeConfig.ready."""

from django.core.cache import cache
from django.urls import reverse

from catalogue.models import FiscalYear
from interchange.importer import import_measures
from interchange.rollover import RolloverError, rollover
from jobs.models import Job
from jobs.registry import JobFailed, JobKind, register

SHEET_EXPIRED = "ไฟล์ที่ตรวจสอบไว้หมดอายุแล้ว กรุณาอัปโหลดไฟล์อีกครั้ง"


def import_sheet_key(name: str) -> str:
    """Where a confirmed import's rows wait for their job (the shared cache)."""
    return f"jobs:import-sheet:{name}"


def _import(job: Job, user) -> None:
    params = job.params
    key = import_sheet_key(params["sheet"])
    sheet = cache.get(key)
    if sheet is None:
        raise JobFailed(SHEET_EXPIRED)
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


def _measures_link(job: Job, year: FiscalYear | None):
    if year is None:
        return None
    url = reverse("admin:measures_measure_changelist")
    query = f"?organization__id__exact={job.organization_id}&fiscal_year__id__exact={year.pk}"
    return f"มาตรการของปีงบประมาณ พ.ศ. {year.year}", url + query


def register_kinds() -> None:
    register(
        Job.Kind.IMPORT,
        JobKind(
            run=_import,
            working="กำลังนำเข้ามาตรการจากไฟล์…",
            failed="นำเข้าไม่สำเร็จ",
            unchanged="จึงไม่บันทึกข้อมูลใดเลย",
            doing="นำเข้ามาตรการ",
            result_link=lambda job: _measures_link(job, job.fiscal_year),
        ),
    )
    register(
        Job.Kind.ROLLOVER,
        JobKind(
            run=_rollover,
            working="กำลังยกมาตรการไปปีงบประมาณถัดไป…",
            failed="ยกมาตรการไม่สำเร็จ",
            unchanged="จึงไม่ได้ยกมาตรการใดเลย",
            doing="ยกมาตรการ",
            result_link=lambda job: _measures_link(
                job, FiscalYear.objects.filter(year=job.params.get("to_year")).first()
            ),
        ),
    )
