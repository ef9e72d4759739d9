"""Migration 0013 moved models out of the measures app into organizations, catalogue,
progress and oversight, and jobs 0003 replaced a job's key into reports by the id
of what it made. On a database holding the seed, demo agencies with their
publications, generated agencies, memberships, progress and a finished publishing
job, going back before the move and forward again loses no row: every table keeps
its rows, the content types (and so the coordinators' permissions) follow the
models, and the job still leads to its publication."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from demo.generate_agencies import generate_agencies
from demo.generated import publish_generated
from jobs.models import Job
from measures.models import Round
from organizations.models import Membership, Organization
from organizations.services import add_member, coordinator_group
from progress.models import Progress
from reports.models import PublishedReport
from testing.factories import UserFactory

BEFORE_THE_MOVE = [
    ("measures", "0012_round_summaries_fillfactor"),
    ("jobs", "0001_initial"),
]
MOVED_TABLES = [
    "measures_province",
    "measures_district",
    "measures_organization",
    "measures_division",
    "measures_membership",
    "measures_membership_divisions",
    "measures_overseerscope",
    "measures_fiscalyear",
    "measures_assessmenttool",
    "measures_indicator",
    "measures_indicatorwording",
    "measures_progress",
    "measures_historicalprogress",
    "measures_stepprogress",
    "measures_divisionpart",
    "measures_evidence",
    "measures_roundsummary",
    "measures_measure",
    "measures_step",
    "measures_round",
    "reports_publishedreport",
    "jobs_job",
    "auth_group_permissions",
]


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in MOVED_TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
        return counts


def label_of(model: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app_label FROM django_content_type WHERE model = %s", [model])
        return ",".join(sorted(row[0] for row in cursor.fetchall()))


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_going_back_before_the_move_and_forward_again_loses_no_row():
    call_command("load_seed", "--no-demo-users", verbosity=0)
    made = generate_agencies(count=6, fiscal_year=2566, seed=7, measures_per_agency=3)
    publish_generated(made.published)
    organization = Organization.objects.get(slug="ubon-pao")
    add_member(
        member=UserFactory(username="coord"),
        organization=organization,
        role=Membership.Role.COORDINATOR,
    )
    report = PublishedReport.objects.first()
    job = Job.objects.create(
        kind=Job.Kind.PUBLISH,
        organization=report.round.organization,
        round=report.round,
        state=Job.State.DONE,
        result_id=report.pk,
    )
    before = row_counts()
    assert before["measures_organization"] >= 7 and before["measures_progress"] > 0
    assert before["auth_group_permissions"] == coordinator_group().permissions.count() > 0
    assert label_of("organization") == "organizations"

    migrate(BEFORE_THE_MOVE)
    assert row_counts() == before
    assert (label_of("organization"), label_of("progress"), label_of("fiscalyear")) == (
        "measures",
        "measures",
        "measures",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT published_report_id FROM jobs_job WHERE id = %s", [job.pk])
        assert cursor.fetchone()[0] == report.pk

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert row_counts() == before
    assert (label_of("organization"), label_of("progress"), label_of("roundsummary")) == (
        "organizations",
        "progress",
        "oversight",
    )
    assert Job.objects.get(pk=job.pk).result_link()[0] == "ไฟล์ PDF ที่เผยแพร่ (ฉบับที่ 1)"
    assert Organization.objects.count() == before["measures_organization"]
    assert Progress.objects.count() == before["measures_progress"]
    assert Round.objects.count() == before["measures_round"]
    # The coordinators' group keeps its rights (row_counts above), on the same models.
    rights = set(coordinator_group().permissions.values_list("content_type__app_label", "codename"))
    assert ("progress", "change_progress") in rights and len(rights) == before[
        "auth_group_permissions"
    ]
