"""`manage.py restore_portal DEST [--force]`: a verified backup into an empty database
and an empty storage (operations/backup_services.py, docs/operations.md)."""

from django.core.management.base import BaseCommand, CommandError

from operations.backup_services import BackupError, restore


class Command(BaseCommand):
    help = (
        "กู้คืนฐานข้อมูลและไฟล์จากการสำรองในโฟลเดอร์ DEST ลงในระบบที่ว่าง "
        "(ตรวจทุกไฟล์ก่อน; ระบบที่มีข้อมูลอยู่แล้วต้องสั่งด้วย --force)"
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", help="โฟลเดอร์ที่ backup_portal สร้างไว้")
        parser.add_argument("--force", action="store_true", help="เขียนทับฐานข้อมูลและไฟล์ที่มีอยู่แล้ว")

    def handle(self, *args, dest: str, force: bool, **options):
        try:
            summary = restore(dest, force=force)
        except (BackupError, OSError) as error:
            raise CommandError(f"กู้คืนไม่สำเร็จ: {error}") from None
        for name in summary.missing:
            self.stderr.write(f"คำเตือน: ขณะสำรอง ไม่พบไฟล์ {name} ที่ข้อมูลอ้างถึง")
        self.stdout.write(
            f"กู้คืนแล้ว: ฐานข้อมูลและไฟล์ {summary.files} ไฟล์ ({summary.size:,} ไบต์) ตรงกับรายการทุกไฟล์"
        )
