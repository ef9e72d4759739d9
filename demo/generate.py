"""Synthetic measures for load tests and benchmarks: many rows, real shapes."""

from datetime import date
from itertools import cycle, islice

from catalogue.models import Indicator
from measures.models import Measure, MeasureDivision, Round, Step, StepItem
from measures.selectors import measures_with_contents
from organizations import changes
from organizations.models import Division
from progress.models import Progress, ReviewState

STEP_TEXT = (
    "จัดทำแนวทางปฏิบัติและเผยแพร่ประชาสัมพันธ์ให้บุคลากรและประชาชนทราบผ่านเว็บไซต์ของหน่วยงาน "
    "และช่องทางที่หลากหลาย ข้อที่ {n}"
)
MONITORING = (
    "1. เจ้าหน้าที่ผู้รับผิดชอบรายงานผลการดำเนินการให้ผู้บริหารทราบ\n"
    "2. ผู้บริหารกำกับติดตามการดำเนินการให้เจ้าหน้าที่ดำเนินการให้เสร็จสิ้นภายในระยะเวลาที่กำหนด"
)


def _synthetic_contents(steps_per_measure: int):
    """(target, monitoring, [(step text, [(depth, marker, text)])]) of a made-up measure."""
    steps = [
        (STEP_TEXT.format(n=k), [(1, "-", "มีการรายงานผลต่อผู้บริหาร")])
        for k in range(1, steps_per_measure + 1)
    ]
    while True:
        yield "มาตรการทดสอบ", MONITORING, steps


def _copied_contents(source: Round):
    """The contents of `source`'s measures, over and over: real lengths and shapes."""
    measures = measures_with_contents(
        source.organization_id, source.fiscal_year_id, Progress.objects.none()
    )
    contents = [
        (
            m.target_label,
            m.monitoring,
            [(s.text, [(i.depth, i.marker, i.text) for i in s.items.all()]) for s in m.steps.all()],
        )
        for m in measures
    ]
    return cycle(contents)


def generate_measures(
    round_: Round, count: int, steps_per_measure: int = 6, like: Round | None = None
) -> list[Measure]:
    """Add `count` measures after the round's existing ones, with steps, sub-items,
    two divisions each and this round's progress, in a handful of bulk inserts.
    With `like`, the measures repeat the contents of that round's measures."""
    organization, fiscal_year = round_.organization, round_.fiscal_year
    contents = list(
        islice(_copied_contents(like) if like else _synthetic_contents(steps_per_measure), count)
    )
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
            target=f"{target} ({start + n + 1})",
            monitoring=monitoring,
            order=start + n + 1,
        )
        for n, (target, monitoring, _) in enumerate(contents)
    )
    MeasureDivision.objects.bulk_create(
        MeasureDivision(measure=m, division=divisions[(n + k) % len(divisions)], order=k + 1)
        for n, m in enumerate(measures)
        for k in range(min(2, len(divisions)))
    )
    steps = Step.objects.bulk_create(
        Step(measure=m, number=k, text=text)
        for m, (_, _, measure_steps) in zip(measures, contents, strict=True)
        for k, (text, _) in enumerate(measure_steps, start=1)
    )
    items = [items for _, _, measure_steps in contents for _, items in measure_steps]
    StepItem.objects.bulk_create(
        StepItem(step=step, order=order, depth=depth, marker=marker, text=text)
        for step, step_items in zip(steps, items, strict=True)
        for order, (depth, marker, text) in enumerate(step_items, start=1)
    )
    Progress.objects.bulk_create(
        Progress(
            measure=m,
            round=round_,
            status=Progress.Status.DONE,
            completed_on=date(fiscal_year.start.year + 1, 3, 31),
            # As in a report ready to publish: the coordinator approved it.
            review_state=ReviewState.APPROVED,
        )
        for m in measures
    )
    changes.changed(organization.pk, fiscal_year.pk)
    return measures
