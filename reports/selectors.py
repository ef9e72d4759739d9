"""Reads for the report: one fixed set of queries for any number of measures."""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from cachetools import TTLCache
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.http import content_disposition_header, http_date

from measures.models import Measure, Round
from measures.selectors import measures_with_contents
from organizations.models import Organization
from progress.models import Evidence, Progress
from results.models import ITAResult

logger = logging.getLogger(__name__)


def get_round(organization_slug: str, fiscal_year: int, kind: int) -> Round | None:
    return (
        Round.objects.select_related("organization", "fiscal_year")
        .filter(organization__slug=organization_slug, fiscal_year__year=fiscal_year, kind=kind)
        .first()
    )


def assessed_year_before(organization_id: int, year: int) -> int | None:
    """The newest fiscal year before `year` with the agency's ITA result: the
    assessment whose analysis led to the measures of `year` (one query)."""
    return (
        ITAResult.objects.filter(organization_id=organization_id, fiscal_year__year__lt=year)
        .order_by("-fiscal_year__year")
        .values_list("fiscal_year__year", flat=True)
        .first()
    )


def report_measures(round_: Round, *, links: bool = False) -> QuerySet[Measure]:
    """The round's measures in report order, with this round's progress; with
    `links`, each progress has its evidence links as `links` (one query more)."""
    progress = Progress.objects.filter(round=round_)
    if links:
        progress = progress.prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.exclude(url="").order_by("uploaded_at", "pk"),
                to_attr="links",
            )
        )
    return measures_with_contents(round_.organization_id, round_.fiscal_year_id, progress)


def publications(round_: Round) -> QuerySet:
    from reports.models import PublishedReport

    return PublishedReport.objects.filter(round=round_).select_related(
        "published_by", "withdrawn_by"
    )


@dataclass(frozen=True)
class PublishedPdf:
    """What serving a published PDF needs, small enough to keep in the cache."""

    name: str  # the file's name in its storage
    version: int
    sha256: str
    size: int
    published_at: datetime
    filename: str  # the name a browser saves it under

    @cached_property
    def headers(self) -> dict[str, str]:
        """The answer's headers but Cache-Control, made once per copy in memory
        (a static file server keeps them in its index too)."""
        return {
            "ETag": f'"{self.sha256}"',
            "Last-Modified": http_date(self.published_at.timestamp()),
            "Content-Length": str(self.size),
            "Content-Disposition": content_disposition_header(False, self.filename),
            "X-Content-SHA256": self.sha256,
        }

    @cached_property
    def local_path(self) -> str | None:
        """Where this process finds the file on its own disk; None when the storage
        has no paths (object storage): then the file is read through the storage."""
        from reports.models import PublishedReport

        try:
            return PublishedReport._meta.get_field("pdf").storage.path(self.name)
        except NotImplementedError:
            return None

    def open(self):
        if self.local_path is not None:
            return open(self.local_path, "rb")  # noqa: SIM115 (the response closes it)
        from reports.models import PublishedReport

        return PublishedReport._meta.get_field("pdf").storage.open(self.name, "rb")


# The stable link's answer may change when the coordinator publishes again: kept as
# long as the link tells browsers they may keep it (reports.views). A numbered
# version never changes. A new or removed version is forgotten at once
# (reports/signals.py) in the shared cache (Redis with REDIS_URL: every app server)
# and in the publishing process's own memory; other processes keep their copy in
# memory for LOCAL_PDF_SECONDS at most, then ask the shared cache.
LATEST_PDF_SECONDS = 300
VERSION_PDF_SECONDS = 24 * 3600
LOCAL_PDF_SECONDS = 2
# This process's copies: the objects themselves (Django's LocMemCache pickles each
# value, which cost more than the rest of the answer), at most this many, the
# least recently used dropped first (cachetools.TTLCache; a lock, as it is not
# thread-safe itself).
LOCAL_PDF_ENTRIES = 10_000
_local_pdfs: TTLCache = TTLCache(maxsize=LOCAL_PDF_ENTRIES, ttl=LOCAL_PDF_SECONDS)
_local_lock = threading.Lock()


def published_pdf_key(organization_slug: str, fiscal_year: int, kind: int, version=None) -> str:
    which = "latest" if version is None else version
    return f"reports:pdf:2:{organization_slug}:{fiscal_year}:{kind}:{which}"


# Versions are numbered from 1; a number past this is no version (and past what
# SQLite's integers hold).
MAX_VERSION = 2**31 - 1


def forget_local_pdfs(keys: list[str] | None = None) -> None:
    """Drop this process's copies of these keys (all of them without keys)."""
    with _local_lock:
        if keys is None:
            _local_pdfs.clear()
        for key in keys or ():
            _local_pdfs.pop(key, None)


def expire_local_pdfs(at: float) -> None:
    """Drop this process's copies that are older than LOCAL_PDF_SECONDS at the
    time `at` (time.monotonic()'s clock); for tests that let time pass."""
    with _local_lock:
        _local_pdfs.expire(at)


