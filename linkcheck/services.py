"""The link check's writes: which links there are, which a run takes today, and what
it found. The network is only touched by linkcheck.checker, in threads; every write is
made here, in the calling thread."""

import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from linkcheck import checker, registry
from linkcheck.models import LinkStatus, url_hash

logger = logging.getLogger(__name__)
BATCH = 500  # rows per insert, delete or claim


@dataclass
class Summary:
    known: int = 0  # links the portal holds
    due: int = 0  # of them not yet checked today
    checked: int = 0
    broken: int = 0
    broken_urls: list[str] = field(default_factory=list)
    due_urls: list[str] = field(default_factory=list)  # a dry run's list


def held_urls() -> set[str]:
    """Every http(s) link some registered source holds."""
    urls: set[str] = set()
    for source in registry.sources():
        urls.update(u.strip() for u in source.urls() if u and u.strip())
    return urls


def sync_links() -> int:
    """A status row for every link the portal holds, none for links it no longer
    holds; returns how many links there are."""
    urls = {url_hash(u): u for u in held_urls()}
    known = dict(LinkStatus.objects.values_list("url_hash", "pk"))
    missing = [LinkStatus(url=urls[h], url_hash=h) for h in urls.keys() - known.keys()]
    LinkStatus.objects.bulk_create(missing, batch_size=BATCH, ignore_conflicts=True)
    gone = [known[h] for h in known.keys() - urls.keys()]
    for start in range(0, len(gone), BATCH):
        LinkStatus.objects.filter(pk__in=gone[start : start + BATCH]).delete()
    return len(urls)


def _due(today: date) -> Q:
    return Q(claimed_on__isnull=True) | Q(claimed_on__lt=today)


def due_count(today: date) -> int:
    return LinkStatus.objects.filter(_due(today)).count()


def claim(today: date, size: int, run: str) -> list[LinkStatus]:
    """Up to `size` links not checked today, taken by this run: another run at the
    same time takes others (the update re-checks the condition row by row)."""
    ids = list(
        LinkStatus.objects.filter(_due(today))
        .order_by(F("claimed_on").asc(nulls_first=True), "pk")
        .values_list("pk", flat=True)[:size]
    )
    LinkStatus.objects.filter(_due(today), pk__in=ids).update(claimed_on=today, claimed_by=run)
    return list(LinkStatus.objects.filter(pk__in=ids, claimed_on=today, claimed_by=run))


def record(link: LinkStatus, result: checker.Result, now: datetime) -> None:
    values = {"last_checked_at": now, "status_code": result.status_code, "error": result.error}
    if result.ok:
        values.update(last_ok_at=now, consecutive_failures=0)
    else:
        values["consecutive_failures"] = F("consecutive_failures") + 1
    LinkStatus.objects.filter(pk=link.pk).update(**values)


def run_checks(*, budget_seconds: float | None = None) -> Summary:
    """Checks the links not yet checked today, ITA_LINK_CHECK_CONCURRENCY at a time,
    until none is left or the run's time is spent (the rest wait for the next run)."""
    budget = settings.ITA_LINK_CHECK_RUN_SECONDS if budget_seconds is None else budget_seconds
    started = time.monotonic()
    today = timezone.localdate()
    run = uuid.uuid4().hex
    summary = Summary(known=sync_links(), due=due_count(today))
    workers = settings.ITA_LINK_CHECK_CONCURRENCY
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="linkcheck") as pool:
        while time.monotonic() - started < budget:
            links = claim(today, workers * 4, run)
            if not links:
                break
            results = pool.map(checker.check, [link.url for link in links])
            for link, result in zip(links, results, strict=True):
                record(link, result, timezone.now())
                summary.checked += 1
                if not result.ok:
                    summary.broken += 1
                    summary.broken_urls.append(link.url)
    logger.info(
        "link check: %s links, %s checked, %s broken",
        summary.known,
        summary.checked,
        summary.broken,
    )
    return summary


def dry_run() -> Summary:
    """What a run would check today, without writing or requesting anything."""
    today = timezone.localdate()
    urls = held_urls()
    checked_today = set(
        LinkStatus.objects.filter(claimed_on__gte=today).values_list("url_hash", flat=True)
    )
    due = sorted(u for u in urls if url_hash(u) not in checked_today)
    return Summary(known=len(urls), due=len(due), due_urls=due)
