"""The agency's ITA results: its coordinator (and the superuser) enter them on the
portal; the superuser imports many agencies' at once in the admin, and overseers of
the whole installation on the portal (/results/import/: the upload starts the
preview's job, whose page shows the preview; the confirm by the one who previewed
starts the import's; both followed on the job's page). Everyone else may not."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ita_portal.tests.permission_walk.admin_site import admin_only
from ita_portal.tests.permission_walk.portal import OUT, no_post
from ita_portal.tests.permission_walk.walker import LOGIN, ROLES, Go, Visit, Wrote
from ita_portal.tests.permission_walk.world import World
from jobs.models import Job
from jobs.tasks import run
from results import importing
from results.models import ITAResult
from results.scores import catalogue_indicators
from testing.forms import form_data

IMPORT = reverse("admin:results_itaresult_import")


def _result_of(world: World):
    return ITAResult.objects.filter(organization=world.org, fiscal_year__year=2566)


def portal_result_visits(world: World) -> list[Visit]:
    slug = world.org.slug
    index = reverse("results:index", args=[slug])
    form = reverse("results:form", args=[slug, 2566])
    saved = Wrote(Go(form))
    # Members who may not enter results, and the overseer of A, get 403.
    entering = [LOGIN, 404, 403, 403, 403, 200, *OUT, 200, 403, 404]
    return [
        Visit("results:index", "get", index, entering),
        Visit("results:index", "post", index, no_post(entering)),
        Visit("results:form", "get", form, entering),
        Visit(
            "results:form",
            "post",
            form,
            [LOGIN, 404, 403, 403, 403, saved, *OUT, saved, 403, 404],
            data=lambda w: {
                **form_data(w.page("coordinator", form), form_id="result-form"),
                "target": "80",
            },
            done=lambda seen: _result_of(world).filter(target=80).exists(),
            tables=(ITAResult,),
        ),
    ]


def _sheet(world: World) -> SimpleUploadedFile:
    """The assessment's sheet of 2566 with agency A's scores, all 95."""
    indicators = catalogue_indicators(world.measure.fiscal_year)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["หน่วยงาน", *[f"ตัวชี้วัดที่ {i.number}" for i in indicators], "คะแนนรวม"])
    writer.writerow([world.org.name, *["95.00"] * len(indicators), "95.00"])
    return SimpleUploadedFile("ita-2566.csv", out.getvalue().encode("utf-8-sig"))


def _upload(w, world: World) -> dict:
    return {
        **form_data(w.page("superuser", IMPORT), form_id="import-form"),
        "fiscal_year": str(world.measure.fiscal_year_id),
        "file": _sheet(world),
    }


def _previewed(w, world: World, role: str) -> dict:
    """The confirm form of `role`'s preview: the upload's service and its job run
    here, outside the walk's rolled-back requests (its upload is a visit of its own),
    the form read on the job's page as `role` sees it."""
    sheet = _sheet(world)
    job = importing.start_preview(
        user=world.people[role],
        fiscal_year=world.measure.fiscal_year,
        content=sheet.read(),
        name=sheet.name,
    )
    run(job.pk)  # as a worker takes it
    page = w.page(role, reverse("results:import_job", args=[job.pk]))
    assert 'id="confirm-form"' in page, page
    return form_data(page, form_id="confirm-form")


def _previewing(seen) -> bool:
    """The upload's preview job waits for a worker (one finished before is not it)."""
    return Job.objects.filter(
        kind=Job.Kind.RESULTS_PREVIEW, requested_by=seen.user, state=Job.State.QUEUED
    ).exists()


# The upload starts the preview's job and the confirm the import's, each followed on
# the portal's page of the job.
TO_JOB = Wrote(Go(r"/results/import/jobs/[0-9]+/", pattern=True))


def admin_result_visits(world: World) -> list[Visit]:
    """Coordinators may not import results (403); the overseer of the whole
    installation, who may, is not in the admin (not staff)."""
    superuser_only = [
        {"superuser": 200, "coordinator": 403, "coordinator_b": 403}.get(r, answer)
        for r, answer in zip(ROLES, admin_only(200), strict=True)
    ]
    started = [TO_JOB if answer == 200 else answer for answer in superuser_only]
    return [
        Visit("admin:results_itaresult_import", "get", IMPORT, superuser_only),
        Visit(
            "admin:results_itaresult_import",
            "post",
            IMPORT,
            started,
            data=lambda w: _upload(w, world),
            done=_previewing,
            tables=(ITAResult,),
        ),
        Visit(
            "admin:results_itaresult_import",
            "post",
            IMPORT,
            started,
            data=lambda w: _previewed(w, world, "superuser"),
            done=lambda seen: Job.objects.filter(
                kind=Job.Kind.RESULTS_IMPORT, requested_by=seen.user, state=Job.State.QUEUED
            ).exists(),
            tables=(ITAResult, Job),
        ),
    ]


# Who may import on the portal: the superuser and the overseer of the whole
# installation; every member of an agency and the overseer of one province get 403.
IMPORTERS = [
    {"anonymous": LOGIN, "superuser": 200, "overseer": 200}.get(role, 403) for role in ROLES
]


def _portal_upload(w, world: World, role: str) -> dict:
    return {
        **form_data(w.page(role, reverse("results:import")), form_id="import-form"),
        "fiscal_year": str(world.measure.fiscal_year_id),
        "file": _sheet(world),
    }


