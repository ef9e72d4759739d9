"""Who may see and do what: the one rulebook. Portal views, the admin
(querysets, has_*_permission, history, delete, list filters), imports,
exports, commands and the write services all ask here.

A user who is not a member of an organization gets 404 for anything of it
(its data is not theirs to know about); a member whose role does not allow
an action gets 403.

The rulebook sits in the lowest room (organizations: agencies and their people),
so that every app above may ask it. It imports no model of the rooms above: a
measure or a progress row is read through its attributes (`measure.organization`,
`progress.round.is_open`, `progress.awaits_staff`), and an agency's measures
through its own relation (`organization.measures`).
"""

import hmac
from enum import Enum

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from organizations.models import Division, Membership, Organization, OverseerScope

Role = Membership.Role


class Action(Enum):
    VIEW_REPORT = "view_report"  # the full (draft) report of a round
    VIEW_DASHBOARD = "view_dashboard"  # the executive dashboard
    PUBLISH = "publish"  # render and publish a round's PDF
    REVIEW = "review"  # approve or return reported progress
    MANAGE_ROUNDS = "manage_rounds"  # close and reopen rounds, sign-off names
    MANAGE_MEASURES = "manage_measures"  # measures, divisions, steps; import, rollover


ALLOWED_ROLES = {
    Action.VIEW_REPORT: {Role.COORDINATOR, Role.EXECUTIVE},
    Action.VIEW_DASHBOARD: {Role.COORDINATOR, Role.EXECUTIVE},
    Action.PUBLISH: {Role.COORDINATOR},
    Action.REVIEW: {Role.COORDINATOR},
    Action.MANAGE_ROUNDS: {Role.COORDINATOR},
    Action.MANAGE_MEASURES: {Role.COORDINATOR},
}
# Superusers administer the installation: they may look, and repair an agency's
# measures; the agency's acts (publishing, reviewing, closing rounds) stay with
# its coordinator.
SUPERUSER_ACTIONS = {Action.VIEW_REPORT, Action.VIEW_DASHBOARD, Action.MANAGE_MEASURES}
# Overseers (models.OverseerScope) read the agencies in their scope and change nothing.
OVERSEER_ACTIONS = {Action.VIEW_REPORT, Action.VIEW_DASHBOARD}


class SystemActor:
    """The actor of manage.py commands (load_seed, import_measures, rollover).

    Whoever runs a command already holds the database, so it acts as the
    coordinator of every organization; the services record no user for it
    (`recorded_user`) and the change reason names the command.
    """

    is_authenticated = True
    is_anonymous = False
    is_superuser = False
    is_staff = False
    is_active = True
    pk = None

    def __str__(self) -> str:
        return "คำสั่งของระบบ"


SYSTEM = SystemActor()


def recorded_user(user):
    """The user to store as editor (`updated_by`, `published_by`): none for commands."""
    return None if isinstance(user, SystemActor) or not user.is_authenticated else user


def coordinated_organizations(user) -> QuerySet[Organization]:
    """Organizations whose measures this user manages (all, for superusers)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_superuser or isinstance(user, SystemActor):
        return Organization.objects.all()
    return Organization.objects.filter(memberships__user=user, memberships__role=Role.COORDINATOR)


def managed(user, queryset: QuerySet, path: str) -> QuerySet:
    """`queryset` narrowed to rows of the organizations this user manages;
    `path` leads from the row to its organization ("organization",
    "measure__organization", "pk" for organizations themselves)."""
    if user.is_authenticated and (user.is_superuser or isinstance(user, SystemActor)):
        return queryset
    return queryset.filter(**{f"{path}__in": coordinated_organizations(user)})


def role_in(user, organization: Organization) -> str | None:
    """The user's role in the organization, or None; cached on the user."""
    if not user.is_authenticated:
        return None
    if isinstance(user, SystemActor):
        return Role.COORDINATOR
    cache = user.__dict__.setdefault("_ita_roles", {})
    if organization.pk not in cache:
        cache[organization.pk] = (
            Membership.objects.filter(user=user, organization=organization)
            .values_list("role", flat=True)
            .first()
        )
    return cache[organization.pk]


