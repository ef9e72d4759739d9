"""manage.py import_ita_results FILE --fiscal-year 2565 [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogue import services as catalogue
from organizations.access import SYSTEM
from results.services import ImportRefused, import_results

NO_CATALOGUE = (
    "ปีงบประมาณ พ.ศ. {year} ยังไม่มีเกณฑ์การประเมิน (เครื่องมือและตัวชี้วัด) ในระบบ ({known}) "
    "ผู้ดูแลระบบเพิ่มได้ที่หน้าจัดการข้อมูล (ปีงบประมาณ → เพิ่ม โดยคัดลอกจากปีอื่น) "
    "หรือด้วยคำสั่ง load_catalogue"
)


class Command(BaseCommand):
    help = (
        "นำเข้าผลการประเมิน ITA ของหลายหน่วยงานจากไฟล์ XLSX หรือ CSV (หนึ่งแถวต่อหนึ่งหน่วยงาน: "
        "หน่วยงาน, ตัวชี้วัดที่ 1 … ตัวชี้วัดที่ 10, คะแนนรวม) ทุกแถวต้องถูกต้องจึงบันทึก"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="ไฟล์ผลการประเมิน .xlsx หรือ .csv (UTF-8)")
        parser.add_argument("--fiscal-year", type=int, required=True, help="ปีที่ประเมิน (พ.ศ.)")
        parser.add_argument("--dry-run", action="store_true", help="ตรวจสอบอย่างเดียว ไม่บันทึก")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"เปิดไฟล์ {path} ไม่ได้: {error.strerror}") from error
        year = options["fiscal_year"]
        fiscal_year = catalogue.ensure_year(year)
        if fiscal_year is None or not fiscal_year.tools.exists():
            raise CommandError(NO_CATALOGUE.format(year=year, known=catalogue.known_years_text()))
        try:
            sheet, outcome = import_results(
                user=SYSTEM, fiscal_year=fiscal_year, content=content, dry_run=options["dry_run"]
            )
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"ไม่ได้บันทึกผลการประเมินใด ๆ: ไฟล์มีปัญหา {len(refused.problems)} รายการ"
            ) from None
        counts = (
            f"เพิ่มใหม่ {len(outcome.created)} แก้ไข {len(outcome.changed)} "
            f"ไม่เปลี่ยนแปลง {len(outcome.unchanged)} หน่วยงาน"
        )
        if options["dry_run"]:
            self.stdout.write(f"ตรวจสอบแล้ว ไม่ได้บันทึก (--dry-run): {len(sheet.rows)} แถว, {counts}")
        else:
            self.stdout.write(
                f"นำเข้าผลการประเมินปีงบประมาณ {year} แล้ว: {len(sheet.rows)} แถว, {counts}"
            )
