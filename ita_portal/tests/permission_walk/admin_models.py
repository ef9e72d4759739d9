"""Every model the admin registers (admin.site._registry): its list, add, change,
history and delete pages, read and written by every person.

A write's body is the form as the person who may send it sees it (the coordinator
where a coordinator may, else the superuser), with one field changed; everybody
sends that same body, so a refusal is a refusal of a write that would go through.
Those outside the admin are sent to its login page; a coordinator is not told that
another organization's row exists (the admin's "does not exist", to its index)."""

from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from analysis.models import AnalysisDocument, PublishedAnalysis
from approvals.models import ApprovalRequest, ApprovalSettings, Approver
from catalogue.models import AssessmentTool, FiscalYear, Indicator, OitItem
from ita_portal.tests.permission_walk.portal import MARK, NEW_PASSWORD
from ita_portal.tests.permission_walk.walker import (
    ADMIN_LOGIN,
    ADMIN_USERS,
    ROLES,
    Go,
    Visit,
    Wrote,
)
from ita_portal.tests.permission_walk.world import World
from jobs.models import Job
from linkcheck.models import LinkStatus
from measures.models import Measure, Round
from oit.models import AgencyOitLink
from operations.models import PendingDeletion
from organizations.models import (
    District,
    Division,
    Membership,
    Organization,
    OverseerScope,
    Province,
)
from progress.models import Progress
from reminders.models import SentReminder
from reports.models import PublishedReport
from results.models import ITAResult
from testing.forms import form_data

User = get_user_model()
INDEX = reverse("admin:index")

# An agency's records that the portal's pages write: read only in the admin, their own
# agency's for a coordinator (organizations.admin_scoping.AgencyRecordsMixin).
AGENCY_RECORDS = (
    ApprovalRequest,
    ApprovalSettings,
    Approver,
    AgencyOitLink,
    AnalysisDocument,
    PublishedAnalysis,
)
# What a coordinator may do in the admin, per model (v: view, a: add, c: change,
# d: delete). Progress is reported on the portal's progress page and is read only
# here; published reports are never edited.
COORDINATOR_MAY = {
    Measure: "vacd",
    Division: "vacd",
    Progress: "v",
    Round: "vc",
    Organization: "v",
    FiscalYear: "v",
    AssessmentTool: "v",
    Indicator: "v",
    PublishedReport: "v",
    Job: "v",
    **dict.fromkeys(AGENCY_RECORDS, "v"),
}
# Models whose rows belong to an organization: another organization's coordinator is
# not told they exist.
ORGANIZATION_ROWS = {
    Measure,
    Division,
    Progress,
    Round,
    Organization,
    PublishedReport,
    Job,
    Membership,
    *AGENCY_RECORDS,
}
# What the superuser may not do even so: nobody adds or edits progress or published
# reports in the admin.
NOBODY_MAY = {
    Progress: "acd",
    PublishedReport: "acd",
    # Jobs are started from the pages that do the work, and only followed here.
    Job: "acd",
    # A round is never removed: its results and publications hang on it.
    Round: "d",
    # Results are entered on the portal or imported (results.py), never edited here.
    ITAResult: "acd",
    # What reminders sent: written by the sending job only, read by the superuser.
    SentReminder: "acd",
    **dict.fromkeys(AGENCY_RECORDS, "acd"),
    # What the link check found and the files waiting to leave storage: written by
    # their jobs only, read by the superuser.
    LinkStatus: "acd",
    PendingDeletion: "acd",
    # Sign-in records are written by django-axes only (and removed to unlock).
    AccessAttempt: "ac",
    AccessLog: "ac",
    AccessFailureLog: "ac",
}
# Lists that show a coordinator no row at all (the results: the superuser's): the
# history page looks the row up before asking permissions.
NO_ROWS_FOR_COORDINATORS = {ITAResult}
# The agency's acts stay with its coordinator (organizations.access: the superuser
# does not manage rounds): the form shows, the service refuses the write.
SUPERUSER_REFUSED = {Round: "c"}
# Django's user admin goes on to the new user's page (to give them their rights).
ADDED_GOES_TO = {User: Go(r"/admin/auth/user/\d+/change/", pattern=True)}
# Removed from a list nobody may change, the admin goes back to its index.
DELETED_GOES_TO = {m: Go(INDEX) for m in (AccessAttempt, AccessLog, AccessFailureLog)}
# Actions of a model's list other than deleting, and the permission each needs: a
# person with none of them gets the list again for a POST (no action to take).
OTHER_ACTIONS = {Measure: "a"}


