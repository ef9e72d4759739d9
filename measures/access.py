"""Who may reach which organization's data: the one place views ask.

A user who is not a member of an organization gets 404 for anything of it
(its data is not theirs to know about); a member whose role does not allow
an action gets 403.
"""

from enum import Enum

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from measures.models import Membership, Organization

Role = Membership.Role


class Action(Enum):
    VIEW_REPORT = "view_report"  # the full (draft) report of a round
    PUBLISH = "publish"  # render and publish a round's PDF


ALLOWED_ROLES = {
    Action.VIEW_REPORT: {Role.COORDINATOR, Role.EXECUTIVE},
    Action.PUBLISH: {Role.COORDINATOR},
}
# Superusers administer the installation; publishing stays the coordinator's act.
SUPERUSER_ACTIONS = {Action.VIEW_REPORT}


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
