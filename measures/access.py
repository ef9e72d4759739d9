"""Who may reach which organization's data."""

from django.db.models import QuerySet

from measures.models import Membership, Organization


def coordinated_organizations(user) -> QuerySet[Organization]:
    """Organizations whose measures this user manages (all, for superusers)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.COORDINATOR
    )
