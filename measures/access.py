"""Who may reach which organization's data: the one place views ask.

A user who is not a member of an organization gets 404 for anything of it
(its data is not theirs to know about); a member whose role does not allow
an action gets 403.
"""

from enum import Enum

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from measures.models import Division, Measure, MeasureDivision, Membership, Organization

Role = Membership.Role


class Action(Enum):
    VIEW_REPORT = "view_report"  # the full (draft) report of a round
    VIEW_DASHBOARD = "view_dashboard"  # the executive dashboard
    PUBLISH = "publish"  # render and publish a round's PDF
    REVIEW = "review"  # approve or return reported progress
    MANAGE_ROUNDS = "manage_rounds"  # close and reopen rounds


ALLOWED_ROLES = {
    Action.VIEW_REPORT: {Role.COORDINATOR, Role.EXECUTIVE},
    Action.VIEW_DASHBOARD: {Role.COORDINATOR, Role.EXECUTIVE},
    Action.PUBLISH: {Role.COORDINATOR},
    Action.REVIEW: {Role.COORDINATOR},
    Action.MANAGE_ROUNDS: {Role.COORDINATOR},
}
# Superusers administer the installation and may look; the agency's acts
# (publishing, reviewing, closing rounds) stay with its coordinator.
SUPERUSER_ACTIONS = {Action.VIEW_REPORT, Action.VIEW_DASHBOARD}


def coordinated_organizations(user) -> QuerySet[Organization]:
    """Organizations whose measures this user manages (all, for superusers)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(memberships__user=user, memberships__role=Role.COORDINATOR)


def role_in(user, organization: Organization) -> str | None:
    """The user's role in the organization, or None; cached on the user."""
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_ita_roles", {})
    if organization.pk not in cache:
        cache[organization.pk] = (
            Membership.objects.filter(user=user, organization=organization)
            .values_list("role", flat=True)
            .first()
        )
    return cache[organization.pk]


def can(user, organization: Organization, action: Action) -> bool:
    if user.is_authenticated and user.is_superuser and action in SUPERUSER_ACTIONS:
        return True
    return role_in(user, organization) in ALLOWED_ROLES[action]


def check(user, organization: Organization, action: Action) -> None:
    """Raise 404 for outsiders and 403 for members who may not do `action`."""
    if can(user, organization, action):
        return
    if role_in(user, organization) is None and not user.is_superuser:
        raise Http404("ไม่พบข้อมูล")
    raise PermissionDenied("บทบาทของคุณไม่มีสิทธิ์ทำรายการนี้")


def visible_measures(user, organization: Organization) -> QuerySet[Measure]:
    """Measures of the organization this user may see.

    Staff see the measures of their divisions and those assigned to every
    division or to "the divisions concerned"; coordinators, executives and
    superusers see all; outsiders none.
    """
    measures = Measure.objects.filter(organization=organization)
    if user.is_authenticated and user.is_superuser:
        return measures
    role = role_in(user, organization)
    if role in (Role.COORDINATOR, Role.EXECUTIVE):
        return measures
    if role == Role.STAFF:
        mine = Division.objects.filter(members__user=user, members__organization=organization)
        return measures.filter(
            Exists(
                MeasureDivision.objects.filter(measure=OuterRef("pk")).filter(
                    Q(division__in=mine) | ~Q(division__kind=Division.Kind.REGULAR)
                )
            )
        )
    return measures.none()


def get_measure_for(user, pk: int, *, change: bool = False) -> Measure:
    """The measure if this user may see it (404 otherwise); with `change`, 403
    unless they may also report its progress (staff of its divisions, coordinator)."""
    measure = (
        Measure.objects.select_related("organization", "fiscal_year", "indicator__tool")
        .filter(pk=pk)
        .first()
    )
    if measure is None or not visible_measures(user, measure.organization).filter(pk=pk).exists():
        raise Http404("ไม่พบมาตรการนี้")
    if change and role_in(user, measure.organization) not in (Role.COORDINATOR, Role.STAFF):
        raise PermissionDenied("บทบาทของคุณดูได้อย่างเดียว แก้ไขไม่ได้")
    return measure
