"""Files that leave storage: those of removed rows after a grace period, and those
no row owns once they are old enough (manage.py sweep_orphans, hourly on the worker).

Removed files (issue 18, item 8). A backup reads the database first and the files
after (operations/backup_services.py): a file deleted at once with its row, while a
backup ran, was in the backup's database and not in its files. Removing evidence, or a
measure with its evidence, records the files instead (`delete_later`, in the same
transaction, so a rollback keeps them); `delete_due` deletes them once
ITA_FILE_DELETE_GRACE_MINUTES has passed, unless a row owns the name again.

Orphans. An upload killed mid-request, or a publication killed between writing its PDF
and committing its row, can leave a file in evidence/ or published/ that no row names.
Such a file is removed only when it is older than the grace period (an hour by
default, longer than a backup takes), so an upload under way, whose row is not
committed yet, and a file a running backup still lists are never taken.

Draft PDFs (drafts/) are owned by their jobs, not by a file field: reports' own
`manage.py sweep_files` looks after them.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from operations.models import PendingDeletion
from operations.stored_files import owned_names, walk

logger = logging.getLogger(__name__)
FOLDERS = ("evidence", "published")


def grace() -> timedelta:
    return timedelta(minutes=settings.ITA_FILE_DELETE_GRACE_MINUTES)


def delete_later(names) -> None:
    """Delete these stored files once the grace period has passed."""
    due_at = timezone.now() + grace()
    PendingDeletion.objects.bulk_create(
        [PendingDeletion(name=name, due_at=due_at) for name in names if name]
    )


def pending_names() -> set[str]:
    """The files waiting for their time: no sweep takes them for orphans before."""
    return set(PendingDeletion.objects.values_list("name", flat=True))


def delete_due(*, now=None, dry_run: bool = False) -> list[str]:
    """Delete the files whose time has come (and that no row owns again), by name."""
    due = list(PendingDeletion.objects.filter(due_at__lte=now or timezone.now()))
    if not due:
        return []
    owned = owned_names()
    deleted = []
    for pending in due:
        if pending.name not in owned and default_storage.exists(pending.name):
            if not dry_run:
                default_storage.delete(pending.name)
            deleted.append(pending.name)
    if not dry_run:
        PendingDeletion.objects.filter(pk__in=[p.pk for p in due]).delete()
    return deleted


def sweep_orphans(*, older_than: timedelta, dry_run: bool = False) -> list[str]:
    """The orphan files older than `older_than` (removed unless dry_run), by name."""
    # Files whose rows were removed go once their grace period has passed; those
    # still waiting are not orphans.
    swept = delete_due(dry_run=dry_run)
    before = timezone.now() - older_than
    # Rows first, then files: a file stored after the rows were read is younger than
    # the grace period, so it is never taken for an orphan.
    owned = owned_names() | pending_names()
    for folder in FOLDERS:
        for name in walk(folder):
            if name in owned or default_storage.get_modified_time(name) >= before:
                continue
            if not dry_run:
                default_storage.delete(name)
            swept.append(name)
    return swept


@shared_task(name="operations.sweep_orphans", ignore_result=True)
def sweep_orphans_task() -> int:
    """The worker's hourly sweep (CELERY_BEAT_SCHEDULE["sweep"])."""
    swept = sweep_orphans(older_than=timedelta(hours=1))
    if swept:
        logger.info("sweep: %d files removed", len(swept))
    return len(swept)