def may(model, role: str, letter: str) -> bool:
    """May `role` (in the admin) do `letter` to the model's rows, as far as the model
    goes (another organization's row aside)?"""
    if letter in NOBODY_MAY.get(model, ""):
        return False
    if role == "superuser":
        return True
    allowed = COORDINATOR_MAY.get(model, "")
    return letter in allowed or (letter == "v" and "c" in allowed)


def hidden(model, role: str) -> bool:
    """Organization A's row, to organization B's coordinator (or any row of a list
    that shows coordinators none)."""
    if role in ("coordinator", "coordinator_b") and model in NO_ROWS_FOR_COORDINATORS:
        return True
    return role == "coordinator_b" and model in ORGANIZATION_ROWS


def get_expected(model, view: str, role: str):
    letter = {"changelist": "v", "add": "a", "change": "v", "history": "v", "delete": "d"}[view]
    if role not in ADMIN_USERS:
        return ADMIN_LOGIN
    if letter in NOBODY_MAY.get(model, ""):
        return 403
    if hidden(model, role) and view == "history":
        return Go(INDEX)  # the history page looks the object up before asking permissions
    if not may(model, role, letter):
        return 403
    if hidden(model, role) and view not in ("changelist", "add"):
        return Go(INDEX)
    return 200


def post_expected(model, view: str, role: str, changelist: str):
    """A change, an addition or a removal, sent from the form."""
    if role not in ADMIN_USERS:
        return ADMIN_LOGIN
    letter = {"add": "a", "change": "c", "delete": "d"}[view]
    if not may(model, role, letter):
        return 403
    if hidden(model, role):
        # The form names organization A, which is not among B's choices.
        return 200 if view == "add" else Go(INDEX)
    if role == "superuser" and letter in SUPERUSER_REFUSED.get(model, ""):
        return 403
    if view == "add":
        return Wrote(ADDED_GOES_TO.get(model, Go(changelist)))
    if view == "delete":
        return Wrote(DELETED_GOES_TO.get(model, Go(changelist)))
    return Wrote(Go(changelist))


def action_expected(model, role: str, changelist: str):
    """The list's "delete selected" on the object, confirmed."""
    if role not in ADMIN_USERS:
        return ADMIN_LOGIN
    if not may(model, role, "v"):
        return 403
    if may(model, role, "d"):
        return Go(changelist) if hidden(model, role) else Wrote(Go(changelist))
    if any(may(model, role, letter) for letter in OTHER_ACTIONS.get(model, "")):
        return Go(changelist)  # "no action selected": the list again
    return 200  # no action at all: the list


@dataclass
class Change:
    """The field a change writes, and what an addition fills in (`added`, with the
    lookup that finds the added row: `found`, else the first item of `added`)."""

    field: str
    value: object
    added: dict
    found: dict | None = None

    def lookup(self) -> dict:
        return self.found or dict([next(iter(self.added.items()))])


def changes(world: World) -> dict:
    return {**_agency_changes(world), **_installation_changes(world)}