def _overseer_filter(user) -> Q | None:
    """The agencies this user oversees as a condition on Organization, or None when
    they oversee none; one query, cached on the user."""
    cache = user.__dict__
    if "_ita_oversight" not in cache:
        scopes = list(
            OverseerScope.objects.filter(user=user).values_list(
                "pk", "whole_installation", "province_id", "organization_kind"
            )
        )
        condition = None
        listed = []
        for pk, whole, province_id, kind in scopes:
            if whole:
                condition = Q()
                break
            if province_id or kind:
                match = Q(**({"province_id": province_id} if province_id else {})) & Q(
                    **({"kind": kind} if kind else {})
                )
                condition = match if condition is None else condition | match
            listed.append(pk)
        if listed and condition != Q():
            through = OverseerScope.organizations.through.objects.filter(
                overseerscope_id__in=listed
            )
            match = Q(pk__in=through.values("organization_id"))
            condition = match if condition is None else condition | match
        cache["_ita_oversight"] = condition
    return cache["_ita_oversight"]


def is_overseer(user) -> bool:
    """May open the roll-up across agencies (oversight.rollup): a user with an
    overseer scope, or a superuser (who oversees the whole installation)."""
    if not user.is_authenticated or isinstance(user, SystemActor):
        return False
    return user.is_superuser or _overseer_filter(user) is not None


def oversees_everything(user) -> bool:
    """An overseer of the whole installation (or a superuser): their roll-up needs
    no condition on agencies."""
    return is_overseer(user) and (user.is_superuser or _overseer_filter(user) == Q())


def overseen_organizations(user) -> QuerySet[Organization]:
    """The agencies whose reports and dashboards this user may read as an overseer
    (all of them for a superuser); none for everyone else."""
    if not is_overseer(user):
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(_overseer_filter(user))


def oversees(user, organization: Organization) -> bool:
    """The organization is in this user's overseer scope (not counting superusers);
    cached on the user."""
    if not user.is_authenticated or isinstance(user, SystemActor):
        return False
    cache = user.__dict__.setdefault("_ita_overseen", {})
    if organization.pk not in cache:
        condition = _overseer_filter(user)
        cache[organization.pk] = (
            condition is not None
            and Organization.objects.filter(condition, pk=organization.pk).exists()
        )
    return cache[organization.pk]


def can(user, organization: Organization, action: Action) -> bool:
    if user.is_authenticated and user.is_superuser and action in SUPERUSER_ACTIONS:
        return True
    role = role_in(user, organization)
    if role in ALLOWED_ROLES[action]:
        return True
    # An agency's own members go by their role there; overseers read the others.
    return role is None and action in OVERSEER_ACTIONS and oversees(user, organization)


def can_manage(user, organization_id: int | None) -> bool:
    """May change the organization's measures, divisions and steps (the admin)."""
    if organization_id is None:
        return False
    if user.is_authenticated and (user.is_superuser or isinstance(user, SystemActor)):
        return True
    return coordinated_organizations(user).filter(pk=organization_id).exists()


def may_change_measure(user, measure) -> bool:
    """May change or delete the measure, its divisions and steps: a manager of its
    organization, while its year is not closed (Measure.year_is_closed: every
    round closed, the 12-month one among them). Reopening a round opens it again."""
    return can_manage(user, measure.organization_id) and not measure.year_is_closed


def may_change_sign_off(user, round_) -> bool:
    """May change the names under the round's report: its coordinator, while the
    round is open (a closed round's report says what it said)."""
    return round_.is_open and can(user, round_.organization, Action.MANAGE_ROUNDS)


