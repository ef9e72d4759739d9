import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interchange.exporters import EXPORTERS, build_sheet
from interchange.management.commands import _lookup


class Command(BaseCommand):
    help = (
        "ส่งออกมาตรการและผลการดำเนินการของหน่วยงานในปีงบประมาณหนึ่งเป็นไฟล์ XLSX หรือ CSV "
        "ในรูปแบบตารางของรายงาน (ไฟล์เดียวกับที่ import_measures นำเข้าได้)"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organization", required=True, help="ชื่อหน่วยงาน หรือชื่อย่อในลิงก์ เช่น ubon-pao"
        )
        parser.add_argument("--fiscal-year", type=int, required=True, help="ปี พ.ศ. เช่น 2566")
        parser.add_argument(
            "--round",
            type=int,
            choices=[6, 12],
            default=6,
            dest="round_kind",
            help="รอบของคอลัมน์ผลการดำเนินการ (ค่าเริ่มต้น: รอบ 6 เดือน)",
        )
        parser.add_argument(
            "--format",
            choices=sorted(EXPORTERS),
            help="ชนิดไฟล์ (ค่าเริ่มต้น: ตามนามสกุลของไฟล์ที่ระบุใน -o หรือ xlsx)",
        )
        parser.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help="ไฟล์ที่จะเขียน (ถ้าไม่ระบุ เขียนออกทางเอาต์พุตมาตรฐาน)",
        )

    def handle(self, *args, **options):
        organization = _lookup.organization(options["organization"])
        fiscal_year = _lookup.fiscal_year(options["fiscal_year"])
        output = Path(options["output"]) if options["output"] else None
        identifier = options["format"] or _format_of(output)
        if output is None and identifier == "xlsx" and self.stdout.isatty():
            raise CommandError(
                "ไฟล์ XLSX เป็นข้อมูลไบนารี จึงไม่แสดงบนหน้าจอ "
                "กรุณาระบุไฟล์ด้วย -o เช่น -o มาตรการ.xlsx หรือเลือก --format csv"
            )
        if output is not None and not output.parent.is_dir():
            raise CommandError(f"ไม่พบโฟลเดอร์ {output.parent} สำหรับเขียนไฟล์ {output.name}")
        sheet = build_sheet(
            organization=organization, fiscal_year=fiscal_year, round_kind=options["round_kind"]
        )
        _, _, content = EXPORTERS[identifier].export([sheet])
        summary = (
            f"ส่งออกมาตรการ {len(sheet.rows)} รายการของ{organization} ปีงบประมาณ พ.ศ. "
            f"{fiscal_year.year} (ผลการดำเนินการรอบ {options['round_kind']} เดือน) "
            f"เป็นไฟล์ {identifier.upper()}"
        )
        if output is not None:
            try:
                output.write_bytes(content)
            except OSError as error:
                raise CommandError(f"เขียนไฟล์ {output} ไม่ได้: {error.strerror}") from error
            self.stdout.write(self.style.SUCCESS(f"{summary}: {output}"))
            return
        stream = getattr(self.stdout, "_out", sys.stdout)
        binary = getattr(stream, "buffer", None)
        if binary is not None:
            stream.flush()
            binary.write(content)
            binary.flush()
        elif identifier == "csv":  # a text stream with no bytes underneath
            stream.write(content.decode("utf-8-sig"))
        else:
            raise CommandError("เอาต์พุตนี้รับได้เฉพาะข้อความ กรุณาระบุไฟล์ XLSX ด้วย -o")
        # The data went to standard output; the summary goes to standard error.
        self.stderr.write(summary)


def _format_of(output: Path | None) -> str:
    if output is not None and output.suffix.lower().lstrip(".") in EXPORTERS:
        return output.suffix.lower().lstrip(".")
    return "xlsx"
