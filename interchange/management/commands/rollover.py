from django.core.management.base import BaseCommand, CommandError

from interchange.management.commands import _lookup
from interchange.rollover import RolloverError, rollover


class Command(BaseCommand):
    help = (
        "ยกมาตรการ ส่วนราชการผู้รับผิดชอบ และขั้นตอน ไปปีงบประมาณถัดไปเป็นฉบับร่าง "
        "(ไม่มีผลการดำเนินการและกำหนดเวลา) โดยจับคู่ตัวชี้วัดตามเครื่องมือและชื่อ"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organization", required=True, help="ชื่อหน่วยงาน หรือชื่อย่อในลิงก์ เช่น ubon-pao"
        )
        parser.add_argument("--from", type=int, required=True, dest="from_year", help="เช่น 2566")
        parser.add_argument("--to", type=int, required=True, dest="to_year", help="เช่น 2567")

    def handle(self, *args, **options):
        organization = _lookup.organization(options["organization"])
        try:
            result = rollover(
                organization=organization,
                from_year=options["from_year"],
                to_year=options["to_year"],
            )
        except RolloverError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{organization}: ยกมาตรการจากปีงบประมาณ พ.ศ. {result.from_year.year} "
            f"ไปปีงบประมาณ พ.ศ. {result.to_year.year} {len(result.created)} รายการ (ฉบับร่าง)"
        )
        for label in result.created:
            self.stdout.write(f"  {label}")
        if result.unmapped:
            self.stderr.write(f"ยกไปไม่ได้ {len(result.unmapped)} รายการ (ไม่พบตัวชี้วัดในปีใหม่):")
            for line in result.unmapped:
                self.stderr.write(f"  {line}")
