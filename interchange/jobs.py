"""Interchange's kinds of background job: a confirmed import and a rollover,
registered with the runner (jobs.registry) in InterchangeConfig.ready."""

import dataclasses
import types
import typing
from collections.abc import Sequence
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from catalogue.models import FiscalYear
from interchange.importer import import_measures
from interchange.reading import SheetData
from interchange.rollover import RolloverError, rollover
from jobs import services as job_services
from jobs.models import Job
from jobs.registry import JobFailed, JobKind, register

SHEET_EXPIRED = "ไฟล์ที่ตรวจสอบไว้หมดอายุแล้ว กรุณาอัปโหลดไฟล์อีกครั้ง"


def import_sheet_key(name: str) -> str:
    """Where a confirmed import's rows waited for their job before they were kept on
    the job itself (jobs queued before that still find them there)."""
    return f"jobs:import-sheet:{name}"


def sheet_payload(sheet: SheetData) -> dict:
    """A confirmed import's rows as the job keeps them in the database (Job.payload),
    so that they outlive a restart of Redis: JSON, dates as ISO text."""
    return _plain(sheet)


def _plain(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _read(kind, value):
    """`value` (from _plain) as the type `kind` of a SheetData field."""
    if value is None:
        return None
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        return _read(next(a for a in args if a is not type(None)), value)
    if origin is list:
        return [_read(args[0], item) for item in value]
    if origin is Sequence:
        return tuple(_read(args[0], item) for item in value)
    if kind is date:
        return date.fromisoformat(value)
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(**{name: _read(hints[name], item) for name, item in value.items()})
    return value


def _sheet(job: Job) -> SheetData:
    if job.payload is not None:
        return _read(SheetData, job.payload)
    sheet = cache.get(import_sheet_key(job.params.get("sheet", "")))
    if sheet is None:
        raise JobFailed(SHEET_EXPIRED)
    return sheet


def _import(job: Job, user) -> None:
    sheet = _sheet(job)
    with transaction.atomic():
        _write(job, user, sheet)
    if "sheet" in job.params:
        cache.delete(import_sheet_key(job.params["sheet"]))


def _write(job: Job, user, sheet: SheetData) -> None:
    """The import, and its outcome recorded on the job in the same transaction."""
    params = job.params
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
    job_services.finish(
        job,
        Job.State.DONE,
        f"นำเข้าจากไฟล์ {params['source_name']} เรียบร้อย ({job.organization} ปีงบประมาณ พ.ศ. "
        f"{job.fiscal_year.year}): {result.summary}",
    )


def _rollover(job: Job, user) -> None:
    to_year = job.params["to_year"]
    try:
        # The rollover and its outcome on the job in one transaction.
        with transaction.atomic():
            result = rollover(
                organization=job.organization,
                from_year=job.fiscal_year.year,
                to_year=to_year,
                user=user,
            )
            job_services.finish(
                job,
                Job.State.DONE,
                f"{job.organization}: ยกมาตรการ {len(result.created)} รายการไปปีงบประมาณ พ.ศ. "
                f"{to_year} แล้ว (ฉบับร่าง ยังไม่มีผลการดำเนินการและกำหนดเวลา)",
                result.unmapped,
            )
    except RolloverError as error:
        raise JobFailed(f"{job.organization}: {error}") from error


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
            rerun_safe=True,  # all or nothing, its outcome recorded with its rows
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
            rerun_safe=True,  # all or nothing, its outcome recorded with its measures
        ),
    )
