"""`manage.py sweep_orphans [--dry-run]`: evidence files and published PDFs that no row
owns, removed once older than an hour (operations/sweep_services.py)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from operations.sweep_services import sweep_orphans


class Command(BaseCommand):
    help = "ลบไฟล์หลักฐานและไฟล์ PDF ที่เผยแพร่ซึ่งไม่มีข้อมูลใดอ้างถึง เมื่อเก่ากว่าระยะผ่อนผัน"

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=60,
            help="ลบเฉพาะไฟล์ที่เก่ากว่านี้ (นาที ค่าเริ่มต้น 60: นานกว่าการสำรองข้อมูลหนึ่งครั้ง)",
        )
        parser.add_argument("--dry-run", action="store_true", help="แสดงรายการโดยไม่ลบ")

    def handle(self, *args, older_than_minutes: int, dry_run: bool, **options):
        older_than = timedelta(minutes=max(older_than_minutes, 0))
        swept = sweep_orphans(older_than=older_than, dry_run=dry_run)
        for name in swept:
            self.stdout.write(f"{'จะลบ' if dry_run else 'ลบ'} {name}")
        verb = "พบ" if dry_run else "ลบ"
        self.stdout.write(f"{verb}ไฟล์ที่ไม่มีข้อมูลอ้างถึง {len(swept)} ไฟล์")