def can_edit_progress(user, progress) -> bool:
    """May change the round's progress of a measure now: the round is open, and
    the coordinator, or staff while it is a draft or was returned to them, and the
    result is their division's (the division that reported it first; see
    DivisionPart for the other divisions of a shared measure)."""
    role = role_in(user, progress.measure.organization)
    if not progress.round.is_open:
        return False
    if role == Role.COORDINATOR:
        return True
    return role == Role.STAFF and progress.awaits_staff and reports_the_result(user, progress)


def member_division_ids(user, organization: Organization) -> frozenset[int]:
    """The divisions of the organization the user belongs to; one query, cached."""
    if not user.is_authenticated or isinstance(user, SystemActor):
        return frozenset()
    cache = user.__dict__.setdefault("_ita_divisions", {})
    if organization.pk not in cache:
        cache[organization.pk] = frozenset(
            Division.objects.filter(
                members__user=user, members__organization=organization
            ).values_list("pk", flat=True)
        )
    return cache[organization.pk]


def reports_the_result(user, progress) -> bool:
    """Staff write the result of a measure when nobody's division has reported it
    yet, or their division did (Progress.reporter_division)."""
    if progress.reporter_division_id is None:
        return True
    return progress.reporter_division_id in member_division_ids(user, progress.measure.organization)


# --- Shared measures: one result, a part per responsible division ---------------------------


def responsible_divisions(measure) -> list[Division]:
    """The regular divisions that answer for the measure: those named, and every
    regular division of the organization when it names "ทุกส่วนราชการ" or
    "ส่วนราชการที่เกี่ยวข้อง" (nobody wrote down which divisions are concerned).
    Uses the measure's prefetched assignments; one more query for a collective one."""
    named = [a.division for a in measure.assignments.all()]
    if any(d.is_collective for d in named):
        return list(
            Division.objects.filter(
                organization_id=measure.organization_id, kind=Division.Kind.REGULAR
            ).order_by("order", "name")
        )
    return named


def is_shared(measure) -> bool:
    """Several divisions answer for the measure: each may add its part."""
    named = [a.division for a in measure.assignments.all()]
    return len(named) > 1 or any(d.is_collective for d in named)


def part_divisions(user, measure) -> list[Division]:
    """The divisions whose part of a shared measure this user may write: any
    responsible division's for the coordinator, their own divisions' among the
    responsible ones for staff; none on a measure of one division."""
    role = role_in(user, measure.organization)
    if role not in (Role.COORDINATOR, Role.STAFF) or not is_shared(measure):
        return []
    divisions = responsible_divisions(measure)
    if role == Role.COORDINATOR:
        return divisions
    mine = member_division_ids(user, measure.organization)
    return [d for d in divisions if d.pk in mine]


def reporting_division(user, measure) -> Division | None:
    """The division a staff member reports the measure's result for: the first of
    their divisions that answers for it (None for the coordinator and for staff of
    no such division)."""
    if role_in(user, measure.organization) != Role.STAFF:
        return None
    mine = member_division_ids(user, measure.organization)
    return next((d for d in responsible_divisions(measure) if d.pk in mine), None)


def can_edit_part(user, progress, division: Division) -> bool:
    """May write the division's part of the measure's round now: the round is
    open, the division is one of `part_divisions`, and, for staff, the result is
    not approved yet (the coordinator may still add to it)."""
    if not progress.round.is_open:
        return False
    if division.pk not in {d.pk for d in part_divisions(user, progress.measure)}:
        return False
    return (
        role_in(user, progress.measure.organization) == Role.COORDINATOR or not progress.is_approved
    )


def check(user, organization: Organization, action: Action) -> None:
    """Raise 404 for outsiders and 403 for members who may not do `action`."""
    if can(user, organization, action):
        return
    if (
        role_in(user, organization) is None
        and not user.is_superuser
        and not oversees(user, organization)
    ):
        raise Http404("ไม่พบข้อมูล")
    raise PermissionDenied("บทบาทของคุณไม่มีสิทธิ์ทำรายการนี้")


