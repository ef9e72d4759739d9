"""Overseers in the rulebook (organizations.access): they read the agencies in their
scope, and change nothing; agencies outside their scope are not told to exist."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from measures import services
from measures.selectors import get_measure_for
from organizations import access
from organizations.models import Membership, OrganizationKind, OverseerScope, Province
from organizations.provinces import PROVINCES
from organizations.services import add_member, ensure_provinces, province
from progress import services as progress
from progress.models import Progress
from testing.factories import (
    MeasureFactory,
    OrganizationFactory,
    RoundFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Action = access.Action


@pytest.fixture
def places():
    return province("อุบลราชธานี"), province("ศรีสะเกษ")


@pytest.fixture
def agencies(places):
    ubon, sisaket = places
    return {
        "ubon_sao": OrganizationFactory(province=ubon, kind=OrganizationKind.SAO),
        "ubon_city": OrganizationFactory(province=ubon, kind=OrganizationKind.CITY_MUNICIPALITY),
        "sisaket_sao": OrganizationFactory(province=sisaket, kind=OrganizationKind.SAO),
        "department": OrganizationFactory(kind=OrganizationKind.DEPARTMENT),
    }


def overseer(name, **scope):
    user = UserFactory(username=name)
    organizations = scope.pop("organizations", [])
    row = OverseerScope.objects.create(user=user, **scope)
    row.organizations.set(organizations)
    return user


def in_scope(user, agencies):
    return {key for key, org in agencies.items() if access.oversees(user, org)}


def test_the_provinces_are_the_77_of_thailand():
    assert len(PROVINCES) == 77
    assert len({code for code, _ in PROVINCES}) == len({name for _, name in PROVINCES}) == 77
    ensure_provinces()
    assert Province.objects.count() == 77
    assert Province.objects.get(code="34").name == "อุบลราชธานี"
    assert Province.objects.get(code="10").name == "กรุงเทพมหานคร"


def test_scopes_by_province_kind_list_and_whole_installation(agencies, places):
    ubon, _ = places
    assert in_scope(overseer("nacc-ubon", province=ubon), agencies) == {"ubon_sao", "ubon_city"}
    assert in_scope(overseer("dla", organization_kind=OrganizationKind.SAO), agencies) == {
        "ubon_sao",
        "sisaket_sao",
    }
    assert in_scope(
        overseer("dla-ubon", province=ubon, organization_kind=OrganizationKind.SAO), agencies
    ) == {"ubon_sao"}
    assert in_scope(overseer("ministry", organizations=[agencies["department"]]), agencies) == {
        "department"
    }
    assert in_scope(overseer("national", whole_installation=True), agencies) == set(agencies)
    # Scopes add up.
    user = overseer("two", province=ubon)
    OverseerScope.objects.create(user=user, organization_kind=OrganizationKind.DEPARTMENT)
    assert in_scope(user, agencies) == {"ubon_sao", "ubon_city", "department"}
    assert set(access.overseen_organizations(user)) == {
        agencies["ubon_sao"],
        agencies["ubon_city"],
        agencies["department"],
    }


def test_a_user_without_a_scope_oversees_nothing(agencies):
    user = UserFactory(username="plain")
    assert not access.is_overseer(user)
    assert in_scope(user, agencies) == set()
    assert not access.overseen_organizations(user).exists()


def test_a_scope_for_the_whole_installation_names_no_province():
    user = UserFactory(username="odd")
    scope = OverseerScope(user=user, whole_installation=True, province=province("อุบลราชธานี"))
    with pytest.raises(ValidationError) as error:
        scope.full_clean()
    assert "ทุกหน่วยงานในระบบไม่ต้องระบุจังหวัด" in str(error.value)


def test_overseers_read_reports_and_dashboards_in_scope_only(agencies, places):
    ubon, _ = places
    user = overseer("nacc-ubon", province=ubon)
    mine, other = agencies["ubon_sao"], agencies["sisaket_sao"]
    for action in (Action.VIEW_REPORT, Action.VIEW_DASHBOARD):
        access.check(user, mine, action)  # no exception
        with pytest.raises(Http404):
            access.check(user, other, action)
    for action in (Action.PUBLISH, Action.REVIEW, Action.MANAGE_ROUNDS, Action.MANAGE_MEASURES):
        assert not access.can(user, mine, action)
        with pytest.raises(PermissionDenied):
            access.check(user, mine, action)
        with pytest.raises(Http404):
            access.check(user, other, action)


def test_overseers_see_every_measure_in_scope_and_may_report_none(agencies, places):
    ubon, _ = places
    user = overseer("nacc-ubon", province=ubon)
    measure = MeasureFactory(organization=agencies["ubon_sao"])
    outside = MeasureFactory(organization=agencies["sisaket_sao"])
    assert list(access.visible_measures(user, agencies["ubon_sao"])) == [measure]
    assert not access.visible_measures(user, agencies["sisaket_sao"]).exists()
    assert get_measure_for(user, measure.pk) == measure
    with pytest.raises(PermissionDenied):
        get_measure_for(user, measure.pk, change=True)
    with pytest.raises(Http404):
        get_measure_for(user, outside.pk)
    round_ = RoundFactory(organization=measure.organization, fiscal_year=measure.fiscal_year)
    assert not access.can_edit_progress(user, Progress(measure=measure, round=round_))
    assert not access.can_manage(user, measure.organization_id)
    assert not access.coordinated_organizations(user).exists()


def test_the_write_services_refuse_an_overseer(agencies, places):
    ubon, _ = places
    user = overseer("national", whole_installation=True)
    measure = MeasureFactory(organization=agencies["ubon_sao"])
    round_ = RoundFactory(organization=measure.organization, fiscal_year=measure.fiscal_year)
    with pytest.raises((PermissionDenied, Http404)):
        progress.save_progress(
            measure=measure,
            round_=round_,
            user=user,
            data=progress.ProgressInput(
                status=Progress.Status.IN_PROGRESS,
                completed_on=None,
                result_text="ทำแทน",
                cannot_reason="",
            ),
            seen_version=0,
        )
    with pytest.raises((PermissionDenied, Http404)):
        progress.set_round_open(round_=round_, user=user, is_open=False)
    with pytest.raises((PermissionDenied, Http404)):
        services.delete_measure(user=user, measure=measure, reason="")
    assert not Progress.objects.exists()
    assert measure.__class__.objects.filter(pk=measure.pk).exists()


def test_a_member_who_also_oversees_keeps_the_limits_of_their_role(agencies, places):
    """Staff of one agency who also oversee its province see only their divisions'
    measures there, and read the others' reports."""
    ubon, _ = places
    user = overseer("staff-and-overseer", province=ubon)
    own = agencies["ubon_sao"]
    add_member(member=user, organization=own, role=Membership.Role.STAFF)
    MeasureFactory(organization=own)
    assert not access.visible_measures(user, own).exists()
    assert access.can(user, agencies["ubon_city"], Action.VIEW_REPORT)
