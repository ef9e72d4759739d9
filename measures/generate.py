"""Synthetic measures for load tests and benchmarks: many rows, real shapes."""

from datetime import date

from measures.models import (
    Division,
    Indicator,
    Measure,
    MeasureDivision,
    Progress,
    Round,
    Step,
    StepItem,
)

STEP_TEXT = (
    "จัดทำแนวทางปฏิบัติและเผยแพร่ประชาสัมพันธ์ให้บุคลากรและประชาชนทราบผ่านเว็บไซต์ของหน่วยงาน "
    "และช่องทางที่หลากหลาย ข้อที่ {n}"
)
MONITORING = (
    "1. เจ้าหน้าที่ผู้รับผิดชอบรายงานผลการดำเนินการให้ผู้บริหารทราบ\n"
    "2. ผู้บริหารกำกับติดตามการดำเนินการให้เจ้าหน้าที่ดำเนินการให้เสร็จสิ้นภายในระยะเวลาที่กำหนด"
)


def generate_measures(round_: Round, count: int, steps_per_measure: int = 6) -> list[Measure]:
    """Add `count` measures after the round's existing ones, with steps, sub-items,
    two divisions each and this round's progress, in a handful of bulk inserts."""
    organization, fiscal_year = round_.organization, round_.fiscal_year
    indicators = list(Indicator.objects.filter(tool__fiscal_year=fiscal_year))
    divisions = list(Division.objects.filter(organization=organization))
    if not divisions:
        divisions = [Division.objects.create(organization=organization, name="กองทดสอบ")]
    start = Measure.objects.filter(organization=organization, fiscal_year=fiscal_year).count()
    measures = Measure.objects.bulk_create(
        Measure(
            organization=organization,
            fiscal_year=fiscal_year,
            indicator=indicators[n % len(indicators)],
            target=f"มาตรการทดสอบที่ {start + n + 1}",
            monitoring=MONITORING,
            order=start + n + 1,
        )
        for n in range(count)
    )
    MeasureDivision.objects.bulk_create(
        MeasureDivision(measure=m, division=divisions[(n + k) % len(divisions)], order=k + 1)
        for n, m in enumerate(measures)
        for k in range(min(2, len(divisions)))
    )
    steps = Step.objects.bulk_create(
        Step(measure=m, number=k, text=STEP_TEXT.format(n=k))
        for m in measures
        for k in range(1, steps_per_measure + 1)
    )
    StepItem.objects.bulk_create(
        StepItem(step=s, order=1, depth=1, marker="-", text="มีการรายงานผลต่อผู้บริหาร") for s in steps
    )
    Progress.objects.bulk_create(
        Progress(
            measure=m,
            round=round_,
            status=Progress.Status.DONE,
            completed_on=date(fiscal_year.start.year + 1, 3, 31),
        )
        for m in measures
    )
    return measures
