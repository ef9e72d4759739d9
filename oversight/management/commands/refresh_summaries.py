from django.core.management.base import BaseCommand, CommandError

from catalogue.models import FiscalYear
from measures.models import Round
from oversight import summaries


class Command(BaseCommand):
    help = (
        "คำนวณสรุปรายหน่วยงานของหน้าภาพรวมหลายหน่วยงานใหม่ เฉพาะที่ล้าสมัย (มีการแก้ไข "
        "หรือมีมาตรการถึงกำหนดแล้ว) หรือยังไม่มี เช่น ตั้งเวลาให้ทำทุกคืนหลังเที่ยงคืน"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fiscal-year",
            type=int,
            action="append",
            dest="years",
            help="ปีงบประมาณ พ.ศ. เช่น 2566 (ระบุได้หลายครั้ง) ถ้าไม่ระบุ: ทุกปีที่มีรอบการรายงาน",
        )
        parser.add_argument("--all", action="store_true", help="คำนวณใหม่ทุกหน่วยงาน แม้สรุปยังใช้ได้")

    def handle(self, *args, **options):
        if options["years"]:
            years = list(FiscalYear.objects.filter(year__in=options["years"]).order_by("year"))
            missing = sorted(set(options["years"]) - {y.year for y in years})
            if missing:
                raise CommandError("ไม่พบปีงบประมาณ พ.ศ. " + ", ".join(map(str, missing)) + " ในระบบ")
        else:
            with_rounds = Round.objects.values("fiscal_year")
            years = list(FiscalYear.objects.filter(pk__in=with_rounds).order_by("year"))
        for year in years:
            count = summaries.refresh_all([year], everything=options["all"])
            self.stdout.write(
                f"ปีงบประมาณ พ.ศ. {year.year}: คำนวณสรุปใหม่ {count:,} รายการ (รอบ 6 และ 12 เดือน)"
            )