def _agency_changes(world: World) -> dict:
    """The rows of an agency (organization A's here)."""
    org, measure = world.org, world.measure
    division = world.objects[Division]
    nobody = world.people["no_membership"]
    next_round = {"organization": org.pk, "fiscal_year": world.next_year.pk, "kind": 12}
    return {
        Organization: Change(
            "name",
            MARK,
            {
                "slug": "walk-added",
                "name": MARK,
                "province": org.province_id,
                "district": org.district_id,
            },
        ),
        Division: Change("name", MARK, {"name": MARK, "organization": org.pk}),
        Round: Change("reporter_name", MARK, next_round, next_round),
        Measure: Change(
            "target",
            MARK,
            {
                "target": MARK,
                "monitoring": "รายงานผลต่อผู้บริหาร",
                "organization": org.pk,
                "fiscal_year": measure.fiscal_year_id,
                "order": 99,
                "indicator": measure.indicator_id,
                "assignments-TOTAL_FORMS": "1",
                "assignments-0-division": division.pk,
                "assignments-0-order": "1",
                "steps-TOTAL_FORMS": "1",
                "steps-0-number": "1",
                "steps-0-text": MARK,
            },
        ),
        Progress: Change("result_text", MARK, {"result_text": MARK}),
        Membership: Change(
            "role",
            Membership.Role.EXECUTIVE,
            {"user": nobody.pk, "organization": org.pk, "role": "staff", "divisions": division.pk},
        ),
        PublishedReport: Change("withdrawal_reason", MARK, {"withdrawal_reason": MARK}),
        Job: Change("message", MARK, {"message": MARK}),
        ITAResult: Change("target", 80, {"target": 80}),
        ApprovalRequest: Change("note", MARK, {"note": MARK}),
        ApprovalSettings: Change("required", False, {"required": False}),
        Approver: Change("position", MARK, {"position": MARK}),
        AgencyOitLink: Change("url", MARK, {"url": MARK}),
        AnalysisDocument: Change(
            "fiscal_year", world.next_year.pk, {"fiscal_year": world.next_year.pk}
        ),
        PublishedAnalysis: Change("withdrawal_reason", MARK, {"withdrawal_reason": MARK}),
    }


def _installation_changes(world: World) -> dict:
    """The installation's own rows: the catalogue, places, people, sign-in records."""
    fiscal_year = world.objects[FiscalYear]
    tool = world.objects[AssessmentTool]
    nobody = world.people["no_membership"]
    new_user = {
        "username": "walk-added",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "usable_password": "true",
    }
    return {
        FiscalYear: Change("catalogue_source", MARK, {"year": 2599}),
        AssessmentTool: Change(
            "name", MARK, {"name": MARK, "fiscal_year": fiscal_year.pk, "code": "WALK"}
        ),
        Indicator: Change("name", MARK, {"name": MARK, "tool": tool.pk, "number": "99"}),
        OitItem: Change(
            "title", MARK, {"title": MARK, "fiscal_year": fiscal_year.pk, "number": "O99"}
        ),
        User: Change("first_name", MARK, new_user),
        Group: Change("name", MARK, {"name": MARK}),
        Province: Change("name", MARK, {"name": MARK, "code": "99"}),
        District: Change("name", MARK, {"name": MARK, "province": world.org.province_id}),
        OverseerScope: Change(
            "office", MARK, {"office": MARK, "user": nobody.pk, "whole_installation": "on"}
        ),
        AccessAttempt: Change("username", "walk", {"username": "walk"}),
        AccessLog: Change("username", "walk", {"username": "walk"}),
        AccessFailureLog: Change("username", "walk", {"username": "walk"}),
        SentReminder: Change("subject", MARK, {"subject": MARK}),
        LinkStatus: Change("error", MARK, {"error": MARK}),
        PendingDeletion: Change("name", MARK, {"name": MARK}),
    }


def _writer(model) -> str:
    """Whose form a write of the model is sent from."""
    return "coordinator" if COORDINATOR_MAY.get(model, "").strip("v") else "superuser"


def _body(walker, model, url: str, role: str, fill: dict, can_see: bool) -> dict:
    data = {}
    if can_see:
        data = form_data(walker.page(role, url), form_id=f"{model._meta.model_name}_form")
    return {**data, **{k: str(v) for k, v in fill.items()}}


def model_visits(world: World, model, change: Change) -> list[Visit]:
    opts = model._meta
    base = f"admin:{opts.app_label}_{opts.model_name}"
    changelist = reverse(f"{base}_changelist")
    add = reverse(f"{base}_add")
    obj = world.objects[model]
    rows = model._base_manager
    found = change.lookup()
    gone = world.disposable.get(model, obj)
    writer = _writer(model)
    visits = [
        Visit(
            f"{base}_changelist",
            "get",
            changelist,
            [get_expected(model, "changelist", r) for r in ROLES],
        ),
        Visit(
            f"{base}_changelist",
            "post",
            changelist,
            [action_expected(model, r, changelist) for r in ROLES],
            data={"action": "delete_selected", "_selected_action": str(gone.pk), "post": "yes"},
            done=lambda seen: not rows.filter(pk=gone.pk).exists(),
            tables=(model,),
        ),
        Visit(f"{base}_add", "get", add, [get_expected(model, "add", r) for r in ROLES]),
        Visit(
            f"{base}_add",
            "post",
            add,
            [post_expected(model, "add", r, changelist) for r in ROLES],
            data=lambda w: _body(w, model, add, writer, change.added, may(model, writer, "a")),
            done=lambda seen: rows.filter(**found).exists(),
            tables=(model,),
        ),
    ]
    return visits + _object_visits(world, model, change, base, changelist)


