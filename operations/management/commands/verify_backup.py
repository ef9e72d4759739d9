"""`manage.py verify_backup DEST`: every file of a backup read again and checked
against its manifest (operations/backup_services.py)."""

from django.core.management.base import BaseCommand, CommandError

from operations.backup_services import BackupError, verify


class Command(BaseCommand):
    help = "ตรวจการสำรองข้อมูลในโฟลเดอร์ DEST: ทุกไฟล์ต้องมีขนาดและ SHA-256 ตรงกับรายการ"

    def add_arguments(self, parser):
        parser.add_argument("dest", help="โฟลเดอร์ที่ backup_portal สร้างไว้")

    def handle(self, *args, dest: str, **options):
        try:
            manifest, problems = verify(dest)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"การสำรองข้อมูลไม่สมบูรณ์: พบปัญหา {len(problems)} รายการ")
        self.stdout.write(
            f"การสำรองข้อมูลครบถ้วน: ฐานข้อมูลและไฟล์ {len(manifest['files'])} ไฟล์ตรงกับรายการ "
            f"(สำรองเมื่อ {manifest['created_at']})"
        )
