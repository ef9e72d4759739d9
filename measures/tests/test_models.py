from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from measures.models import Round
from organizations.models import Division
from progress.models import Progress
from testing.factories import (
    DivisionFactory,
    FiscalYearFactory,
    IndicatorFactory,
    MeasureFactory,
    ProgressFactory,
    RoundFactory,
    StepFactory,
)

pytestmark = pytest.mark.django_db


def test_round_periods_are_derived_from_the_fiscal_year():
    six = RoundFactory(fiscal_year=FiscalYearFactory(year=2566), kind=Round.Kind.SIX_MONTHS)
    twelve = RoundFactory(
        organization=six.organization, fiscal_year=six.fiscal_year, kind=Round.Kind.TWELVE_MONTHS
    )
    assert (six.start, six.end) == (date(2022, 10, 1), date(2023, 3, 31))
    assert (twelve.start, twelve.end) == (date(2022, 10, 1), date(2023, 9, 30))
    assert str(six) == "รอบ 6 เดือน ปีงบประมาณ พ.ศ. 2566"


def test_step_number_is_unique_per_measure_in_the_database():
    step = StepFactory(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StepFactory(measure=step.measure, number=1)


def test_one_progress_per_measure_and_round():
    progress = ProgressFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressFactory(measure=progress.measure, round=progress.round)


def test_done_without_a_date_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressFactory(status=Progress.Status.DONE, completed_on=None)


def test_a_typed_ce_year_as_be_is_refused_by_the_database():
    # 18/04/2566 read as CE 2566 is far outside any sane date.
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressFactory(status=Progress.Status.DONE, completed_on=date(2566, 4, 18))


def test_only_one_every_division_entry_per_organization():
    division = DivisionFactory(name="ทุกส่วนราชการ", kind=Division.Kind.ALL)
    with pytest.raises(IntegrityError), transaction.atomic():
        DivisionFactory(organization=division.organization, name="ทุกกอง", kind=Division.Kind.ALL)


def test_completion_before_the_fiscal_year_gets_a_thai_message():
    progress = ProgressFactory.build(
        measure=MeasureFactory(),
        status=Progress.Status.DONE,
        completed_on=date(2022, 9, 30),
    )
    progress.round = RoundFactory(
        organization=progress.measure.organization, fiscal_year=progress.measure.fiscal_year
    )
    with pytest.raises(ValidationError) as error:
        progress.full_clean()
    assert error.value.message_dict["completed_on"] == [
        "วันที่แล้วเสร็จ (30 กันยายน 2565) อยู่ก่อนวันเริ่มปีงบประมาณ พ.ศ. 2566 (1 ตุลาคม 2565)"
    ]


def test_completion_after_the_round_ends_is_allowed():
    # The seed's first measure was completed on 18 April 2566, after the round ended.
    progress = ProgressFactory(status=Progress.Status.DONE, completed_on=date(2023, 4, 18))
    progress.full_clean()
    assert progress.result_line == "ดำเนินการแล้วเสร็จ เมื่อวันที่ 18 เมษายน 2566"


def test_cannot_be_done_needs_a_reason():
    progress = ProgressFactory.build(measure=MeasureFactory(), status=Progress.Status.CANNOT)
    progress.round = RoundFactory(
        organization=progress.measure.organization, fiscal_year=progress.measure.fiscal_year
    )
    with pytest.raises(ValidationError) as error:
        progress.full_clean()
    assert error.value.message_dict["cannot_reason"] == ["กรุณาระบุเหตุผลที่ไม่สามารถดำเนินการได้"]


def test_indicator_must_belong_to_the_measures_fiscal_year():
    measure = MeasureFactory(fiscal_year=FiscalYearFactory(year=2566))
    measure.indicator = IndicatorFactory(tool__fiscal_year=FiscalYearFactory(year=2567))
    with pytest.raises(ValidationError) as error:
        measure.full_clean()
    assert error.value.message_dict["indicator"] == [
        "ตัวชี้วัดนี้เป็นของปีงบประมาณ พ.ศ. 2567 ไม่ใช่ปีงบประมาณ พ.ศ. 2566"
    ]


def test_target_label_falls_back_to_the_indicator_name():
    measure = MeasureFactory(indicator=IndicatorFactory(name="การใช้งบประมาณ", number="2"))
    assert measure.target_label == "การใช้งบประมาณ"
    measure.target = "การเสริมสร้างวัฒนธรรมองค์กร"
    assert measure.target_label == "การเสริมสร้างวัฒนธรรมองค์กร"