def published_pdf(
    organization_slug: str, fiscal_year: int, kind: int, version: int | None = None
) -> PublishedPdf | None:
    """The round's newest published PDF (version None), or the given version; None
    if there is none. Version 0 is none: it must not read as "the newest", which
    changes, under a numbered version's cache lifetime of a year.

    From the process's memory or the shared cache when it is there (no query),
    else one query. A shared cache that does not answer costs the query, not the
    download."""
    from reports.models import PublishedReport

    if version is not None and not 1 <= version <= MAX_VERSION:
        return None
    return cached_published_pdf(
        published_pdf_key(organization_slug, fiscal_year, kind, version),
        lambda: PublishedReport.objects.filter(
            round__organization__slug=organization_slug,
            round__fiscal_year__year=fiscal_year,
            round__kind=kind,
        ),
        version,
        lambda number: f"ita-{organization_slug}-{fiscal_year}-round{kind}-v{number}.pdf",
    )


def cached_published_pdf(
    key: str, rows: Callable[[], QuerySet], version: int | None, filename: Callable[[int], str]
) -> PublishedPdf | None:
    """The newest version not withdrawn of a document's published `rows` (version
    None), or that version (withdrawn or not); from this process's memory or the
    shared cache under `key` when it is there, else one query. `filename(version)`
    is the name a browser saves it under."""
    with _local_lock:
        found = _local_pdfs.get(key)
    if found is not None:
        return found
    try:
        found = cache.get(key)
    except Exception:
        logger.warning("cache unavailable reading %s", key, exc_info=True)
    if found is None:
        # The stable link: the newest version not withdrawn. A numbered version stays
        # readable after it is withdrawn (the public page says so and why).
        versions = (
            rows().filter(version=version)
            if version is not None
            else rows().filter(withdrawn_at__isnull=True).order_by("-version")
        )
        row = versions.values_list("pdf", "version", "sha256", "size", "published_at").first()
        if row is None:
            return None
        name, number, sha256, size, published_at = row
        found = PublishedPdf(name, number, sha256, size, published_at, filename(number))
        try:
            cache.set(key, found, LATEST_PDF_SECONDS if version is None else VERSION_PDF_SECONDS)
        except Exception:
            logger.warning("cache unavailable writing %s", key, exc_info=True)
    with _local_lock:
        _local_pdfs[key] = found
    return found


def published_rounds(organization) -> list[Round]:
    """Rounds with at least one publication, newest first, each with `.versions`
    (withdrawn ones too: they stay listed) and `.current`, the newest version not
    withdrawn (None when every version was withdrawn)."""
    from reports.models import PublishedReport

    rounds = list(
        Round.objects.filter(organization=organization, publications__isnull=False)
        .distinct()
        .select_related("fiscal_year", "organization")
        .prefetch_related(
            Prefetch(
                "publications",
                queryset=PublishedReport.objects.order_by("-version"),
                to_attr="versions",
            )
        )
        .order_by("-fiscal_year__year", "-kind")
    )
    for round_ in rounds:
        round_.current = next((v for v in round_.versions if not v.withdrawn), None)
    return rounds


def publishing_organizations(
    search: str = "", *, province_id: int | None = None, kind: str = ""
) -> QuerySet[Organization]:
    """Organizations that have published a report (a version not withdrawn), by name,
    with their province and district; `search` matches part of the name, the location
    or the province, in any case; `province_id` and `kind` narrow them. Page them, then
    give a page's rows their newest report with `attach_newest_reports`: the newest
    report of rows that OFFSET skips would be looked up too (page 80 of 8,300 agencies:
    195 ms instead of 14)."""
    from reports.models import PublishedReport

    published = PublishedReport.objects.filter(
        round__organization=OuterRef("pk"), withdrawn_at__isnull=True
    )
    organizations = Organization.objects.filter(Exists(published)).select_related(
        "province", "district"
    )
    if search:
        organizations = organizations.filter(
            Q(name__icontains=search)
            | Q(location__icontains=search)
            | Q(province__name__icontains=search)
        )
    if province_id:
        organizations = organizations.filter(province_id=province_id)
    if kind:
        organizations = organizations.filter(kind=kind)
    return organizations.order_by("name", "pk")


def attach_newest_reports(organizations: list[Organization]) -> list[Organization]:
    """Set `newest_year`, `newest_kind` and `newest_published_at` (the newest published
    round's, withdrawn versions left out) on these organizations: one query."""
    from reports.models import PublishedReport

    newest = PublishedReport.objects.filter(
        round__organization=OuterRef("pk"), withdrawn_at__isnull=True
    ).order_by("-round__fiscal_year__year", "-round__kind", "-version")
    found = {
        pk: rest
        for pk, *rest in Organization.objects.filter(pk__in=[o.pk for o in organizations])
        .annotate(
            newest_year=Subquery(newest.values("round__fiscal_year__year")[:1]),
            newest_kind=Subquery(newest.values("round__kind")[:1]),
            newest_published_at=Subquery(newest.values("published_at")[:1]),
        )
        .values_list("pk", "newest_year", "newest_kind", "newest_published_at")
    }
    for organization in organizations:
        year, kind, published_at = found.get(organization.pk, (None, None, None))
        organization.newest_year, organization.newest_kind = year, kind
        organization.newest_published_at = published_at
    return organizations


def publishing_by_province() -> list[tuple[int, str, int]]:
    """(province id, name, agencies that have published) of every province with
    one, by name: the public directory's index. A withdrawn version does not count
    (as in publishing_organizations: the directory lists the same agencies). One query."""
    from reports.models import PublishedReport

    published = PublishedReport.objects.filter(
        round__organization=OuterRef("pk"), withdrawn_at__isnull=True
    )
    return list(
        Organization.objects.filter(Exists(published), province__isnull=False)
        .values_list("province_id", "province__name")
        .annotate(n=Count("pk"))
        .order_by("province__name")
    )