def _object_visits(world, model, change, base, changelist) -> list[Visit]:
    obj = world.objects[model]
    rows = model._base_manager
    url = reverse(f"{base}_change", args=[obj.pk])
    history = reverse(f"{base}_history", args=[obj.pk])
    gone = world.disposable.get(model, obj)
    delete = reverse(f"{base}_delete", args=[gone.pk])
    writer = _writer(model)
    visits = [
        Visit(f"{base}_change", "get", url, [get_expected(model, "change", r) for r in ROLES]),
        Visit(
            f"{base}_change",
            "post",
            url,
            [post_expected(model, "change", r, changelist) for r in ROLES],
            data=lambda w: _body(w, model, url, writer, {change.field: change.value}, True),
            done=lambda seen: rows.filter(pk=obj.pk, **{change.field: change.value}).exists(),
            tables=(model,),
        ),
        Visit(f"{base}_delete", "get", delete, [get_expected(model, "delete", r) for r in ROLES]),
        Visit(
            f"{base}_delete",
            "post",
            delete,
            [post_expected(model, "delete", r, changelist) for r in ROLES],
            data={"post": "yes"},
            done=lambda seen: not rows.filter(pk=gone.pk).exists(),
            tables=(model,),
        ),
    ]
    # The object's history page shows, whatever the method.
    seen_history = [get_expected(model, "history", r) for r in ROLES]
    visits += [
        Visit(f"{base}_history", "get", history, seen_history),
        Visit(f"{base}_history", "post", history, seen_history, data={}, tables=(model,)),
    ]
    if hasattr(admin.site._registry[model], "history_form_view"):
        visits += _version_visits(model, obj, base)
    return visits


def _version_visits(model, obj, base) -> list[Visit]:
    """An old version's page (django-simple-history) shows it; reverting to it from
    there is refused to everyone (it would write around the services)."""
    version = obj.history.filter(id=obj.pk).latest("history_date").history_id
    url = reverse(f"{base}_simple_history", args=[obj.pk, version])
    seen = [get_expected(model, "history", r) for r in ROLES]
    refused = [403 if answer == 200 else answer for answer in seen]
    form = f"{model._meta.model_name}_form"
    return [
        Visit(f"{base}_simple_history", "get", url, seen),
        Visit(
            f"{base}_simple_history",
            "post",
            url,
            refused,
            data=lambda w: form_data(w.page("superuser", url), form_id=form),
            tables=(model, model.history.model),
        ),
    ]


def admin_model_visits(world: World) -> list[Visit]:
    known = changes(world)
    missing = sorted(m.__name__ for m in admin.site._registry if m not in known)
    assert missing == [], f"admin models without a change in the permission walk: {missing}"
    visits = []
    for model in admin.site._registry:
        visits += model_visits(world, model, known[model])
    return visits + _password_visits(world)


def _password_visits(world: World) -> list[Visit]:
    """Setting another person's password: the superuser only."""
    target = world.people["coordinator"]
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    to_user = Go(reverse("admin:auth_user_change", args=[target.pk]))
    return [
        Visit(
            "admin:auth_user_password_change",
            "get",
            url,
            [get_expected(User, "add", r) for r in ROLES],
        ),
        Visit(
            "admin:auth_user_password_change",
            "post",
            url,
            [Wrote(to_user) if r == "superuser" else get_expected(User, "add", r) for r in ROLES],
            data=lambda w: {
                **form_data(w.page("superuser", url)),
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
            done=lambda seen: User.objects.get(pk=target.pk).check_password(NEW_PASSWORD),
            tables=(User,),
        ),
    ]
