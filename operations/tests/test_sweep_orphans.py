"""manage.py sweep_orphans (issue 18, item 8): evidence files and published PDFs that no
row owns are removed once older than the grace period (an hour); owned files, young
orphans (an upload whose row is not committed yet) and other folders are kept."""

import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from progress.models import Evidence
from testing.factories import ProgressFactory
from testing.helpers import PDF

pytestmark = pytest.mark.django_db


def stored(name: str, *, hours_old: float) -> str:
    saved = default_storage.save(name, ContentFile(PDF))
    when = time.time() - hours_old * 3600
    os.utime(default_storage.path(saved), (when, when))
    return saved


def test_only_old_files_no_row_owns_are_swept(media_root, capsys):
    progress = ProgressFactory()
    evidence = Evidence(progress=progress, original_name="a.pdf", size=len(PDF))
    evidence.file.save("a.pdf", ContentFile(PDF), save=False)
    evidence.save()
    owned = evidence.file.name
    os.utime(default_storage.path(owned), (time.time() - 7200,) * 2)
    killed_upload = stored("evidence/org-1/1/killed.pdf", hours_old=2)
    unpublished = stored("published/org-1/2566/round6-v2-abc.pdf", hours_old=3)
    uploading = stored("evidence/org-1/1/uploading.pdf", hours_old=0.5)
    draft = stored("drafts/org-1/draft.pdf", hours_old=5)  # its job owns it (reports)

    call_command("sweep_orphans", "--dry-run")
    out = capsys.readouterr().out
    assert f"จะลบ {killed_upload}" in out and f"จะลบ {unpublished}" in out
    assert "พบไฟล์ที่ไม่มีข้อมูลอ้างถึง 2 ไฟล์" in out
    assert all(default_storage.exists(name) for name in (killed_upload, unpublished))

    call_command("sweep_orphans")
    assert "ลบไฟล์ที่ไม่มีข้อมูลอ้างถึง 2 ไฟล์" in capsys.readouterr().out
    assert not default_storage.exists(killed_upload)
    assert not default_storage.exists(unpublished)
    for kept in (owned, uploading, draft):
        assert default_storage.exists(kept), kept


def test_a_removed_file_waits_its_grace_period_then_the_hourly_sweep_takes_it(media_root, settings):
    """An old file whose row is removed is not an orphan to the sweep until its grace
    period has passed (a backup may hold its row); the worker's hourly task sweeps."""
    from datetime import timedelta

    from django.utils import timezone

    from ita_portal.celery import app
    from operations import sweep_services
    from operations.sweep_services import sweep_orphans_task

    assert settings.CELERY_BEAT_SCHEDULE["sweep"]["task"] == "operations.sweep_orphans"
    assert "operations.sweep_orphans" in app.tasks
    name = default_storage.save("evidence/2566/old.pdf", ContentFile(PDF))
    two_hours_ago = time.time() - 2 * 3600
    os.utime(media_root / name, (two_hours_ago, two_hours_ago))
    sweep_services.delete_later([name])
    assert sweep_orphans_task() == 0
    assert default_storage.exists(name)
    settings.ITA_FILE_DELETE_GRACE_MINUTES = 0
    sweep_services.PendingDeletion.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    assert sweep_orphans_task() == 1
    assert not default_storage.exists(name)
    assert not sweep_services.PendingDeletion.objects.exists()
