"""Issue 18, items 1-2, and issue 17, item 4, on both databases: how a job whose worker
died is taken over (the same functions jobs/worker.py calls in a real worker, run here
where jobs run in the calling process), what the pages say of every kind of job, the
bound on one person's drafts, and what may stay in storage.

The same, with real workers killed: test_worker_kills.py (PostgreSQL)."""

import io
import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jobs import tasks
from jobs.models import Job
from jobs.recovery_services import recover_node, sweep_stopped
from measures.models import Round
from organizations.models import Membership
from reports.models import PublishedReport
from reports.pdf import drafts
from testing.factories import member
from testing.pages import element_text

pytestmark = pytest.mark.django_db

PUBLISHED = "เผยแพร่รายงานฉบับที่ 1 แล้ว ลิงก์สาธารณะแสดงฉบับนี้ตั้งแต่บัดนี้"


def dead_pid() -> int:
    """The process id of a process that has ended."""
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    return int(ended.stdout)


def running(kind, coordinator, worker: str, **fields) -> Job:
    """A job a worker took and was running (its beat as `fields` say)."""
    return Job.objects.create(
        kind=kind,
        organization=coordinator.memberships.get().organization,
        requested_by=coordinator,
        state=Job.State.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        worker=worker,
        attempts=1,
        **fields,
    )


def test_a_message_delivered_again_after_its_process_died_runs_the_job_again(
    coordinator, six, media_root
):
    job = running(Job.Kind.PUBLISH, coordinator, f"urgent@host/{dead_pid()}", round=six)
    tasks.run(job.pk, "urgent@host/1")  # Celery delivers it again to another process
    job.refresh_from_db()
    assert (job.state, job.message, job.attempts) == (Job.State.DONE, PUBLISHED, 2)
    assert job.result_id == PublishedReport.objects.get().pk


def test_a_message_delivered_twice_while_its_job_runs_is_not_run(coordinator, six):
    job = running(Job.Kind.PUBLISH, coordinator, f"urgent@host/{os.getpid()}", round=six)
    tasks.run(job.pk, "urgent@host/1")
    job.refresh_from_db()
    assert (job.state, job.worker) == (Job.State.RUNNING, f"urgent@host/{os.getpid()}")
    assert not PublishedReport.objects.exists()


def test_a_worker_starting_again_runs_again_what_its_earlier_life_left(
    coordinator, six, media_root
):
    mine = running(Job.Kind.PUBLISH, coordinator, "urgent@host/4242", round=six)
    # Another worker's job, beating: not this worker's to take over.
    theirs = running(Job.Kind.ROLLOVER, coordinator, "urgent@other/4242", params={"to_year": 0})
    assert recover_node("urgent@host") == [mine.pk]
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert (mine.state, mine.message) == (Job.State.DONE, PUBLISHED)
    assert theirs.state == Job.State.RUNNING


def test_a_job_whose_worker_stopped_beating_is_run_again_by_another(
    coordinator, six, media_root, settings
):
    silent = timezone.now() - timedelta(seconds=7 * settings.ITA_JOB_HEARTBEAT_SECONDS)
    job = running(Job.Kind.PUBLISH, coordinator, "urgent@gone/7", round=six)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=silent)
    assert sweep_stopped() == [job.pk]
    job.refresh_from_db()
    assert (job.state, job.message) == (Job.State.DONE, PUBLISHED)


def test_a_job_that_stopped_its_worker_each_time_is_not_taken_for_ever(coordinator, six):
    job = running(Job.Kind.PUBLISH, coordinator, "urgent@host/4242", round=six)
    Job.objects.filter(pk=job.pk).update(attempts=3)
    recover_node("urgent@host")
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.message == (
        "เผยแพร่ไม่สำเร็จ: งานหยุดไปก่อนเสร็จ 3 ครั้ง (เครื่องประมวลผลงานหยุดทำงานระหว่างทำงานนี้ทุกครั้ง) "
        "กรุณาลองอีกครั้ง หากยังไม่สำเร็จให้แจ้งผู้ดูแลระบบ "
        "ยังไม่ได้เผยแพร่ รายงานที่เผยแพร่ไว้และลิงก์สาธารณะไม่เปลี่ยนแปลง"
    )
    assert not PublishedReport.objects.exists()