def visible_measures(user, organization: Organization) -> QuerySet:
    """Measures of the organization this user may see.

    Staff see the measures of their divisions and those assigned to every
    division or to "the divisions concerned"; coordinators, executives,
    superusers and overseers of the organization see all (overseers to read
    only: they have no role that reports or reviews); outsiders none.
    """
    measures = organization.measures.all()
    if user.is_authenticated and user.is_superuser:
        return measures
    role = role_in(user, organization)
    if role in (Role.COORDINATOR, Role.EXECUTIVE):
        return measures
    if role == Role.STAFF:
        mine = Division.objects.filter(members__user=user, members__organization=organization)
        # A responsible division of theirs, or "every division" / "those concerned".
        return measures.filter(
            Exists(
                Division.objects.filter(assignments__measure=OuterRef("pk")).filter(
                    Q(pk__in=mine) | ~Q(kind=Division.Kind.REGULAR)
                )
            )
        )
    if role is None and oversees(user, organization):
        return measures
    return measures.none()


def may_report(user, organization: Organization) -> bool:
    """May report progress on the organization's measures (staff of a responsible
    division, or the coordinator); executives and overseers only read."""
    return role_in(user, organization) in (Role.COORDINATOR, Role.STAFF)


def can_manage_members(user, organization: Organization) -> bool:
    """May give and take roles in the organization: its coordinator, a superuser, or
    a command (SYSTEM)."""
    return can_manage(user, organization.pk)


# What the coordinator role may do in the admin, as Django model permissions by app
# (organizations.services.coordinator_group gives them to the coordinators' group).
# The admin's querysets and has_*_permission narrow them to the coordinator's own
# organizations (organizations.admin_scoping).
_ALL = ("view", "add", "change", "delete")
COORDINATOR_ADMIN_PERMISSIONS = {
    "organizations": [f"{a}_division" for a in _ALL] + ["view_organization"],
    "catalogue": ["view_fiscalyear", "view_assessmenttool", "view_indicator"],
    "measures": [
        f"{a}_{model}" for model in ("measure", "step", "stepitem", "measuredivision") for a in _ALL
    ]
    + ["view_round", "change_round"],
    "progress": [f"{a}_progress" for a in _ALL],
    "reports": ["view_publishedreport"],
}


# --- Approving publications (approvals app) ---------------------------------------------


def may_approve_publication(user, organization: Organization) -> bool:
    """May approve (or return) what the agency publishes: its executives, and the
    members its coordinator named as approvers (approvals.Approver, read through
    `organization.named_approvers`)."""
    role = role_in(user, organization)
    if role == Role.EXECUTIVE:
        return True
    return role is not None and organization.named_approvers.filter(user_id=user.pk).exists()


def check_approve_publication(user, organization: Organization) -> None:
    """404 for whoever may not know the agency, 403 for members who may not approve."""
    if may_approve_publication(user, organization):
        return
    if role_in(user, organization) is None:
        raise Http404("ไม่พบข้อมูล")
    raise PermissionDenied("เฉพาะผู้บริหารหรือผู้ที่หน่วยงานระบุให้เป็นผู้อนุมัติเท่านั้นที่อนุมัติการเผยแพร่ได้")


def may_be_named_approver(membership_role: str) -> bool:
    """Who a coordinator may name as an approver: members who may read the draft report
    they approve (coordinators, executives)."""
    return membership_role in ALLOWED_ROLES[Action.VIEW_REPORT]


def sees_broken_links(user, organization: Organization) -> bool:
    """Sees the agency's list of links the daily check could not open (linkcheck): its
    coordinator, who has them mended; nobody outside the agency."""
    return role_in(user, organization) == Role.COORDINATOR


def may_confirm_import(user, *, previewed_by: int) -> bool:
    """An import is confirmed (and its wordings chosen) by the person who previewed
    it: the signed token names them; anyone else gets 403."""
    return user.is_authenticated and user.pk == previewed_by


def may_use_admin(user) -> bool:
    """May open the admin: what Django's admin itself lets in (active staff: the
    coordinators, given staff with their role, and superusers)."""
    return user.is_authenticated and user.is_active and user.is_staff


