"""The write services and the rulebook, called directly (the admin, imports,
rollover and load_seed all go through these)."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from measures import services
from measures.models import Measure
from measures.steps_text import ItemLine
from operations.sweep_services import delete_due
from organizations import access
from organizations import services as organization_services
from organizations.models import Division, Membership
from organizations.services import add_member
from progress.models import Progress, StepProgress
from testing.factories import (
    DivisionFactory,
    IndicatorFactory,
    MeasureFactory,
    OrganizationFactory,
    ProgressFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    """An agency of its own (not the seed's): the shared fixtures' people belong to it."""
    return OrganizationFactory()


def data(measure, **changes):
    values = {
        "indicator": measure.indicator,
        "target": measure.target,
        "monitoring": measure.monitoring,
        "deadline": measure.deadline,
        "order": measure.order,
    } | changes
    return services.MeasureData(**values)


def test_a_coordinator_creates_a_measure_with_divisions_and_steps(org, coordinator):
    division = DivisionFactory(organization=org, name="กองคลัง")
    measure = services.save_measure(
        user=coordinator,
        measure=Measure(organization=org, fiscal_year=IndicatorFactory().tool.fiscal_year),
        data=services.MeasureData(
            indicator=IndicatorFactory(),
            target="  การเสริมสร้างวัฒนธรรมองค์กร ",
            monitoring="1. รายงานผู้บริหาร\r\n2. เผยแพร่บนเว็บไซต์",
            deadline=date(2023, 4, 18),
            order=1,
            divisions=[division],
            steps=[services.StepData(1, "ด\u0e4d\u0e32เนินการ", [ItemLine(1, "-", "หัวข้อย่อย")])],
        ),
        reason="ทดสอบ",
    )
    measure.refresh_from_db()
    assert measure.target == "การเสริมสร้างวัฒนธรรมองค์กร"
    assert measure.monitoring == "1. รายงานผู้บริหาร\n2. เผยแพร่บนเว็บไซต์"
    assert [d.name for d in measure.divisions.all()] == ["กองคลัง"]
    step = measure.steps.get()
    assert step.text == "ดำเนินการ"  # SARA AM pasted from an old PDF, written as one character
    assert [(i.marker, i.text) for i in step.items.all()] == [("-", "หัวข้อย่อย")]
    assert measure.history.latest().history_change_reason == "ทดสอบ"


def test_another_organizations_coordinator_may_not_write(org):
    measure = MeasureFactory(organization=org)
    outsider = member(OrganizationFactory(), Membership.Role.COORDINATOR, "outsider")
    before = measure.target
    with pytest.raises(PermissionDenied):
        services.save_measure(
            user=outsider, measure=measure, data=data(measure, target="ของคนนอก"), reason=""
        )
    with pytest.raises(PermissionDenied):
        services.delete_measure(user=outsider, measure=measure, reason="")
    with pytest.raises(PermissionDenied):
        organization_services.save_division(
            user=outsider, division=Division(organization=org, name="กองใหม่")
        )
    measure.refresh_from_db()
    assert measure.target == before
    assert not Division.objects.filter(name="กองใหม่").exists()


@pytest.mark.parametrize("role", [Membership.Role.STAFF, Membership.Role.EXECUTIVE])
def test_staff_and_executives_may_not_change_measures(org, role):
    measure = MeasureFactory(organization=org)
    user = UserFactory()
    add_member(member=user, organization=org, role=role)
    with pytest.raises(PermissionDenied):
        services.save_measure(user=user, measure=measure, data=data(measure), reason="")


def test_a_measure_never_moves_to_another_organization(org, coordinator):
    measure = MeasureFactory(organization=org)
    other = OrganizationFactory()
    add_member(member=coordinator, organization=other, role=Membership.Role.COORDINATOR)
    measure.organization = other  # as a tampered form would
    with pytest.raises(ValidationError) as error:
        services.save_measure(user=coordinator, measure=measure, data=data(measure), reason="")
    assert "ย้ายมาตรการไปหน่วยงานหรือปีงบประมาณอื่นไม่ได้" in str(error.value)
    assert Measure.objects.get(pk=measure.pk).organization == org


def test_divisions_of_another_organization_are_refused(org, coordinator):
    measure = MeasureFactory(organization=org)
    with pytest.raises(ValidationError):
        services.save_measure(
            user=coordinator,
            measure=measure,
            data=data(measure, divisions=[DivisionFactory()]),
            reason="",
        )
    assert measure.assignments.count() == 0


def test_unchanged_measure_is_not_written(org, coordinator):
    measure = MeasureFactory(organization=org)
    records = measure.history.count()
    services.save_measure(user=coordinator, measure=measure, data=data(measure), reason="")
    assert measure.history.count() == records


def test_steps_keep_their_ids_and_ticks_when_renumbered(org, coordinator):
    measure = MeasureFactory(organization=org)
    services.set_steps(
        measure=measure,
        steps=[services.StepData(1, "ขั้นที่หนึ่ง"), services.StepData(2, "ขั้นที่สอง")],
    )
    first, second = measure.steps.order_by("number")
    progress = ProgressFactory(measure=measure)
    StepProgress.objects.create(progress=progress, step=first, done_on=date(2023, 1, 5))
    services.save_measure(
        user=coordinator,
        measure=measure,
        data=data(
            measure,
            steps=[
                services.StepData(1, "ขั้นที่สอง", pk=second.pk),
                services.StepData(2, "ขั้นที่หนึ่ง แก้แล้ว", pk=first.pk),
                services.StepData(3, "ขั้นใหม่"),
            ],
        ),
        reason="สลับลำดับ",
    )
    first.refresh_from_db()
    assert (first.number, first.text) == (2, "ขั้นที่หนึ่ง แก้แล้ว")
    assert StepProgress.objects.get(progress=progress).step_id == first.pk
    assert measure.steps.count() == 3


def test_step_numbers_used_twice_are_refused(org):
    measure = MeasureFactory(organization=org)
    with pytest.raises(ValidationError) as error:
        services.set_steps(
            measure=measure,
            steps=[services.StepData(1, "ก"), services.StepData(1, "ข")],
        )
    assert "ข้อที่ 1 ซ้ำกัน" in str(error.value)


def test_commands_act_as_the_system(org):
    """manage.py commands have no user: they may act, and no user is recorded."""
    measure = MeasureFactory(organization=org)
    assert access.can_manage(access.SYSTEM, org.pk)
    assert access.role_in(access.SYSTEM, org) == Membership.Role.COORDINATOR
    assert access.recorded_user(access.SYSTEM) is None
    services.save_measure(
        user=access.SYSTEM, measure=measure, data=data(measure, target="จากคำสั่ง"), reason="คำสั่ง"
    )
    assert measure.history.latest().history_change_reason == "คำสั่ง"


def test_the_rulebook_scopes_querysets_to_the_users_organizations(org, coordinator):
    mine = MeasureFactory(organization=org)
    MeasureFactory(organization=OrganizationFactory())
    assert list(access.managed(coordinator, Measure.objects.all(), "organization")) == [mine]
    assert not access.managed(
        UserFactory(username="nobody2"), Measure.objects.all(), "organization"
    ).exists()
    assert access.can_manage(coordinator, org.pk)
    assert not access.can_manage(coordinator, None)


def test_progress_may_be_edited_only_while_the_round_is_open(org, coordinator):
    measure = MeasureFactory(organization=org)
    progress = ProgressFactory(measure=measure)
    staff = UserFactory(username="staff")
    add_member(member=staff, organization=org, role=Membership.Role.STAFF)
    assert access.can_edit_progress(coordinator, progress)
    progress.review_state = "submitted"
    assert not access.can_edit_progress(staff, progress)
    progress.round.is_open = False
    assert not access.can_edit_progress(coordinator, progress)
    assert Progress.objects.count() == 1


def test_deleting_a_measure_removes_its_evidence_files_after_commit(
    org, media_root, django_capture_on_commit_callbacks, coordinator
):
    from django.core.files.base import ContentFile

    from progress.models import Evidence

    measure = MeasureFactory(organization=org)
    evidence = Evidence(progress=ProgressFactory(measure=measure), original_name="a.pdf", size=9)
    evidence.file.save("evidence.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    path = media_root / evidence.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_measure(user=coordinator, measure=measure, reason="ลบ")
    assert not Evidence.objects.exists()
    assert path.exists()  # kept through the grace period: a backup may hold the row
    later = timezone.now() + timedelta(minutes=settings.ITA_FILE_DELETE_GRACE_MINUTES + 1)
    assert delete_due(now=later) == [evidence.file.name]
    assert not path.exists()
