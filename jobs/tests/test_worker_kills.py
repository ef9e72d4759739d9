"""Issue 18, items 1-3: jobs whose worker is killed, or whose broker loses its messages,
against real processes: a redis-server of the test's own, Celery workers started as
deploy/supervisord.conf starts them, SIGKILLed (the worker and its children at once,
as when its machine dies) at a moment PostgreSQL holds them at, then started again.

A worker that starts again takes over the jobs its earlier life left running and runs
them again (each kind is all or nothing and records its outcome with its work), and
sends again the queued jobs whose message the broker lost. What the job says is what
was committed, and no PDF stays on disk that no row owns."""

import uuid

import pytest
from django.urls import reverse

from catalogue import services as catalogue
from interchange.importer import parse_sheet
from interchange.jobs import sheet_payload
from interchange.tests.test_admin_import import edited_export
from jobs.models import Job
from jobs.registry import kind_of
from jobs.tests.workers import (
    RedisServer,
    Worker,
    end_waiting,
    needs_postgres,
    raw_connection,
    send,
    settled,
    wait_for,
    waiting_on_lock,
)
from measures.models import Measure
from reports.models import PublishedReport
from testing.local_services import redis_reachable

pytestmark = [
    needs_postgres,
    pytest.mark.skipif(not redis_reachable(), reason="no redis-server on this machine"),
    pytest.mark.django_db(transaction=True),
]

PUBLISHED = "เผยแพร่รายงานฉบับที่ 1 แล้ว ลิงก์สาธารณะแสดงฉบับนี้ตั้งแต่บัดนี้"


@pytest.fixture
def broker(tmp_path):
    server = RedisServer(tmp_path)
    yield server
    server.kill()


@pytest.fixture
def workers(broker, media_root, tmp_path):
    """Start workers as supervisord does ("worker": publishing, imports, rollovers;
    "drafts"); all are stopped at the end."""
    started = []

    def start(program: str = "worker") -> Worker:
        worker = Worker(program, broker.url, media_root, tmp_path / f"{program}.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def blocker():
    """A connection of the test's own to hold locks with; released however the test
    ends (a lock left held would stop the test database's clean-up)."""
    connection = raw_connection()
    yield connection
    connection.rollback()
    connection.close()


def queue(job: Job) -> str:
    """The queue jobs.services.enqueue sends the job to."""
    return kind_of(job.kind).queue


def new_job(kind, coordinator, **fields) -> Job:
    """A job as jobs.services.start makes it (its message sent by the test)."""
    return Job.objects.create(
        kind=kind,
        organization=coordinator.memberships.get().organization,
        requested_by=coordinator,
        task_id=str(uuid.uuid4()),
        **fields,
    )


def published_files(media_root) -> set[str]:
    folder = media_root / "published"
    return {str(p.relative_to(media_root)) for p in folder.rglob("*") if p.is_file()}


def test_a_publication_killed_after_writing_its_pdf_before_its_commit_is_published_once(
    broker, workers, blocker, coordinator, six, media_root
):
    job = new_job(Job.Kind.PUBLISH, coordinator, round=six)
    # Another transaction holds version 1 of the round: the worker's insert of its row
    # waits there, with its PDF already written.
    blocker.execute(
        "INSERT INTO reports_publishedreport (round_id, version, pdf, sha256, content_sha256,"
        " size, published_by_id, published_at, withdrawal_reason)"
        " VALUES (%s, 1, 'x', 'x', 'x', 1, %s, now(), '')",
        [six.pk, coordinator.pk],
    )
    first = workers()
    send(broker.url, job, queue(job))
    wait_for(
        lambda: waiting_on_lock('INSERT INTO "reports_publishedreport"'),
        120,
        lambda: f"the publication never reached its row:\n{first.output()}",
    )
    assert len(published_files(media_root)) == 1  # its PDF is on disk, its row is not
    first.kill()
    blocker.rollback()

    second = workers()
    job = settled(job)
    assert (job.state, job.message) == (Job.State.DONE, PUBLISHED), second.output()
    report = PublishedReport.objects.get()
    assert (report.version, job.result_id, job.attempts) == (1, report.pk, 2)
    # The file the killed attempt left is gone: only the row's own file is on disk.
    assert published_files(media_root) == {report.pdf.name}
    assert "Traceback" not in second.output()


def test_a_publication_killed_as_it_records_its_outcome_says_what_was_committed(
    broker, workers, blocker, client, coordinator, six, media_root
):
    """Killed between its publication and the job's record of it (the old order: a
    version live, the job still running, then said to have published nothing)."""
    job = new_job(Job.Kind.PUBLISH, coordinator, round=six)
    first = workers()
    send(broker.url, job, queue(job))
    wait_for(lambda: Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).exists(), 60,
             lambda: f"never taken:\n{first.output()}")  # fmt: skip
    # The job's row locked: the worker waits where it records what came of the job.
    blocker.execute("SELECT 1 FROM jobs_job WHERE id = %s FOR UPDATE", [job.pk])
    wait_for(
        lambda: waiting_on_lock('UPDATE "jobs_job" SET "state"'),
        120,
        lambda: f"the publication never recorded its outcome:\n{first.output()}",
    )
    first.kill()
    end_waiting('UPDATE "jobs_job" SET "state"')
    blocker.rollback()

    second = workers()
    job = settled(job)
    assert (job.state, job.message) == (Job.State.DONE, PUBLISHED), second.output()
    report = PublishedReport.objects.get()
    assert job.result_id == report.pk
    assert published_files(media_root) == {report.pdf.name}
    client.force_login(coordinator)
    page = client.get(reverse("reports:page", args=["ubon-pao", 2566, 6]) + f"?job={job.pk}")
    html = page.content.decode()
    assert PUBLISHED in html and "ยังไม่ได้เผยแพร่" not in html


