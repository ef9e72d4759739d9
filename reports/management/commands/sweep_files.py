"""`manage.py sweep_files`: remove the PDFs under published/ and drafts/ that no row
owns, once they are older than a grace period (longer than a backup takes, so that a
backup never lists a row whose file is already gone).

A publication killed between writing its PDF and committing its row, or a draft
render killed before its job finished, leaves such a file (jobs.recovery_services runs
the job again, under a name of its own). Published PDFs are owned by their row
(a PublishedReport, a PublishedAnalysis: any file field); a draft by the finished
draft job that made it (Job.result_file).
Run it daily (deploy/systemd/ita-portal-sweep.timer); --dry-run lists only.
"""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from jobs.models import Job
from operations.stored_files import owned_names as stored_files_owned

FOLDERS = ("published", "drafts")


def stored_files(folder: str):
    """Every file under `folder` of the default storage (local disk or the bucket)."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from stored_files(f"{folder}/{sub}")


def owned_names() -> set[str]:
    """Every file some row's file field holds (the reports', the analyses' and any
    other app's under published/: operations.stored_files reads every model), and
    the drafts their finished jobs made."""
    drafts = Job.objects.filter(kind=Job.Kind.DRAFT_PDF, state=Job.State.DONE).exclude(
        result_file=""
    )
    return stored_files_owned() | set(drafts.values_list("result_file", flat=True))


class Command(BaseCommand):
    help = "ลบไฟล์ PDF ใน published/ และ drafts/ ที่ไม่มีข้อมูลใดอ้างถึง เมื่อเก่ากว่าระยะผ่อนผัน"

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=int,
            default=48,
            help="ลบเฉพาะไฟล์ที่เก่ากว่านี้ (ชั่วโมง ค่าเริ่มต้น 48: นานกว่าการสำรองข้อมูล)",
        )
        parser.add_argument("--dry-run", action="store_true", help="แสดงรายการโดยไม่ลบ")

    def handle(self, *args, older_than_hours: int, dry_run: bool, **options):
        before = timezone.now() - timedelta(hours=older_than_hours)
        # Rows first, then files: a file written after the rows were read is younger
        # than the grace period, so it is never taken for an orphan.
        owned = owned_names()
        removed = 0
        for folder in FOLDERS:
            for name in stored_files(folder):
                if name in owned or default_storage.get_modified_time(name) >= before:
                    continue
                if not dry_run:
                    default_storage.delete(name)
                removed += 1
                self.stdout.write(f"{'จะลบ' if dry_run else 'ลบ'} {name}")
        verb = "พบ" if dry_run else "ลบ"
        self.stdout.write(f"{verb}ไฟล์ที่ไม่มีข้อมูลอ้างถึง {removed} ไฟล์")
