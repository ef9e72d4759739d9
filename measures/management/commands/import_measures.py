from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measures.interchange import importer
from measures.interchange.tables import TableFileError, check_size
from measures.management.commands import _lookup


class Command(BaseCommand):
    help = (
        "นำเข้ามาตรการและผลการดำเนินการจากไฟล์ XLSX หรือ CSV ในรูปแบบตารางของรายงาน "
        "(ถ้ามีแถวใดผิด จะไม่บันทึกข้อมูลใดเลย)"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="ไฟล์ .xlsx หรือ .csv (UTF-8)")
        parser.add_argument(
            "--organization", required=True, help="ชื่อหน่วยงาน หรือชื่อย่อในลิงก์ เช่น ubon-pao"
        )
        parser.add_argument("--fiscal-year", type=int, required=True, help="ปี พ.ศ. เช่น 2566")
        parser.add_argument(
            "--round",
            type=int,
            choices=[6, 12],
            dest="round_kind",
            help="รอบของคอลัมน์ผลการดำเนินการ (ค่าเริ่มต้น: ตามหัวเรื่องในไฟล์ หรือรอบ 6 เดือน)",
        )
        parser.add_argument(
            "--create-divisions", action="store_true", help="สร้างส่วนราชการที่ยังไม่มีในหน่วยงาน"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="ตรวจสอบและแสดงสิ่งที่จะเปลี่ยน โดยไม่บันทึก"
        )

    def handle(self, *args, **options):
        organization = _lookup.organization(options["organization"])
        fiscal_year = _lookup.fiscal_year(options["fiscal_year"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {path}")
        try:
            check_size(path.stat().st_size)
        except TableFileError as error:
            raise CommandError(f"{path.name}: {error}") from error
        result = importer.import_measures(
            content=path.read_bytes(),
            organization=organization,
            fiscal_year=fiscal_year,
            round_kind=options["round_kind"],
            create_divisions=options["create_divisions"],
            dry_run=options["dry_run"],
            source_name=path.name,
        )
        self._report(result, path.name)

    def _report(self, result: importer.ImportResult, name: str) -> None:
        dry = " (ทดลอง: ยังไม่บันทึกข้อมูล)" if result.dry_run else ""
        self.stdout.write(
            f"{name} → {result.organization} ปีงบประมาณ พ.ศ. {result.fiscal_year.year} "
            f"ผลการดำเนินการรอบ {result.round_kind} เดือน{dry}"
        )
        for row in result.rows:
            changes = f" ({', '.join(row.changes)})" if row.changes else ""
            self.stdout.write(f"  แถวที่ {row.row}: {row.action_label}{changes} — {row.label}")
        for name_ in result.new_divisions:
            self.stdout.write(f"  สร้างส่วนราชการใหม่: {name_}")
        for round_ in result.new_rounds:
            self.stdout.write(f"  สร้างรอบการรายงาน: {round_}")
        for label in result.kept:
            self.stdout.write(f"  คงไว้ (ไม่อยู่ในไฟล์): {label}")
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"นำเข้าไม่สำเร็จ: พบข้อผิดพลาด {len(result.errors)} รายการ จึงไม่บันทึกข้อมูลใดเลย"
            )
        done = "ตรวจสอบผ่าน ยังไม่บันทึกข้อมูล" if result.dry_run else "นำเข้าเรียบร้อย"
        self.stdout.write(self.style.SUCCESS(f"{done}: {result.summary}"))
