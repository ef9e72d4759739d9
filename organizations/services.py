"""State changes of agencies and their people: the organization itself, its
divisions, and memberships (roles). The admin, load_seed and the commands call
these; who may do what is asked of organizations.access."""

from collections.abc import Sequence

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from organizations import access, changes
from organizations.access import can_manage
from organizations.models import Division, Membership, Organization, Province
from organizations.provinces import PROVINCES
from thai.conventions import normalize_sara_am

NOT_YOURS = "คุณไม่ได้เป็นผู้ประสานงานของหน่วยงานนี้ จึงแก้ไขข้อมูลของหน่วยงานนี้ไม่ได้"


def clean_text(text: str) -> str:
    """Line ends as typed on any system become \n; SARA AM is one character."""
    return normalize_sara_am(text.replace("\r\n", "\n").replace("\r", "\n").strip())


def require_manager(user, organization_id: int | None) -> None:
    if not can_manage(user, organization_id):
        raise PermissionDenied(NOT_YOURS)


@transaction.atomic
@changes.collecting()
def save_division(*, user, division: Division) -> Division:
    """Create or rename a division; it stays in its organization."""
    require_manager(user, division.organization_id)
    if division.pk:
        stored = Division.objects.filter(pk=division.pk).values_list("organization_id", flat=True)
        if stored.first() not in (None, division.organization_id):
            raise ValidationError({"organization": "ย้ายส่วนราชการไปหน่วยงานอื่นไม่ได้"})
    division.name = clean_text(division.name)
    division.full_clean()
    division.save()
    # Its kind decides what "ทุกส่วนราชการ" stands for, in every year.
    changes.changed(division.organization_id)
    return division


@transaction.atomic
@changes.collecting()
def delete_division(*, user, division: Division) -> None:
    require_manager(user, division.organization_id)
    division.delete()
    changes.changed(division.organization_id)


COORDINATOR_GROUP = "ผู้ประสานงาน ITA"


def coordinator_group():
    """The permission group that lets coordinators work in the admin, with the model
    permissions the rulebook gives the role (access.COORDINATOR_ADMIN_PERMISSIONS)."""
    group, _ = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    wanted = Q()
    for app_label, codenames in access.COORDINATOR_ADMIN_PERMISSIONS.items():
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    group.permissions.set(Permission.objects.filter(wanted))
    return group


@transaction.atomic
@changes.collecting()
def save_organization(*, user, organization: Organization) -> Organization:
    """Create (superusers) or change an agency; a new one gets the shipped
    catalogues of the assessment (organizations.changes.organization_added). A new
    or changed slug may not be a word of the portal's addresses (Organization.clean,
    organizations.reserved)."""
    created = organization.pk is None
    if not (
        access.can_administer_installation(user)
        if created
        else access.can_manage(user, organization.pk)
    ):
        raise PermissionDenied(NOT_YOURS)
    organization.full_clean()
    organization.save()
    changes.changed(organization.pk)
    if created:
        changes.organization_added.send(sender=Organization, organization=organization)
    return organization


@transaction.atomic
def delete_organization(*, user, organization: Organization) -> None:
    """Only the installation's administrators remove an agency (with all its data)."""
    if not access.can_administer_installation(user):
        raise PermissionDenied("เฉพาะผู้ดูแลระบบเท่านั้นที่ลบหน่วยงานได้")
    organization.delete()


@transaction.atomic
def set_role(
    *, user, member, organization: Organization, role: str, divisions: Sequence[Division] = ()
) -> Membership:
    """Give `member` a role (and divisions) in `organization`, as `user` decides.

    The admin follows the role: a coordinator gets it (is_staff and the
    coordinators' group); someone who is no longer a coordinator anywhere loses
    what the role gave them (a superuser keeps their own)."""
    if not access.can_manage_members(user, organization):
        raise PermissionDenied(NOT_YOURS)
    membership, _ = Membership.objects.select_for_update().update_or_create(
        user=member, organization=organization, defaults={"role": role}
    )
    membership.full_clean()
    foreign = [d for d in divisions if d.organization_id != organization.pk]
    if foreign:
        raise ValidationError({"divisions": "เลือกได้เฉพาะส่วนราชการของหน่วยงานนี้"})
    membership.divisions.set(divisions)
    _follow_roles(member)
    return membership


@transaction.atomic
def remove_member(*, user, membership: Membership) -> None:
    """End a membership; the admin access its role gave goes with it."""
    if not access.can_manage_members(user, membership.organization):
        raise PermissionDenied(NOT_YOURS)
    member = membership.user
    membership.delete()
    _follow_roles(member)


def _follow_roles(member) -> None:
    """is_staff and the coordinators' group as the member's roles say now."""
    coordinates = access.coordinated_organizations(member).exists()
    group = coordinator_group()
    if coordinates:
        member.groups.add(group)
    else:
        member.groups.remove(group)
    staff = coordinates or member.is_superuser
    if member.is_staff != staff:
        member.is_staff = staff
        member.save(update_fields=["is_staff"])


def add_member(*, organization, member, role: str, divisions: Sequence[Division] = ()):
    """For commands and demo data (load_seed, generators): `set_role` as the system."""
    return set_role(
        user=access.SYSTEM, member=member, organization=organization, role=role, divisions=divisions
    )


ADMINISTRATORS_ONLY = "เฉพาะผู้ดูแลระบบเท่านั้นที่แก้ไขข้อมูลนี้ได้"


@transaction.atomic
def save_reference(*, user, obj, relations: dict | None = None):
    """Provinces, districts and overseers' scopes: the installation's own data,
    changed by its administrators (superusers) only."""
    if not access.can_administer_installation(user):
        raise PermissionDenied(ADMINISTRATORS_ONLY)
    obj.full_clean()
    obj.save()
    for name, values in (relations or {}).items():
        getattr(obj, name).set(values)
    return obj


@transaction.atomic
def delete_reference(*, user, obj) -> None:
    if not access.can_administer_installation(user):
        raise PermissionDenied(ADMINISTRATORS_ONLY)
    obj.delete()


def ensure_provinces() -> None:
    """Every province is there (organizations.provinces.PROVINCES): one query when
    they are, two when some are missing (a test that flushed the database)."""
    if Province.objects.count() < len(PROVINCES):
        Province.objects.bulk_create(
            [Province(code=code, name=name) for code, name in PROVINCES], ignore_conflicts=True
        )


def province(name: str) -> Province:
    """The province of this Thai name (e.g. "อุบลราชธานี"), the provinces ensured."""
    ensure_provinces()
    return Province.objects.get(name=name)
