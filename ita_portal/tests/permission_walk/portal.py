"""The portal's pages and writes, per person (ROLES order): anonymous, no membership,
staff of measure 1's division, staff of another division, executive, coordinator,
organization B's staff, executive and coordinator, superuser, overseer of the whole
installation, overseer of another province.

404: not told the thing exists (another organization); 403: may see the organization
but not do this. The expectations are written out by hand, from what each person
should be able to do, not derived from organizations/access.py."""

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.urls import reverse

from ita_portal.tests.permission_walk.walker import LOGIN, Go, Visit, Wrote
from ita_portal.tests.permission_walk.world import PASSWORD, World
from jobs.models import Job
from measures.models import Measure, Round
from organizations.models import Division, Organization
from progress.models import DivisionPart, Evidence, Progress, ReviewState, StepProgress
from reminders.models import ReminderPreference
from reports.models import PublishedReport
from testing.forms import form_data

MARK = "บันทึกโดยการเดินตรวจสิทธิ์"  # what a write puts in, found afterwards
NEW_PASSWORD = "walk-Changed-2566"
OUT = [404, 404, 404]  # organization B's staff, executive and coordinator on A's data
PROGRESS_TABLES = (Progress, StepProgress, Evidence, DivisionPart)


def no_post(get_expected: list, login: bool = True) -> list:
    """A page that only shows: POST is refused (405), after the login it needs."""
    first = LOGIN if login else 405
    return [first, *[405] * (len(get_expected) - 1)]


def _reads(name, url, expected, login=True) -> list[Visit]:
    return [Visit(name, "get", url, expected), Visit(name, "post", url, no_post(expected, login))]


def _progress_form(w, role, url, **changes) -> dict:
    data = form_data(w.page(role, url), form_id="progress-form")
    return {**data, "result_text": MARK, **changes}


def _measure(world, order) -> Measure:
    return Measure.objects.get(organization=world.org, order=order)


def progress_visits(world: World) -> list[Visit]:
    """Reporting a result: the coordinator edits one that waits for review (its staff
    may no longer: 409, nothing saved); staff of a responsible division report and
    send a new one (measure 7, every division's); readers may not."""
    m1, m7 = world.measure, _measure(world, 7)
    twelve = world.progress.round
    edit1 = reverse("progress:progress", args=[m1.pk, 12])
    edit7 = reverse("progress:progress", args=[m7.pk, 12])
    detail1 = Go(reverse("progress:detail", args=[m1.pk]))
    detail7 = Wrote(Go(reverse("progress:detail", args=[m7.pk])))

    def saved(measure, **state):
        return lambda seen: Progress.objects.filter(
            measure=measure, round=twelve, result_text=MARK, **state
        ).exists()

    return [
        Visit(
            "progress:progress",
            "get",
            edit1,
            [LOGIN, 404, detail1, 404, 403, 200, *OUT, 403, 403, 404],
        ),
        Visit(
            "progress:progress",
            "post",
            edit1,
            [LOGIN, 404, 409, 404, 403, Wrote(detail1), *OUT, 403, 403, 404],
            data=lambda w: _progress_form(w, "coordinator", edit1, action="save"),
            done=saved(m1),
            tables=PROGRESS_TABLES,
        ),
        Visit(
            "progress:progress", "get", edit7, [LOGIN, 404, 200, 200, 403, 200, *OUT, 403, 403, 404]
        ),
        Visit(
            "progress:progress",
            "post",
            edit7,
            [LOGIN, 404, detail7, detail7, 403, detail7, *OUT, 403, 403, 404],
            data=lambda w: _progress_form(w, "staff_own", edit7, action="submit"),
            done=saved(m7, review_state=ReviewState.SUBMITTED),
            tables=PROGRESS_TABLES,
        ),
    ]