def test_a_rollover_killed_mid_job_is_run_again_when_its_worker_starts_again(
    broker, workers, blocker, client, coordinator, seed
):
    target = catalogue.ensure_year(2567)
    if target is None:
        pytest.skip("the portal ships no catalogue of FY 2567")
    job = new_job(
        Job.Kind.ROLLOVER, coordinator, fiscal_year=seed.fiscal_year, params={"to_year": 2567}
    )
    # Another transaction holds measure 1 of FY 2567: the rollover's first insert waits
    # there, mid-job.
    columns = [
        name
        for (name,) in blocker.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'measures_measure' AND column_name <> 'id'"
        )
    ]
    listed = ", ".join(f'"{name}"' for name in columns)
    chosen = ", ".join("%s" if name == "fiscal_year_id" else f'"{name}"' for name in columns)
    blocker.execute(
        f"INSERT INTO measures_measure ({listed}) SELECT {chosen} FROM measures_measure"
        ' WHERE organization_id = %s AND fiscal_year_id = %s AND "order" = 1',
        [target.pk, seed.organization.pk, seed.fiscal_year.pk],
    )
    first = workers()
    send(broker.url, job, queue(job))
    wait_for(lambda: waiting_on_lock('INSERT INTO "measures_measure"'), 120,
             lambda: f"the rollover never wrote:\n{first.output()}")  # fmt: skip
    first.kill()
    blocker.rollback()

    workers()
    job = settled(job)
    created = Measure.objects.filter(organization=seed.organization, fiscal_year=target).count()
    assert job.state == Job.State.DONE, job.message
    assert job.message.startswith(f"{seed.organization}: ยกมาตรการ {created} รายการไปปีงบประมาณ")
    assert created > 0
    client.force_login(coordinator)
    page = client.get(reverse("admin:jobs_job_change", args=[job.pk])).content.decode()
    assert job.message in page and 'http-equiv="refresh"' not in page


def test_a_queued_import_whose_message_redis_lost_is_sent_again_from_the_database(
    broker, workers, coordinator, seed
):
    sheet = parse_sheet(edited_export(seed), seed.organization, seed.fiscal_year)
    job = new_job(
        Job.Kind.IMPORT,
        coordinator,
        fiscal_year=seed.fiscal_year,
        params={"round_kind": None, "create_divisions": False, "source_name": "measures.xlsx"},
        payload=sheet_payload(sheet),
    )
    send(broker.url, job, queue(job))
    # Redis dies with the message (no snapshot since) and starts again empty.
    broker.kill()
    broker.start()
    worker = workers()
    job = settled(job)
    assert (job.state, job.message) == (
        Job.State.DONE,
        "นำเข้าจากไฟล์ measures.xlsx เรียบร้อย (องค์การบริหารส่วนจังหวัดอุบลราชธานี "
        "ปีงบประมาณ พ.ศ. 2566): สร้างใหม่ 1 แก้ไข 1 ไม่เปลี่ยนแปลง 7",
    ), worker.output()
    assert Measure.objects.filter(organization=seed.organization).count() == 9
    assert job.payload is None


def test_a_publication_is_taken_while_drafts_wait_in_their_queue(
    broker, workers, blocker, coordinator, six
):
    """Issue 17, item 4: drafts have a queue and a worker of their own. The drafts'
    worker is held at its first draft (its job's row locked), four more wait behind it;
    the publication is taken and finished all the same."""
    drafts = [
        new_job(Job.Kind.DRAFT_PDF, coordinator, round=six, content_sha256=f"{n:064d}")
        for n in range(5)
    ]
    blocker.execute("SELECT 1 FROM jobs_job WHERE id = %s FOR UPDATE", [drafts[0].pk])
    workers("worker"), workers("drafts")
    for draft in drafts:
        send(broker.url, draft, queue(draft))
    wait_for(lambda: waiting_on_lock('UPDATE "jobs_job"'), 60, "the drafts' worker idle")
    job = new_job(Job.Kind.PUBLISH, coordinator, round=six)
    send(broker.url, job, queue(job))
    job = settled(job)
    assert (job.state, job.message) == (Job.State.DONE, PUBLISHED)
    states = list(Job.objects.filter(kind=Job.Kind.DRAFT_PDF).values_list("state", flat=True))
    assert states == [Job.State.QUEUED] * 5
