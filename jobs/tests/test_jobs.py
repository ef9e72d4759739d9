"""Jobs: taken once, never stuck behind a lost one, followed in the admin by the
people of their own organization only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs import tasks
from jobs.models import Job
from reports.models import PublishedReport
from testing.factories import OrganizationFactory

# Every test writes its files (published PDFs) in a folder of its own.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def publish_url(round_) -> str:
    return reverse(
        "reports:publish", args=[round_.organization.slug, round_.fiscal_year.year, round_.kind]
    )


def test_a_job_delivered_twice_runs_once(six, coordinator):
    job = Job.objects.create(
        kind=Job.Kind.PUBLISH,
        organization=six.organization,
        round=six,
        requested_by=coordinator,
    )
    tasks.run(job.pk)
    tasks.run(job.pk)  # the broker delivers the same message again
    assert PublishedReport.objects.get().version == 1
    job.refresh_from_db()
    assert job.state == Job.State.DONE


@pytest.mark.django_db(transaction=True)
def test_a_job_no_worker_took_does_not_stand_in_the_way(client, six, settings, coordinator):
    coordinator = coordinator
    lost = Job.objects.create(
        kind=Job.Kind.PUBLISH, organization=six.organization, round=six, requested_by=coordinator
    )
    Job.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.ITA_JOB_QUEUE_SECONDS + 1)
    )
    client.force_login(coordinator)
    page = client.post(publish_url(six), {"confirm": "1"}, follow=True).content.decode()
    assert "เผยแพร่รายงานฉบับที่ 1 แล้ว" in page
    lost.refresh_from_db()
    assert lost.state == Job.State.FAILED
    assert lost.message == (
        "เผยแพร่ไม่สำเร็จ: ไม่มีเครื่องประมวลผลงานรับงานนี้ไปทำภายในเวลาที่กำหนด "
        "กรุณาลองอีกครั้ง หากยังไม่สำเร็จให้แจ้งผู้ดูแลระบบ "
        "ยังไม่ได้เผยแพร่ รายงานที่เผยแพร่ไว้และลิงก์สาธารณะไม่เปลี่ยนแปลง"
    )
    # Should a worker take it after all, it is not run.
    tasks.run(lost.pk)
    assert PublishedReport.objects.count() == 1


def test_a_job_whose_worker_died_is_shown_as_stopped(client, six, settings, coordinator):
    coordinator = coordinator
    stopped = Job.objects.create(
        kind=Job.Kind.PUBLISH,
        organization=six.organization,
        round=six,
        requested_by=coordinator,
        state=Job.State.RUNNING,
        started_at=timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 61),
    )
    client.force_login(coordinator)
    page = client.get(reverse("reports:page", args=["ubon-pao", 2566, 6]) + f"?job={stopped.pk}")
    html = page.content.decode()
    assert "เผยแพร่ไม่สำเร็จ: งานหยุดไปก่อนเสร็จ (เครื่องประมวลผลงานหยุดทำงาน)" in html
    assert 'http-equiv="refresh"' not in html


def test_the_job_list_shows_only_the_users_own_organizations(client, six, coordinator):
    other = OrganizationFactory(name="เทศบาลตำบลอื่น")
    mine = Job.objects.create(
        kind=Job.Kind.PUBLISH,
        organization=six.organization,
        round=six,
        state=Job.State.FAILED,
        message="เผยแพร่ไม่สำเร็จ: ของหน่วยงานเรา",
    )
    theirs = Job.objects.create(
        kind=Job.Kind.ROLLOVER,
        organization=other,
        state=Job.State.DONE,
        message="ของหน่วยงานอื่น",
    )
    client.force_login(coordinator)
    listing = client.get(reverse("admin:jobs_job_changelist")).content.decode()
    assert reverse("admin:jobs_job_change", args=[mine.pk]) in listing
    assert reverse("admin:jobs_job_change", args=[theirs.pk]) not in listing
    assert "เทศบาลตำบลอื่น" not in listing
    # The admin's home offers the list to coordinators.
    assert (
        reverse("admin:jobs_job_changelist") in client.get(reverse("admin:index")).content.decode()
    )
    page = client.get(reverse("admin:jobs_job_change", args=[mine.pk])).content.decode()
    assert "เผยแพร่ไม่สำเร็จ: ของหน่วยงานเรา" in page
    assert 'http-equiv="refresh"' not in page
    assert 'name="_save"' not in page
