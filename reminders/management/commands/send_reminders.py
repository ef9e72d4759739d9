from django.core.management.base import BaseCommand

from reminders.send_services import send_reminders


class Command(BaseCommand):
    help = (
        "ส่งอีเมลแจ้งเตือนของวันนี้ (เจ้าหน้าที่ ผู้ประสานงาน ผู้บริหาร) "
        "ส่งซ้ำในวันเดียวกันจะไม่ส่งเรื่องเดิมซ้ำ และส่งรายการที่ส่งไม่สำเร็จอีกครั้ง"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="แสดงว่าจะส่งอะไรให้ใคร โดยไม่ส่งและไม่บันทึก",
        )

    def handle(self, *args, dry_run=False, **options):
        outcome = send_reminders(dry_run=dry_run)
        for line in outcome.lines:
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(f"ทดลองเท่านั้น ไม่ได้ส่ง: จะส่ง {len(outcome.lines)} ฉบับ")
        else:
            self.stdout.write(outcome.summary())