def review_and_part_visits(world: World) -> list[Visit]:
    m1, m4 = world.measure, _measure(world, 4)
    progress = world.progress
    review = reverse("progress:review", args=[m1.pk, 12])
    detail = reverse("progress:detail", args=[m1.pk])
    finance = Division.objects.get(organization=world.org, name="กองคลัง")
    part = reverse("progress:part", args=[m4.pk, 12, finance.pk])
    to_m4 = Wrote(Go(reverse("progress:detail", args=[m4.pk])))
    return [
        Visit("progress:review", "get", review, no_post([0] * 12)),
        # Only the coordinator reviews; the superuser and overseers see, not review.
        Visit(
            "progress:review",
            "post",
            review,
            # The world's only result waiting for review: approved, the coordinator goes home.
            [LOGIN, 404, 403, 404, 403, Wrote(Go(reverse("home")))] + [*OUT, 403, 403, 404],
            data=lambda w: {
                **form_data(w.page("coordinator", detail), form_id="review-12"),
                "decision": "approve",
            },
            done=lambda seen: Progress.objects.filter(
                pk=progress.pk, review_state=ReviewState.APPROVED
            ).exists(),
            tables=PROGRESS_TABLES,
        ),
        # A division's part of a measure of every division (measure 4), here กองคลัง's:
        # its staff and the coordinator write it; staff of another division may see
        # the measure but not write this part; readers may not write at all.
        Visit("progress:part", "get", part, [LOGIN, 404, 403, 200, 403, 200, *OUT, 403, 403, 404]),
        Visit(
            "progress:part",
            "post",
            part,
            [LOGIN, 404, 403, to_m4, 403, to_m4, *OUT, 403, 403, 404],
            data=lambda w: {
                **form_data(w.page("staff_other", part), form_id="part-form"),
                "note": MARK,
            },
            done=lambda seen: DivisionPart.objects.filter(division=finance, note=MARK).exists(),
            tables=PROGRESS_TABLES,
        ),
    ]


def round_visits(world: World) -> list[Visit]:
    """Closing asks first: the coordinator gets the confirmation page, and only its
    confirm button closes the round (then home)."""
    twelve = world.progress.round
    url = reverse("progress:round_open", args=[twelve.pk])
    refused = [LOGIN, 404, 403, 403, 403]
    after = [*OUT, 403, 403, 404]
    return [
        Visit("progress:round_open", "get", url + "?open=0", [*refused, 200, *after]),
        Visit(
            "progress:round_open",
            "post",
            url,
            [*refused, 200, *after],
            data={"open": "0"},
            tables=(Round,),
        ),
        Visit(
            "progress:round_open",
            "post",
            url,
            [*refused, Wrote(Go(reverse("home"))), *after],
            data=lambda w: form_data(w.page("coordinator", url + "?open=0"), "round-confirm"),
            done=lambda seen: Round.objects.filter(pk=twelve.pk, is_open=False).exists(),
            tables=(Round,),
        ),
    ]


def report_visits(world: World) -> list[Visit]:
    slug, report = world.org.slug, world.report
    six = report.round
    page = reverse("reports:page", args=[slug, 2566, 6])
    publish = reverse("reports:publish", args=[slug, 2566, 6])
    withdraw = reverse("reports:withdraw", args=[slug, 2566, 6, report.version])
    coordinator_only = [LOGIN, 404, 403, 403, 403, 200, *OUT, 403, 403, 404]

    def only_coordinator(answer):
        return [*coordinator_only[:5], answer, *coordinator_only[6:]]

    tables = (PublishedReport, Job)
    # A has an executive: publishing leads to sending the report for approval
    # (approvals:request, permission_walk.approvals), and starts nothing itself.
    to_approval = only_coordinator(Go(reverse("approvals:request", args=[slug, 2566, 6])))
    return [
        Visit("reports:publish", "get", publish, to_approval),
        Visit("reports:publish", "post", publish, to_approval, data={}, tables=tables),
        Visit(
            "reports:publish",
            "post",
            publish,
            to_approval,
            data={"confirm": "1"},
            done=lambda seen: Job.objects.filter(kind=Job.Kind.PUBLISH, round=six).count() == 2,
            tables=tables,
        ),
        # Withdrawing a version: its form (a reason is required) for the coordinator.
        Visit("reports:withdraw", "get", withdraw, coordinator_only),
        Visit("reports:withdraw", "post", withdraw, only_coordinator(400), data={}, tables=tables),
        Visit(
            "reports:withdraw",
            "post",
            withdraw,
            only_coordinator(Wrote(Go(page))),
            data={"reason": MARK},
            done=lambda seen: PublishedReport.objects.filter(
                pk=report.pk, withdrawn_at__isnull=False, withdrawal_reason=MARK
            ).exists(),
            tables=tables,
        ),
    ]


