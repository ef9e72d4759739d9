"""Files no row owns, removed once they are old enough (manage.py sweep_orphans).

An upload killed mid-request, evidence replaced or removed while a backup ran, a
publication killed between writing its PDF and committing its row: each can leave a
file in evidence/ or published/ that no row names. Such a file is removed only when
it is older than the grace period (an hour by default, longer than a backup takes:
operations/backup_services.py), so an upload under way, whose row is not committed
yet, and a file a running backup still lists are never taken.

Draft PDFs (drafts/) are owned by their jobs, not by a file field: reports' own
`manage.py sweep_files` looks after them.
"""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from operations.deletion_services import delete_due, pending_names
from operations.stored_files import owned_names, walk

FOLDERS = ("evidence", "published")


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
