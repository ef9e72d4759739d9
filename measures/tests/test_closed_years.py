"""What a closed year reported stays (issue 17, item 6): once every round of the
seed's year is closed (the 12-month one among them), the services refuse to change or
delete its measures, steps, divisions and sign-off names, the admin shows them
read-only, and reopening a round makes them editable again. A step ticked in a
closed round is never deleted, whatever the year: its marks would go with it."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from measures import services
from measures.models import Measure, Round, Step
from organizations.models import Division
from progress import services as progress
from progress.models import Progress, StepProgress
from testing.forms import form_data

pytestmark = pytest.mark.django_db

CLOSED = "ปีงบประมาณ พ.ศ. 2566 ปิดรอบการรายงานแล้วทุกรอบ"


@pytest.fixture
def rounds(org, coordinator):
    """The seed's two rounds, closed by the coordinator (the 6-month one is already)."""
    found = {r.kind: r for r in Round.objects.filter(organization=org)}
    for round_ in found.values():
        progress.set_round_open(round_=round_, user=coordinator, is_open=False)
    return found


@pytest.fixture
def marked(org, coordinator):
    """Measure 1 of the seed, its step 1 ticked in the 6-month round by the
    coordinator (the round reopened for it, then closed again)."""
    six = Round.objects.get(organization=org, kind=Round.Kind.SIX_MONTHS)
    result = Progress.objects.get(round=six, measure__order=1, measure__organization=org)
    measure = result.measure
    step = measure.steps.get(number=1)
    progress.set_round_open(round_=six, user=coordinator, is_open=True)
    progress.save_progress(
        measure=measure,
        round_=six,
        user=coordinator,
        data=progress.ProgressInput(
            status=result.status,
            completed_on=result.completed_on,
            result_text=result.result_text,
            cannot_reason=result.cannot_reason,
            step_dates={step.pk: date(2023, 1, 16)},
        ),
        seen_version=result.version,
        reason="ทดสอบ",
    )
    progress.set_round_open(round_=six, user=coordinator, is_open=False)
    assert StepProgress.objects.filter(step=step, progress__round=six).exists()
    return measure


def as_data(measure, **changes) -> services.MeasureData:
    values = {
        "indicator": measure.indicator,
        "target": measure.target,
        "monitoring": measure.monitoring,
        "deadline": measure.deadline,
        "order": measure.order,
        **changes,
    }
    return services.MeasureData(**values)


def steps_of(measure) -> list[services.StepData]:
    return [services.StepData(s.number, s.text, pk=s.pk) for s in measure.steps.all()]


def snapshot(measure) -> tuple:
    measure.refresh_from_db()
    return (
        measure.target,
        measure.monitoring,
        list(measure.steps.values_list("pk", "number", "text")),
        list(measure.assignments.values_list("division_id", "order")),
        StepProgress.objects.filter(step__measure=measure).count(),
        Progress.objects.filter(measure=measure).count(),
    )