def settings_visits(world: World) -> list[Visit]:
    """The organization's document settings: its coordinator, and the superuser who
    administers the installation; readers may not change them."""
    org = world.org
    url = reverse("reports:document_settings", args=[org.slug])
    saved = Wrote(Go(url))
    flipped = "arabic" if org.cover_thai_digits else "thai"
    return [
        Visit(
            "reports:document_settings",
            "get",
            url,
            [LOGIN, 404, 403, 403, 403, 200, *OUT, 200, 403, 404],
        ),
        Visit(
            "reports:document_settings",
            "post",
            url,
            [LOGIN, 404, 403, 403, 403, saved, *OUT, saved, 403, 404],
            data=lambda w: {
                **form_data(w.page("coordinator", url), form_id="document-settings"),
                "cover_thai_digits": flipped,
            },
            done=lambda seen: Organization.objects.filter(
                pk=org.pk, cover_thai_digits=not org.cover_thai_digits
            ).exists(),
            tables=(Organization,),
        ),
    ]


def reading_visits(world: World) -> list[Visit]:
    m1, slug = world.measure, world.org.slug
    evidence = world.progress.evidence.get()
    members = [LOGIN, 404, 200, 404, 200, 200, *OUT, 200, 200, 404]
    readers = [LOGIN, 404, 403, 403, 200, 200, *OUT, 200, 200, 404]
    overseers = [LOGIN, *[403] * 8, 200, 200, 200]
    rollup = Go(reverse("oversight:oversight", args=[2566, 12]))
    report = world.report
    return [
        *_reads("home", reverse("home"), [200] * 12)[:1],
        # Home answers whatever the method, and writes nothing.
        Visit("home", "post", reverse("home"), [200] * 12, data={}),
        *_reads("progress:detail", reverse("progress:detail", args=[m1.pk]), members),
        *_reads("progress:evidence", reverse("progress:evidence", args=[evidence.pk]), members),
        *_reads("reports:page", reverse("reports:page", args=[slug, 2566, 6]), readers),
        *_reads("reports:pdf", reverse("reports:pdf", args=[slug, 2566, 6]), readers),
        *_reads(
            "oversight:dashboard", reverse("oversight:dashboard", args=[slug, 2566, 12]), readers
        ),
        # Published: open to everyone, to read only.
        *_reads(
            "reports:public_index", reverse("reports:public_index", args=[slug]), [200] * 12, False
        ),
        *_reads(
            "reports:public_pdf",
            reverse("reports:public_pdf", args=[slug, 2566, 6]),
            [200] * 12,
            False,
        ),
        *_reads(
            "reports:public_version",
            reverse("reports:public_version", args=[slug, 2566, 6, report.version]),
            [200] * 12,
            False,
        ),
        # The roll-up across agencies: overseers (each sees their own scope) and the
        # superuser, sent on to the newest year's; members of one agency are refused.
        *_reads(
            "oversight:oversight_index",
            reverse("oversight:oversight_index"),
            [LOGIN, *[403] * 8, rollup, rollup, rollup],
        ),
        *_reads("oversight:oversight", reverse("oversight:oversight", args=[2566, 12]), overseers),
        *_reads(
            "oversight:oversight_export",
            reverse("oversight:oversight_export", args=[2566, 12, "xlsx"]),
            overseers,
        ),
    ]


