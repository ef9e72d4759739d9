"""The measures' import, export and rollover, and the unlocking of sign-ins: the
admin's writes that are not a model's form. An import is sent as the coordinator
sends it (the year exported as CSV, uploaded, previewed, confirmed with the token
the preview gave); the others send the coordinator's token, which is theirs to use
no more than the coordinator's password."""

from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.http import urlencode

from ita_portal.tests.permission_walk.admin_site import admin_only
from ita_portal.tests.permission_walk.walker import ADMIN_LOGIN, ROLES, Go, Visit, Wrote
from ita_portal.tests.permission_walk.world import World
from jobs.models import Job
from measures.models import Measure
from testing.forms import form_data
from testing.pages import visible_text

IMPORT = reverse("admin:measures_measure_import")
EXPORT = reverse("admin:measures_measure_export")
MEASURES = reverse("admin:measures_measure_changelist")
JOB_PAGE = Go(r"/admin/jobs/job/\d+/change/", pattern=True)


def _sheet(w, world: World) -> SimpleUploadedFile:
    """Organization A's year as the coordinator exports it (CSV)."""
    query = urlencode(
        {
            "organization": world.org.pk,
            "fiscal_year": world.measure.fiscal_year_id,
            "round_kind": 6,
            "format": "csv",
        }
    )
    response = w.request("coordinator", "get", f"{EXPORT}?{query}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return SimpleUploadedFile("measures.csv", response.content, content_type="text/csv")


def _upload(w, world: World) -> dict:
    return {
        **form_data(w.page("coordinator", IMPORT), form_id="import-form"),
        "fiscal_year": str(world.measure.fiscal_year_id),
        "file": _sheet(w, world),
    }


def _confirm(w, world: World) -> dict:
    """The confirm form of the coordinator's preview (its signed token)."""
    preview = w.request("coordinator", "post", IMPORT, _upload(w, world))
    html = preview.content.decode()
    assert preview.status_code == 200 and 'id="confirm-form"' in html, visible_text(preview)
    return form_data(html, form_id="confirm-form")


def import_visits(world: World) -> list[Visit]:
    org = world.org
    # Only the one who previewed may confirm: the token is the coordinator's.
    confirmed = [
        Wrote(JOB_PAGE) if role == "coordinator" else answer
        for role, answer in zip(ROLES, admin_only(403), strict=True)
    ]
    return [
        Visit("admin:measures_measure_import", "get", IMPORT, admin_only(200)),
        # The preview writes nothing; organization B's coordinator may not choose A.
        Visit(
            "admin:measures_measure_import",
            "post",
            IMPORT,
            admin_only(200),
            data=lambda w: _upload(w, world),
            tables=(Measure, Job),
        ),
        Visit(
            "admin:measures_measure_import",
            "post",
            IMPORT,
            confirmed,
            data=lambda w: _confirm(w, world),
            done=lambda seen: Job.objects.filter(kind=Job.Kind.IMPORT, organization=org).exists(),
            tables=(Measure, Job),
        ),
        Visit("admin:measures_measure_export", "get", EXPORT, admin_only(200)),
        # The export's form is sent by GET; a POST shows the form again.
        Visit("admin:measures_measure_export", "post", EXPORT, admin_only(200), data={}),
    ]


def action_visits(world: World) -> list[Visit]:
    """Rolling a year's measures over (a job per organization and year), and
    unlocking a sign-in: actions of the admin's lists."""
    org = world.org
    attempt = world.objects[AccessAttempt]
    attempts = reverse("admin:axes_accessattempt_changelist")
    rolled = Wrote(Go(MEASURES))
    # Organization B's coordinator selects A's measure: not among theirs, no job.
    rollover = [
        {"coordinator": rolled, "superuser": rolled, "coordinator_b": Go(MEASURES)}.get(
            role, ADMIN_LOGIN
        )
        for role in ROLES
    ]
    unlock = [
        {"coordinator": 403, "coordinator_b": 403, "superuser": Wrote(Go(attempts))}.get(
            role, ADMIN_LOGIN
        )
        for role in ROLES
    ]
    return [
        Visit(
            "admin:measures_measure_changelist",
            "post",
            MEASURES,
            rollover,
            data={
                "action": "rollover_to_next_year",
                "_selected_action": str(world.measure.pk),
                "index": "0",
                "confirmed": "yes",
            },
            done=lambda seen: Job.objects.filter(kind=Job.Kind.ROLLOVER, organization=org).exists(),
            tables=(Measure, Job),
        ),
        Visit(
            "admin:axes_accessattempt_changelist",
            "post",
            attempts,
            unlock,
            data={"action": "unlock", "_selected_action": str(attempt.pk), "index": "0"},
            done=lambda seen: not AccessAttempt.objects.filter(pk=attempt.pk).exists(),
            tables=(AccessAttempt,),
        ),
    ]


def interchange_visits(world: World) -> list[Visit]:
    return [*import_visits(world), *action_visits(world)]
