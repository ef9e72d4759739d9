"""Files leave storage after a grace period, not with their rows (issue 18, item 8).

A backup reads the database first and the files after (operations/backup_services.py):
a file deleted at once with its row, while a backup ran, was in the backup's database
and not in its files. Removing evidence, or a measure with its evidence, records the
files here instead (in the same transaction); `delete_due`, run by the sweep
(manage.py sweep_orphans, hourly on the worker), deletes them once ITA_FILE_DELETE_GRACE
has passed, unless a row owns the name again."""

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from operations.models import PendingDeletion
from operations.stored_files import owned_names


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