def portal_import_visits(world: World) -> list[Visit]:
    url = reverse("results:import")
    # The overseer's finished job: theirs and the superuser's to follow, no one else's.
    job = Job.objects.create(
        kind=Job.Kind.RESULTS_IMPORT,
        fiscal_year=world.measure.fiscal_year,
        requested_by=world.people["overseer"],
        state=Job.State.DONE,
        message="นำเข้าผลการประเมินแล้ว",
    )
    job_url = reverse("results:import_job", args=[job.pk])
    # The overseer's preview, done: theirs and the superuser's to read.
    preview = Job.objects.create(
        kind=Job.Kind.RESULTS_PREVIEW,
        fiscal_year=world.measure.fiscal_year,
        requested_by=world.people["overseer"],
        state=Job.State.DONE,
        message="ตรวจสอบไฟล์ ita.csv ผ่าน",
        params={
            "source_name": "ita.csv",
            "preview": {"total": 0, "created": 0, "changed": 0, "unchanged": 0, "rows": []},
        },
    )
    preview_url = reverse("results:import_job", args=[preview.pk])
    uploading = [TO_JOB if answer == 200 else answer for answer in IMPORTERS]
    # Only the person who previewed confirms: the superuser gets 403 on the overseer's.
    confirming = [
        {"overseer": TO_JOB, "superuser": 403}.get(role, answer)
        for role, answer in zip(ROLES, IMPORTERS, strict=True)
    ]
    return [
        Visit("results:import", "get", url, IMPORTERS),
        Visit(
            "results:import",
            "post",
            url,
            uploading,
            data=lambda w: _portal_upload(w, world, "overseer"),
            done=_previewing,
            tables=(ITAResult,),
        ),
        Visit(
            "results:import",
            "post",
            url,
            confirming,
            data=lambda w: _previewed(w, world, "overseer"),
            done=lambda seen: (
                Job.objects.filter(kind=Job.Kind.RESULTS_IMPORT, requested_by=seen.user)
                .exclude(pk=job.pk)
                .exists()
            ),
            tables=(ITAResult, Job),
        ),
        Visit("results:import_job", "get", job_url, IMPORTERS),
        Visit("results:import_job", "post", job_url, no_post(IMPORTERS)),
        Visit("results:import_job", "get", preview_url, IMPORTERS),
        Visit("results:import_job", "post", preview_url, no_post(IMPORTERS)),
    ]


def trend_visits(world: World) -> list[Visit]:
    """An agency's results over the years (oversight): whoever reads its dashboard."""
    url = reverse("oversight:agency_results", args=[world.org.slug])
    readers = [LOGIN, 404, 403, 403, 200, 200, *OUT, 200, 200, 404]
    return [
        Visit("oversight:agency_results", "get", url, readers),
        Visit("oversight:agency_results", "post", url, no_post(readers)),
    ]


def result_visits(world: World) -> list[Visit]:
    return [
        *portal_result_visits(world),
        *admin_result_visits(world),
        *portal_import_visits(world),
        *trend_visits(world),
    ]


def analysis_visits(world: World) -> list[Visit]:
    """The analysis built on the results (analysis app): the agency's readers
    (executive, coordinator, the superuser, the overseer of A) read it and its draft
    PDF; only the coordinator writes its texts, publishes and withdraws; the public
    reads the published PDFs only. Expects version 1 published (test_portal)."""
    from analysis.models import AnalysisDocument, PublishedAnalysis
    from ita_portal.tests.permission_walk.portal import MARK
    from jobs.models import Job

    slug = world.org.slug
    page = reverse("analysis:page", args=[slug, 2566])
    pdf = reverse("analysis:pdf", args=[slug, 2566])
    publish = reverse("analysis:publish", args=[slug, 2566])
    withdraw = reverse("analysis:withdraw", args=[slug, 2566, 1])
    readers = [LOGIN, 404, 403, 403, 200, 200, *OUT, 200, 200, 404]
    coordinator = [LOGIN, 404, 403, 403, 403, 200, *OUT, 403, 403, 404]

    def only_coordinator(answer):
        return [*coordinator[:5], answer, *coordinator[6:]]

    tables = (AnalysisDocument, PublishedAnalysis, Job)
    to_approval = only_coordinator(Go(reverse("approvals:analysis_request", args=[slug, 2566])))
    public = [200] * 12
    return [
        Visit("analysis:page", "get", page, readers),
        # A text for an indicator that is no weak point (A has no results): refused.
        Visit("analysis:page", "post", page, only_coordinator(400), data={}, tables=tables),
        Visit("analysis:pdf", "get", pdf, readers),
        Visit("analysis:pdf", "post", pdf, no_post(readers)),
        # A has an executive: publishing leads to sending the analysis for approval
        # (approvals:analysis_request, permission_walk.approvals), and starts nothing.
        Visit("analysis:publish", "get", publish, to_approval),
        Visit("analysis:publish", "post", publish, to_approval, data={}, tables=tables),
        Visit(
            "analysis:publish", "post", publish, to_approval, data={"confirm": "1"}, tables=tables
        ),
        Visit("analysis:withdraw", "get", withdraw, coordinator),
        Visit("analysis:withdraw", "post", withdraw, only_coordinator(400), data={}, tables=tables),
        Visit(
            "analysis:withdraw",
            "post",
            withdraw,
            only_coordinator(Wrote(Go(page))),
            data={"reason": MARK},
            done=lambda seen: PublishedAnalysis.objects.filter(withdrawal_reason=MARK).exists(),
            tables=tables,
        ),
        Visit("analysis:public_pdf", "get", f"/p/{slug}/2566/analysis.pdf", public),
        Visit(
            "analysis:public_pdf", "post", f"/p/{slug}/2566/analysis.pdf", no_post(public, False)
        ),
        Visit("analysis:public_version", "get", f"/p/{slug}/2566/analysis/v1.pdf", public),
        Visit(
            "analysis:public_version",
            "post",
            f"/p/{slug}/2566/analysis/v1.pdf",
            no_post(public, False),
        ),
    ]
