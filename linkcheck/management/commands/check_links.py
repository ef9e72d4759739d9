from django.core.management.base import BaseCommand

from linkcheck import services


class Command(BaseCommand):
    help = (
        "ตรวจลิงก์หลักฐานและลิงก์ข้อ OIT ที่วันนี้ยังไม่ได้ตรวจ (ลิงก์ละไม่เกินวันละครั้ง); "
        "--dry-run แสดงลิงก์ที่จะตรวจโดยไม่เปิดลิงก์และไม่บันทึก"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="แสดงลิงก์ที่จะตรวจ โดยไม่เปิดลิงก์และไม่บันทึก"
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            summary = services.dry_run()
            for url in summary.due_urls:
                self.stdout.write(url)
            self.stdout.write(
                f"ลิงก์ทั้งหมด {summary.known} รายการ จะตรวจวันนี้ {summary.due} รายการ (ไม่ได้ตรวจจริง)"
            )
            return
        summary = services.run_checks(budget_seconds=float("inf"))
        for url in summary.broken_urls:
            self.stdout.write(f"ใช้งานไม่ได้: {url}")
        self.stdout.write(
            f"ลิงก์ทั้งหมด {summary.known} รายการ ตรวจแล้ว {summary.checked} รายการ "
            f"ใช้งานไม่ได้ {summary.broken} รายการ"
        )
