import time

from django.core.management.base import BaseCommand, CommandError

from demo.generate_agencies import generate_agencies
from demo.generated import publish_generated
from operations.bulk import analyze_after_bulk_load


class Command(BaseCommand):
    help = (
        "สร้างหน่วยงานจำลองจำนวนมาก (ชื่อไทยตามจังหวัดและประเภท ส่วนราชการ มาตรการแบบรายงานตัวอย่าง "
        "ผลการดำเนินการหลายระดับ และรายงานที่เผยแพร่แล้วบางส่วน) สำหรับทดสอบหน้าภาพรวมหลายหน่วยงาน"
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="จำนวนหน่วยงานที่จะสร้าง")
        parser.add_argument(
            "--fiscal-year", type=int, required=True, help="ปีงบประมาณ พ.ศ. เช่น 2566"
        )
        parser.add_argument("--seed", type=int, default=0, help="ค่าตั้งต้นสุ่ม (ค่าเดียวกันได้ข้อมูลเดียวกัน)")
        parser.add_argument(
            "--measures", type=int, default=10, help="จำนวนมาตรการต่อหน่วยงาน (ค่าเริ่มต้น 10)"
        )

    def handle(self, *args, count, fiscal_year, seed, measures, **options):
        if count < 1:
            raise CommandError("--count ต้องเป็นจำนวนเต็มบวก")
        if not 2543 <= fiscal_year <= 2643:
            raise CommandError("--fiscal-year ต้องเป็นปี พ.ศ. เช่น 2566")
        if not 1 <= measures <= 100:
            raise CommandError("--measures ต้องอยู่ระหว่าง 1 ถึง 100")
        started = time.monotonic()

        def report(done: int) -> None:
            self.stdout.write(
                f"  สร้างแล้ว {done:,} จาก {count:,} หน่วยงาน ({time.monotonic() - started:.0f} วินาที)"
            )

        result = generate_agencies(
            count=count,
            fiscal_year=fiscal_year,
            seed=seed,
            measures_per_agency=measures,
            progress_callback=report,
        )
        published = publish_generated(result.published)
        # PostgreSQL's statistics of what was loaded, for the first roll-up's plans.
        analyzed = analyze_after_bulk_load()
        self.stdout.write(
            f"สร้างหน่วยงานจำลอง {len(result.organizations):,} หน่วยงาน "
            f"(มาตรการละ {measures} รายการ ปีงบประมาณ พ.ศ. {fiscal_year}) "
            f"เผยแพร่รายงานจำลอง {published:,} ฉบับ ใน {time.monotonic() - started:.1f} วินาที"
        )
        if analyzed:
            self.stdout.write(f"ปรับปรุงสถิติของฐานข้อมูลแล้ว ({analyzed:.1f} วินาที)")