def sees_work_list(user, organization: Organization) -> bool:
    """Lands on the measures to report on the home page: the organization's staff."""
    return role_in(user, organization) == Role.STAFF


def may_follow_jobs(user) -> bool:
    """May open the admin's list of background jobs: every coordinator (their own
    organizations' jobs, as the admin's scoping narrows them) and superusers."""
    return may_use_admin(user) and (user.is_superuser or _coordinates_any(user))


def _coordinates_any(user) -> bool:
    """Coordinates some organization; one query, cached on the user (the admin asks for
    every model of its side bar on each page)."""
    cache = user.__dict__
    if "_ita_coordinates" not in cache:
        cache["_ita_coordinates"] = coordinated_organizations(user).exists()
    return cache["_ita_coordinates"]


def may_read_agency_records(user) -> bool:
    """May open the admin's read-only lists of an agency's records kept by the portal's
    pages (approval requests and settings, OIT links, analyses and their versions):
    every coordinator (their own organizations' rows, as the admin's scoping narrows
    them) and superusers. No model permission is handed out for them, so a group
    made before they existed needs none."""
    return may_follow_jobs(user)


def may_read_metrics(user, bearer_token: str, metrics_token: str) -> bool:
    """May read the installation's metrics (/metrics): a superuser signed in, or a
    scraper that sends the token the operator set (ITA_METRICS_TOKEN; none set: nobody
    by token)."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return True
    return bool(metrics_token) and hmac.compare_digest(
        bearer_token.encode(), metrics_token.encode()
    )


def can_administer_installation(user) -> bool:
    """May change the installation's own data (the assessment's catalogue of each
    fiscal year): a superuser, or a command (SYSTEM). Coordinators only read it."""
    return isinstance(user, SystemActor) or (user.is_authenticated and user.is_superuser)


# --- The assessment's results (results app) -------------------------------------------------


def may_enter_result(user, organization: Organization) -> bool:
    """May enter and correct the agency's ITA results on the portal: its coordinator,
    a superuser, or a command (SYSTEM). Staff, executives and overseers only read."""
    return can_manage(user, organization.pk)


def check_enter_result(user, organization: Organization) -> None:
    """404 for whoever may not know the agency (not a member, not an overseer of it),
    403 for members and overseers who may not enter its results."""
    if may_enter_result(user, organization):
        return
    if (
        role_in(user, organization) is None
        and not user.is_superuser
        and not oversees(user, organization)
    ):
        raise Http404("ไม่พบข้อมูล")
    raise PermissionDenied("บทบาทของคุณไม่มีสิทธิ์บันทึกผลการประเมินของหน่วยงานนี้")


def may_import_results(user) -> bool:
    """May import the assessment's published results of many agencies at once: a
    superuser, an overseer of the whole installation (the national office), or a
    command. Overseers otherwise read only; an agency's coordinator enters its own."""
    return isinstance(user, SystemActor) or oversees_everything(user)


def importable_organizations(user) -> QuerySet[Organization]:
    """The agencies whose results this user may import: all for a command or a
    superuser, those they oversee for an overseer allowed to import, else none."""
    if isinstance(user, SystemActor) or (user.is_authenticated and user.is_superuser):
        return Organization.objects.all()
    if not may_import_results(user):
        return Organization.objects.none()
    return overseen_organizations(user)


# --- The agency's OIT links (oit app) -------------------------------------------------------


def may_set_oit_links(user, organization: Organization) -> bool:
    """May add, change and clear the agency's OIT item links: its coordinator, a
    superuser, or a command (SYSTEM)."""
    return can_manage(user, organization.pk)


def check_oit_page(user, organization: Organization) -> None:
    """The agency's OIT page with its completeness (oit:edit, its exports): read by
    whoever reads the agency's dashboard (coordinator, executive, superuser, its
    overseers); 404 for outsiders, 403 for its staff."""
    check(user, organization, Action.VIEW_DASHBOARD)
