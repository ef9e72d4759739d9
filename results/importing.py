"""The import of many agencies' results as people go through it, on the portal
(/results/import/, for overseers of the whole installation who are not admin staff)
and in the admin alike: upload → preview (the real import as a dry run: every
problem by row and column, or what each row will do) → confirm, which hands the
file to a job on the worker (results.jobs) and follows it.

The file waits in the cache between preview and confirm; the confirm form carries
only a signed token naming it (by its SHA-256), the year, the file's name and the
person who previewed it, who alone may confirm (access.may_confirm_import)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from catalogue.models import FiscalYear
from jobs import services as job_services
from jobs.models import Job
from organizations import access
from results import jobs
from results.services import ImportRefused, import_results

TOKEN_SALT = "results.import"
TOKEN_MAX_AGE = 60 * 60
EXPIRED = "ไฟล์ที่ตรวจสอบไว้หมดอายุแล้ว กรุณาอัปโหลดไฟล์อีกครั้ง"
# Rows of the preview shown (new and changed first): a national sheet has 8,300.
PREVIEW_ROWS = 300


@dataclass
class Preview:
    fiscal_year: FiscalYear
    problems: list[str] = field(default_factory=list)
    rows: list = field(default_factory=list)  # (SheetRow, action), shown ones
    total_rows: int = 0
    outcome: object = None
    token: str = ""


def _key(digest: str) -> str:
    return f"results-import:{digest}"


def preview(*, user, fiscal_year: FiscalYear, content: bytes, name: str) -> Preview:
    """Check the file as the import would (nothing written) and, when it is good,
    keep it for the confirm."""
    try:
        sheet, outcome = import_results(
            user=user, fiscal_year=fiscal_year, content=content, dry_run=True
        )
    except ImportRefused as refused:
        return Preview(fiscal_year, problems=refused.problems)
    digest = hashlib.sha256(content).hexdigest()
    cache.set(_key(digest), content, TOKEN_MAX_AGE)
    token = signing.dumps(
        {"sha": digest, "year": fiscal_year.pk, "user": user.pk, "name": name[:200]},
        salt=TOKEN_SALT,
    )
    rows = [(row, outcome.action(row.entry)) for row in sheet.rows]
    rows.sort(key=lambda pair: pair[1] == "ไม่เปลี่ยนแปลง")  # stable: sheet order within
    return Preview(
        fiscal_year,
        rows=rows[:PREVIEW_ROWS],
        total_rows=len(rows),
        outcome=outcome,
        token=token,
    )


class Expired(Exception):
    """The previewed file is gone or the token is not good (Thai message: EXPIRED)."""


def confirm(*, user, token: str) -> Job:
    """Start the job that writes the previewed file (PermissionDenied for anyone but
    the person who previewed it, Expired when the file is no longer kept)."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise Expired(EXPIRED) from None
    if not access.may_confirm_import(user, previewed_by=payload["user"]):
        raise PermissionDenied
    content = cache.get(_key(payload["sha"]))
    fiscal_year = FiscalYear.objects.filter(pk=payload["year"]).first()
    if content is None or fiscal_year is None:
        raise Expired(EXPIRED)
    job, _ = job_services.start(
        kind=Job.Kind.RESULTS_IMPORT,
        organization=None,
        fiscal_year=fiscal_year,
        user=user,
        payload=jobs.payload(content),
        params={"source_name": payload.get("name", "")},
    )
    cache.delete(_key(payload["sha"]))
    return job_services.refreshed(job)


def followed_job(user, job_id: int | None) -> Job | None:
    """An import job this user started (a superuser: anyone's), as it stands now."""
    if job_id is None or not access.may_import_results(user):
        return None
    found = Job.objects.filter(pk=job_id, kind=Job.Kind.RESULTS_IMPORT).select_related(
        "fiscal_year"
    )
    if not user.is_superuser:
        found = found.filter(requested_by=user)
    job = found.first()
    return job_services.refreshed(job) if job is not None else None