@pytest.mark.parametrize("beating", [True, False])
@pytest.mark.parametrize(
    ("kind", "said"),
    [
        (Job.Kind.IMPORT, "นำเข้าไม่สำเร็จ: งานหยุดไปก่อนเสร็จ"),
        (Job.Kind.ROLLOVER, "ยกมาตรการไม่สำเร็จ: งานหยุดไปก่อนเสร็จ"),
    ],
)
def test_an_import_or_rollover_whose_worker_died_is_not_shown_running(
    client, coordinator, seed, settings, kind, said, beating
):
    """Item 2: their admin page (and list) checked them for staleness as the report
    page checks a publication: silent for twelve beats, or (a job taken without beats)
    past the time limit."""
    if beating:
        job = running(kind, coordinator, "urgent@gone/7", fiscal_year=seed.fiscal_year)
        silent = timedelta(seconds=13 * settings.ITA_JOB_HEARTBEAT_SECONDS)
        Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - silent)
    else:
        job = Job.objects.create(
            kind=kind,
            organization=seed.organization,
            fiscal_year=seed.fiscal_year,
            requested_by=coordinator,
            state=Job.State.RUNNING,
            started_at=timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 61),
        )
    client.force_login(coordinator)
    page = client.get(reverse("admin:jobs_job_change", args=[job.pk]))
    status = element_text(page, "job-status")
    assert status.startswith(said) and "(เครื่องประมวลผลงานหยุดทำงาน)" in status
    assert 'http-equiv="refresh"' not in page.content.decode()
    listing = client.get(reverse("admin:jobs_job_changelist")).content.decode()
    assert '<td class="field-state">ไม่สำเร็จ</td>' in listing


def test_a_persons_fourth_draft_waits_without_being_queued(client, coordinator, seed, settings):
    rounds = list(Round.objects.filter(organization=seed.organization))
    twelve = next(r for r in rounds if r.kind == Round.Kind.TWELVE_MONTHS)
    overseer = member(seed.organization, Membership.Role.COORDINATOR, "reader")
    for n in range(settings.ITA_DRAFTS_PER_PERSON):  # under way: queued behind others
        Job.objects.create(
            kind=Job.Kind.DRAFT_PDF,
            organization=seed.organization,
            round=twelve,
            requested_by=overseer,
            content_sha256=f"{n:064d}",
        )
    client.force_login(overseer)
    url = reverse("reports:pdf", args=["ubon-pao", 2566, 6])
    answer = client.get(url)
    assert answer["Retry-After"] == "30"
    assert element_text(answer, "draft-job", status=429) == (
        "กำลังจัดทำไฟล์ PDF อื่นของคุณอยู่ 3 ไฟล์ (ได้พร้อมกันไม่เกิน 3 ไฟล์) กรุณารอให้ไฟล์เหล่านั้นเสร็จก่อน แล้วลองอีกครั้ง"
    )
    assert Job.objects.count() == 3
    # Another person is not held by them.
    client.force_login(coordinator)
    waiting = element_text(client.get(url), "draft-job", status=202)
    assert waiting.startswith("กำลังจัดทำไฟล์ PDF (รอคิว)")
    assert Job.objects.filter(requested_by=coordinator, state=Job.State.QUEUED).count() == 1


@pytest.mark.django_db(transaction=True)  # the jobs run as their requests commit
def test_a_draft_a_killed_render_left_half_written_is_made_again(coordinator_client, six):
    url = reverse("reports:pdf", args=["ubon-pao", 2566, 6])
    whole = b"".join(coordinator_client.get(url).streaming_content)
    name = drafts.current(six).name
    default_storage.delete(name)
    default_storage.save(name, ContentFile(whole[: len(whole) // 2]))  # the render was killed
    served = b"".join(coordinator_client.get(url).streaming_content)
    assert served.startswith(b"%PDF") and b"%%EOF" in served[-1024:]
    assert len(served) > len(whole) // 2


@pytest.mark.django_db(transaction=True)  # the jobs run as their requests commit
def test_sweep_files_removes_only_old_files_no_row_owns(coordinator_client, six, media_root):
    url = reverse("reports:pdf", args=["ubon-pao", 2566, 6])
    coordinator_client.get(url).close()  # a draft its job owns
    coordinator_client.post(
        reverse("reports:publish", args=["ubon-pao", 2566, 6]), {"confirm": "1"}
    )  # a published PDF its row owns
    owned = {drafts.current(six).name, PublishedReport.objects.get().pdf.name}
    orphans = {"published/ubon-pao/2566/round6-v2-abc.pdf", "drafts/ubon-pao/2566/round6/x.pdf"}
    young = "published/ubon-pao/2566/round6-v3-def.pdf"
    for name in [*orphans, young]:
        default_storage.save(name, ContentFile(b"%PDF-1.7 killed"))
    two_days_ago = time.time() - 49 * 3600
    for name in [*orphans, *owned]:
        os.utime(media_root / name, (two_days_ago, two_days_ago))

    said = io.StringIO()
    call_command("sweep_files", stdout=said)
    assert said.getvalue().endswith("ลบไฟล์ที่ไม่มีข้อมูลอ้างถึง 2 ไฟล์\n")

    stored = {str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()}
    assert stored == owned | {young}