def test_the_services_refuse_every_change_of_a_closed_year(marked, rounds, coordinator):
    before = snapshot(marked)
    others = Division.objects.filter(organization=marked.organization).exclude(
        pk__in=marked.assignments.values("division_id")
    )
    attempts = [
        lambda: services.save_measure(
            user=coordinator, measure=marked, data=as_data(marked, target="แก้แล้ว"), reason=""
        ),
        lambda: services.save_measure(
            user=coordinator,
            measure=marked,
            data=as_data(marked, steps=steps_of(marked)[1:]),
            reason="",
        ),
        lambda: services.set_steps(measure=marked, steps=steps_of(marked)[1:]),
        lambda: services.set_divisions(measure=marked, divisions=[others.first()]),
        lambda: services.delete_measure(user=coordinator, measure=marked, reason=""),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert CLOSED in refused.value.messages[0]
        assert f"มาตรการลำดับที่ {marked.order}" in refused.value.messages[0]
        assert "เปิดรอบใหม่ก่อน" in refused.value.messages[0]
        assert snapshot(marked) == before
    assert before[4] > 0


def test_a_closed_rounds_sign_off_names_stay(rounds, coordinator):
    twelve = rounds[Round.Kind.TWELVE_MONTHS]
    before = Round.objects.filter(pk=twelve.pk).values_list("approver_name", flat=True).get()
    with pytest.raises(ValidationError) as refused:
        services.set_round_sign_off(user=coordinator, round_=twelve, approver_name="คนอื่น")
    assert refused.value.messages == [
        "รอบ 12 เดือน ปีงบประมาณ พ.ศ. 2566 ปิดแล้ว แก้ไขชื่อผู้รายงานและผู้อนุมัติของรอบนี้ไม่ได้ "
        "เปิดรอบใหม่ก่อนหากต้องแก้"
    ]
    assert Round.objects.filter(pk=twelve.pk).values_list("approver_name", flat=True).get() == (
        before
    )


def test_a_step_ticked_in_a_closed_round_is_not_deleted_while_the_year_is_open(
    org, coordinator, marked
):
    """The seed: the 6-month round closed, the 12-month one open."""
    assert Round.objects.get(organization=org, kind=Round.Kind.TWELVE_MONTHS).is_open
    ticked = Step.objects.filter(marks__isnull=False, measure=marked).order_by("number").first()
    before = snapshot(marked)
    with pytest.raises(ValidationError) as refused:
        services.save_measure(
            user=coordinator,
            measure=marked,
            data=as_data(marked, steps=[s for s in steps_of(marked) if s.pk != ticked.pk]),
            reason="",
        )
    assert refused.value.messages == [
        f"ขั้นตอนข้อที่ {ticked.number} มีผลการดำเนินการของรอบ 6 เดือนที่ปิดแล้ว "
        "ลบขั้นตอนนี้ไม่ได้ (ผลที่รายงานไว้จะหายไปด้วย) เปิดรอบนั้นก่อนหากต้องลบ"
    ]
    assert snapshot(marked) == before
    # Changing its text is still allowed: the year is open.
    services.save_measure(
        user=coordinator, measure=marked, data=as_data(marked, target="แก้แล้ว"), reason=""
    )
    assert Measure.objects.get(pk=marked.pk).target == "แก้แล้ว"


def change_url(measure):
    return reverse("admin:measures_measure_change", args=[measure.pk])


def test_the_admin_shows_a_closed_years_measure_read_only(
    marked, rounds, coordinator, coordinator_client
):
    before = snapshot(marked)
    page = coordinator_client.get(change_url(marked)).content.decode()
    assert 'name="_save"' not in page
    assert "ปีงบประมาณ พ.ศ. 2566 ปิดรอบการรายงานแล้วทุกรอบ มาตรการนี้จึงแก้ไขหรือลบไม่ได้" in page
    # A POST made anyway (a form opened before the round closed) changes nothing.
    response = coordinator_client.post(change_url(marked), {"target": "แก้แล้ว", "order": 1})
    assert response.status_code == 403
    delete = reverse("admin:measures_measure_delete", args=[marked.pk])
    assert coordinator_client.post(delete, {"post": "yes"}).status_code == 403
    assert snapshot(marked) == before
    twelve = rounds[Round.Kind.TWELVE_MONTHS]
    round_url = reverse("admin:measures_round_change", args=[twelve.pk])
    assert 'name="_save"' not in coordinator_client.get(round_url).content.decode()
    assert coordinator_client.post(round_url, {"approver_name": "คนอื่น"}).status_code == 403
    assert Round.objects.get(pk=twelve.pk).approver_name != "คนอื่น"


def test_reopening_a_round_makes_the_measure_editable_again(
    marked, rounds, coordinator, coordinator_client
):
    twelve = rounds[Round.Kind.TWELVE_MONTHS]
    progress.set_round_open(round_=twelve, user=coordinator, is_open=True)
    page = coordinator_client.get(change_url(marked)).content.decode()
    assert 'name="_save"' in page
    data = form_data(page, form_id="measure_form")
    data["target"] = "แก้หลังเปิดรอบ"
    assert coordinator_client.post(change_url(marked), data).status_code == 302
    assert Measure.objects.get(pk=marked.pk).target == "แก้หลังเปิดรอบ"
    services.set_round_sign_off(user=coordinator, round_=twelve, approver_name="คนใหม่")
    assert Round.objects.get(pk=twelve.pk).approver_name == "คนใหม่"


def test_a_measure_with_a_closed_rounds_results_is_not_deleted_while_the_year_is_open(
    org, coordinator
):
    """The seed: the 6-month round closed with every result approved, the 12-month one
    open. Deleting a measure would take the closed round's results with it."""
    six = Round.objects.get(organization=org, kind=Round.Kind.SIX_MONTHS)
    measure = Measure.objects.get(organization=org, fiscal_year=six.fiscal_year, order=3)
    refusal = (
        "มาตรการลำดับที่ 3 มีผลการดำเนินการของรอบ 6 เดือน ปีงบประมาณ พ.ศ. 2566 ซึ่งปิดแล้ว "
        "จึงลบไม่ได้ เปิดรอบนั้นอีกครั้งก่อนหากต้องลบ"
    )
    with pytest.raises(ValidationError) as refused:
        services.delete_measure(user=coordinator, measure=measure, reason="")
    assert refused.value.messages == [refusal]

    assert Progress.objects.filter(measure=measure, round=six).exists()

    progress.set_round_open(round_=six, user=coordinator, is_open=True)
    services.delete_measure(user=coordinator, measure=measure, reason="")
    assert not Measure.objects.filter(pk=measure.pk).exists()


def test_the_seed_loads_again_over_its_closed_round(org):
    from demo.seed import load_report_data, read_seed

    result = load_report_data(read_seed(), reset=True)
    assert result.created == 8
    six = Round.objects.get(organization=org, kind=Round.Kind.SIX_MONTHS)
    assert not six.is_open
    assert Progress.objects.filter(round=six, measure__organization=org).count() == 8