def account_visits(world: World) -> list[Visit]:
    """Signing in and out, and one's own password. Signing in writes the sign-in (the
    person "signin", whom nobody else uses); logging out ends the session."""
    users = get_user_model().objects
    signed_in = [200] * 11
    change = reverse("password_change")
    changed = Wrote(Go(reverse("password_change_done")))
    return [
        Visit("login", "get", reverse("login"), [200] * 12),
        Visit(
            "login",
            "post",
            reverse("login"),
            [Wrote(Go(reverse("home")))] * 12,
            data=lambda w: {
                **form_data(w.page("anonymous", reverse("login"))),
                "username": "signin",
                "password": PASSWORD,
            },
            done=lambda seen: users.filter(username="signin", last_login__isnull=False).exists(),
        ),
        Visit("logout", "get", reverse("logout"), [405] * 12),
        # Logging out is a POST (Django 5); it always lands on the login page.
        Visit(
            "logout",
            "post",
            reverse("logout"),
            [Go(reverse("login")), *[Wrote(Go(reverse("login")))] * 11],
            data={},
            done=session_ended,
        ),
        Visit("password_change", "get", change, [LOGIN, *signed_in]),
        Visit(
            "password_change",
            "post",
            change,
            [LOGIN, *[changed] * 11],
            data={
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
            done=lambda seen: (
                seen.user is not None and users.get(pk=seen.user.pk).check_password(NEW_PASSWORD)
            ),
        ),
        *_reads("password_change_done", reverse("password_change_done"), [LOGIN, *signed_in]),
        # Without mail configured, these pages say whom to ask for a new password,
        # whatever the method.
        *_always("password_reset", reverse("password_reset"), {"email": "coord@example.com"}),
        *_always("password_reset_done", reverse("password_reset_done"), {}),
        *_always(
            "password_reset_confirm",
            reverse("password_reset_confirm", args=["MQ", "set-password"]),
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        ),
        *_reads("password_reset_complete", reverse("password_reset_complete"), [200] * 12, False),
        # The load balancer's probe: no login, no data.
        *_reads("healthz", reverse("healthz"), [200] * 12, False),
        # The scraper's metrics: superusers (or the bearer token, ita_portal/tests/test_metrics.py).
        *_reads("metrics", reverse("metrics"), [403] * 9 + [200, 403, 403], False),
    ]


def session_ended(seen) -> bool:
    """The person's session is gone: they are logged out."""
    return (
        seen.session_key is not None
        and not Session.objects.filter(session_key=seen.session_key).exists()
    )


def _always(name, url, data) -> list[Visit]:
    return [Visit(name, "get", url, [200] * 12), Visit(name, "post", url, [200] * 12, data=data)]


def portal_visits(world: World) -> list[Visit]:
    return [
        *reading_visits(world),
        *progress_visits(world),
        *review_and_part_visits(world),
        *round_visits(world),
        *report_visits(world),
        *settings_visits(world),
        *account_visits(world),
        *reminder_visits(world),
    ]


def reminder_visits(world: World) -> list[Visit]:
    """One's own reminders by e-mail, turned off (the form sent without its tick):
    everyone signed in, for themselves only."""
    url = reverse("reminders:preferences")
    return [
        Visit("reminders:preferences", "get", url, [LOGIN, *[200] * 11]),
        Visit(
            "reminders:preferences",
            "post",
            url,
            [LOGIN, *[Wrote(Go(url))] * 11],
            data={},
            done=lambda seen: ReminderPreference.objects.filter(
                user=seen.user, enabled=False
            ).exists(),
            tables=(ReminderPreference,),
        ),
    ]
