import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogue.models import Indicator
from interchange import importer
from interchange.management.commands import _lookup
from interchange.tables import TableFileError, check_size


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
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="ถ้อยคำ=เครื่องมือ:เลข",
            dest="wordings",
            help=(
                "ถ้อยคำตัวชี้วัดของหน่วยงานเป็นตัวชี้วัดข้อใด เช่น "
                '--map "การเสริมสร้างวัฒนธรรมองค์กร=OIT:10" (ระบุได้หลายครั้ง; '
                "เมื่อนำเข้าจริง ระบบจะจำไว้ใช้กับการนำเข้าครั้งต่อไปของหน่วยงานนี้ "
                "และแนะนำให้หน่วยงานอื่นโดยไม่ระบุชื่อหน่วยงาน)"
            ),
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
        wordings = dict(_mapping(text) for text in options["wordings"])
        known = {
            (code.upper(), number)
            for code, number in Indicator.objects.filter(tool__fiscal_year=fiscal_year).values_list(
                "tool__code", "number"
            )
        }
        for (tool, wording), number in wordings.items():
            if (tool, number) not in known:
                raise CommandError(
                    f"--map “{wording}={tool}:{number}”: ไม่พบตัวชี้วัดที่ {number} ของเครื่องมือ {tool} "
                    f"ในปีงบประมาณ พ.ศ. {fiscal_year.year}"
                )
        result = importer.import_measures(
            content=path.read_bytes(),
            wordings=wordings,
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
        for mapping in result.mapped:
            self.stdout.write(f"  ถ้อยคำตัวชี้วัด: {mapping}")
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            for question in result.unknown_wordings:
                self.stderr.write(_question_text(question))
            raise CommandError(
                f"นำเข้าไม่สำเร็จ: พบข้อผิดพลาด {len(result.errors)} รายการ จึงไม่บันทึกข้อมูลใดเลย"
            )
        done = "ตรวจสอบผ่าน ยังไม่บันทึกข้อมูล" if result.dry_run else "นำเข้าเรียบร้อย"
        self.stdout.write(self.style.SUCCESS(f"{done}: {result.summary}"))


def _question_text(question: importer.WordingQuestion) -> str:
    """How to answer a wording question with --map; a suggestion (other agencies'
    most common choice) is named as one, and nothing is chosen without --map."""
    suggested = question.suggested
    example = suggested or (question.choices[-1] if question.choices else None)
    text = (
        f"ถ้อยคำ “{question.wording}” ({question.tool} แถวที่ {question.rows_text}) "
        f'เป็นตัวชี้วัดข้อใด ระบุด้วย --map "{question.wording}={question.tool}:'
        f'{example.number if example else "1"}" (ตัวชี้วัดของ {question.tool}: '
        + ", ".join(f"{i.number} {i.name}" for i in question.choices)
        + ")"
    )
    if suggested:
        text += (
            f" ข้อแนะนำจากการเลือกของหน่วยงานอื่นในระบบ (ไม่ระบุหน่วยงาน): "
            f"ตัวชี้วัดที่ {suggested.number} {suggested.name} ตรวจสอบก่อนใช้"
        )
    return text


_MAPPING = re.compile(
    r"^(?P<wording>.+?)\s*=\s*(?P<tool>[A-Za-z]{2,10})\s*:\s*(?P<number>[0-9๐-๙.]+)$"
)


def _mapping(text: str) -> tuple[tuple[str, str], str]:
    """ "การเสริมสร้างวัฒนธรรมองค์กร=OIT:10" → (("OIT", wording), "10")."""
    match = _MAPPING.match(text.strip())
    if not match:
        raise CommandError(
            f"อ่าน --map “{text}” ไม่ได้ ต้องเขียนเป็น ถ้อยคำ=เครื่องมือ:เลขตัวชี้วัด "
            'เช่น --map "การเสริมสร้างวัฒนธรรมองค์กร=OIT:10"'
        )
    number = match["number"].translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
    return (match["tool"].upper(), match["wording"].strip()), number
