from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogue import services as catalogue


class Command(BaseCommand):
    help = (
        "โหลดเกณฑ์การประเมิน ITA (เครื่องมือ ตัวชี้วัด และถ้อยคำอื่นของตัวชี้วัด) ของปีงบประมาณ "
        "จากไฟล์ JSON ถ้าไม่ระบุไฟล์ จะโหลดทุกปีที่มากับระบบ (fixtures/catalogue/) ที่ยังไม่มีในฐานข้อมูล "
        "ข้อมูลที่มีอยู่แล้วคงไว้ตามเดิม เพิ่มเฉพาะที่ยังไม่มี"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files",
            nargs="*",
            metavar="FILE",
            help="ไฟล์ JSON (รูปแบบใน fixtures/catalogue/README.md) เช่น fixtures/catalogue/2570.json",
        )

    def handle(self, *args, **options):
        try:
            if options["files"]:
                results = [
                    catalogue.load_catalogue(catalogue.read_catalogue(Path(name)))
                    for name in options["files"]
                ]
            else:
                results = catalogue.load_shipped()
        except catalogue.CatalogueError as error:
            raise CommandError(str(error)) from error
        for result in results:
            self.stdout.write(result.summary)
            for difference in result.differences:
                self.stderr.write(f"  {difference}")
        self.stdout.write(self.style.SUCCESS(catalogue.known_years_text()))
