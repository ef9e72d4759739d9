"""`manage.py backup_portal DEST`: the database and every stored file, with a
manifest of SHA-256s (operations/backup_services.py, docs/operations.md)."""

from django.core.management.base import BaseCommand, CommandError

from operations.backup_services import BackupError, backup


class Command(BaseCommand):
    help = "สำรองฐานข้อมูลและไฟล์ทั้งหมด (หลักฐาน, PDF ที่เผยแพร่) พร้อมรายการ SHA-256 ไว้ในโฟลเดอร์ DEST"

    def add_arguments(self, parser):
        parser.add_argument("dest", help="โฟลเดอร์ใหม่หรือว่างสำหรับการสำรองครั้งนี้")

    def handle(self, *args, dest: str, **options):
        try:
            summary = backup(dest)
        except (BackupError, OSError) as error:
            raise CommandError(f"สำรองข้อมูลไม่สำเร็จ: {error}") from None
        for name in summary.missing:
            self.stderr.write(f"คำเตือน: ไม่พบไฟล์ {name} ที่ข้อมูลอ้างถึงในที่เก็บไฟล์")
        self.stdout.write(
            f"สำรองข้อมูลแล้วที่ {dest}: ฐานข้อมูลและไฟล์ {summary.files} ไฟล์ ({summary.size:,} ไบต์)"
        )
