"""The import of many agencies' results as people go through it, on the portal
(/results/import/, for overseers of the whole installation who are not admin staff)
and in the admin alike: upload → preview → confirm, each step a job on the worker
(results.jobs) that the job's page follows.

The upload keeps the file in the cache (named by its SHA-256) and starts the preview
job, which runs the real import as a dry run: every problem by row and column, or what
each row will do, kept on the job for its page. The confirm form carries only a signed
token naming the file, the year, the file's name and the person who previewed it, who
alone may confirm (access.may_confirm_import); the confirm hands the file to the
import's job. A page that holds no 8,300-row check: the request only stores and
queues (docs/benchmarks.md)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction

from catalogue.models import FiscalYear
from jobs import services as job_services
from jobs.models import Job
from organizations import access
from results import jobs

TOKEN_SALT = "results.import"
TOKEN_MAX_AGE = jobs.KEPT_SECONDS
EXPIRED = "ไฟล์ที่ตรวจสอบไว้หมดอายุแล้ว กรุณาอัปโหลดไฟล์อีกครั้ง"
KINDS = (Job.Kind.RESULTS_PREVIEW, Job.Kind.RESULTS_IMPORT)


@dataclass
class Preview:
    """What a finished preview job found, as its page shows it."""

    fiscal_year: FiscalYear
    total_rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    rows: list[dict] = field(default_factory=list)  # results.jobs._shown_rows
    token: str = ""  # for the person who previewed it; "" for anyone else


def _under_way(kind: str, user, digest: str, **match) -> Job | None:
    """This person's job of `kind` on this file still queued or running, if any."""
    found = Job.objects.filter(
        kind=kind, requested_by=user, content_sha256=digest, state__in=Job.ACTIVE, **match
    ).first()
    if found is None:
        return None
    found = job_services.refreshed(found)  # one no worker took in time is failed now
    return found if found.is_active else None


def _one_at_a_time(user) -> None:
    """Inside the transaction that starts a job: the person's row locked, so that a
    double submit's second request waits for the first and then finds its job."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def start_preview(*, user, fiscal_year: FiscalYear, content: bytes, name: str) -> Job:
    """Keep the file for the confirm and start the job that checks it. The same file
    of the same year sent again by the same person while its check is under way (a
    double submit) gets that job. Redis down: the cache refuses the file, and the
    request answers with the Thai 503 page (operations.outages)."""
    if not access.may_import_results(user):
        raise PermissionDenied
    digest = hashlib.sha256(content).hexdigest()
    cache.set(jobs.content_key(digest), content, jobs.KEPT_SECONDS)
    with transaction.atomic():
        _one_at_a_time(user)
        found = _under_way(Job.Kind.RESULTS_PREVIEW, user, digest, fiscal_year=fiscal_year)
        if found is not None:
            return found
        job, _ = job_services.start(
            kind=Job.Kind.RESULTS_PREVIEW,
            organization=None,
            fiscal_year=fiscal_year,
            user=user,
            params={"source_name": name[:200]},
            content_sha256=digest,
        )
    return job


def preview_of(job: Job, user) -> Preview | None:
    """The preview a finished preview job keeps, with the confirm's token when `user`
    is the person who asked for it; None for any other job."""
    found = job.params.get("preview") if job.kind == Job.Kind.RESULTS_PREVIEW else None
    if job.state != Job.State.DONE or not found:
        return None
    token = ""
    if job.requested_by_id == user.pk:
        token = signing.dumps(
            {
                "sha": job.content_sha256,
                "year": job.fiscal_year_id,
                "user": job.requested_by_id,
                "name": job.params.get("source_name", ""),
            },
            salt=TOKEN_SALT,
        )
    return Preview(
        job.fiscal_year,
        total_rows=found["total"],
        created=found["created"],
        changed=found["changed"],
        unchanged=found["unchanged"],
        rows=found["rows"],
        token=token,
    )


class Expired(Exception):
    """The previewed file is gone or the token is not good (Thai message: EXPIRED)."""


def confirm(*, user, token: str) -> Job:
    """Start the job that writes the previewed file (PermissionDenied for anyone but
    the person who previewed it, Expired when the file is no longer kept). A second
    confirm of the same file while its import is under way gets that job."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise Expired(EXPIRED) from None
    if not access.may_confirm_import(user, previewed_by=payload["user"]):
        raise PermissionDenied
    with transaction.atomic():
        _one_at_a_time(user)
        found = _under_way(Job.Kind.RESULTS_IMPORT, user, payload["sha"])
        if found is not None:
            return found
        content = cache.get(jobs.content_key(payload["sha"]))
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
            content_sha256=payload["sha"],
        )
    cache.delete(jobs.content_key(payload["sha"]))
    return job_services.refreshed(job)


def followed_job(user, job_id: int | None) -> Job | None:
    """A preview or import job this user started (a superuser: anyone's), as it
    stands now."""
    if job_id is None or not access.may_import_results(user):
        return None
    found = Job.objects.filter(pk=job_id, kind__in=KINDS).select_related("fiscal_year")
    if not user.is_superuser:
        found = found.filter(requested_by=user)
    job = found.first()
    if job is None or not job.is_active:
        return job  # a finished job is final: no second read
    job = job_services.refreshed(job)  # one that went stale is marked failed first
    return job
