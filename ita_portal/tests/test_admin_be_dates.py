"""The admin writes dates in the Buddhist Era, like the rest of the portal: its
history pages, the date columns of its lists and its read-only date fields
(Django's Thai formats alone would print the CE year: 2026 for 2569)."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from catalogue import services as catalogue
from catalogue.models import Indicator, IndicatorWording
from jobs.models import Job
from measures.models import Round
from progress.models import Progress
from reports.models import PublishedReport
from testing.factories import UserFactory
from testing.forms import form_data
from testing.pages import visible_text

pytestmark = pytest.mark.django_db

# A fixed moment, and how the admin writes it.
WHEN = datetime(2026, 1, 15, 9, 30, tzinfo=ZoneInfo("Asia/Bangkok"))
WHEN_BE = "15 ม.ค. 2569 09:30 น."


def today_years() -> tuple[str, str]:
    """This year in BE, as the admin should write it, and in CE, as it must not."""
    year = timezone.localdate().year
    return str(year + 543), str(year)


def test_history_page_shows_a_change_made_today_in_be(coordinator_client, seed):
    progress = Progress.objects.filter(round__organization=seed.organization).first()
    url = reverse("admin:progress_progress_history", args=[progress.pk])

    text = visible_text(coordinator_client.get(url))

    be, ce = today_years()
    # The seed's three versions (created, sent, approved), all made today.
    years = re.findall(r"\d{1,2} [ก-๙.]+ (\d{4}) \d\d:\d\d น\.", text)
    assert years == [be] * 3
    assert ce not in text

    progress.history.filter(history_type="+").update(history_date=WHEN)
    text = visible_text(coordinator_client.get(url))
    assert f"{WHEN_BE} สร้าง" in text
    assert "2026" not in text


def test_djangos_own_history_page_is_in_be(coordinator_client, seed):
    """A round is edited in the admin (Django's LogEntry, not django-simple-history)."""
    round_ = Round.objects.get(organization=seed.organization, kind=Round.Kind.TWELVE_MONTHS)
    change = reverse("admin:measures_round_change", args=[round_.pk])
    data = form_data(coordinator_client.get(change).content.decode(), form_id="round_form")
    data["reporter_name"] = "นางสาวสมหญิง ตรวจงาน"
    assert coordinator_client.post(change, data).status_code == 302
    history = reverse("admin:measures_round_history", args=[round_.pk])

    be, ce = today_years()
    text = visible_text(coordinator_client.get(history))
    assert re.search(rf"\d{{1,2}} [ก-๙.]+ {be} \d\d:\d\d น\. coord", text)
    assert ce not in text

    LogEntry.objects.filter(object_id=str(round_.pk)).update(action_time=WHEN)
    assert f"{WHEN_BE} coord" in visible_text(coordinator_client.get(history))


def test_change_lists_show_dates_in_be_and_still_sort_by_them(coordinator_client, seed):
    rounds = visible_text(coordinator_client.get(reverse("admin:measures_round_changelist")))
    assert "1 ตุลาคม 2565 31 มีนาคม 2566" in rounds
    assert "1 ตุลาคม 2565 30 กันยายน 2566" in rounds
    assert "2022" not in rounds and "2023" not in rounds

    progress = reverse("admin:progress_progress_changelist")
    text = visible_text(coordinator_client.get(progress))
    be, ce = today_years()
    assert "ดำเนินการแล้วเสร็จ ผู้ประสานงานอนุมัติแล้ว 18 เมษายน 2566" in text
    assert re.search(rf"18 เมษายน 2566 \d{{1,2}} [ก-๙.]+ {be} \d\d:\d\d น\.", text)
    assert "2023" not in text and ce not in text
    # Sorted by the completion date column (the fifth), earliest first.
    by_date = visible_text(coordinator_client.get(progress + "?o=4"))
    dates = re.findall(r"\d{1,2} [ก-๙]+ 2566(?= \d)", by_date)
    assert dates == [
        "13 มีนาคม 2566",
        "24 มีนาคม 2566",
        "27 มีนาคม 2566",
        "30 มีนาคม 2566",
        *["31 มีนาคม 2566"] * 3,
        "18 เมษายน 2566",
    ]


def test_read_only_dates_of_jobs_and_published_reports_are_in_be(
    coordinator_client, coordinator, seed, media_root
):
    six = Round.objects.get(organization=seed.organization, kind=Round.Kind.SIX_MONTHS)
    job = Job.objects.create(
        kind=Job.Kind.PUBLISH, organization=seed.organization, round=six, state=Job.State.DONE
    )
    Job.objects.filter(pk=job.pk).update(created_at=WHEN, started_at=WHEN, finished_at=None)
    listing = visible_text(coordinator_client.get(reverse("admin:jobs_job_changelist")))
    assert f"{WHEN_BE} เผยแพร่รายงาน" in listing
    page = visible_text(coordinator_client.get(reverse("admin:jobs_job_change", args=[job.pk])))
    assert f"สั่งงานเมื่อ: {WHEN_BE} เริ่มทำงานเมื่อ: {WHEN_BE} เสร็จเมื่อ: -" in page
    assert "2026" not in page

    report = PublishedReport(
        round=six, version=1, sha256="0" * 64, size=10, published_by=coordinator
    )
    report.pdf.save("report.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
    report.save()
    PublishedReport.objects.filter(pk=report.pk).update(published_at=WHEN)
    listing = visible_text(
        coordinator_client.get(reverse("admin:reports_publishedreport_changelist"))
    )
    assert f"1 {WHEN_BE} coord" in listing
    page = visible_text(
        coordinator_client.get(reverse("admin:reports_publishedreport_change", args=[report.pk]))
    )
    assert f"เผยแพร่เมื่อ: {WHEN_BE} ถอนการเผยแพร่เมื่อ: -" in page
    assert "2026" not in page


def test_an_indicators_wordings_show_when_they_were_recorded_in_be(client, seed):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    indicator = Indicator.objects.get(tool__fiscal_year=seed.fiscal_year, number="4")
    wording = catalogue.record_wording(
        user=root,
        organization=seed.organization,
        indicator=indicator,
        wording="การใช้ทรัพย์สินของทางราชการ",
    )
    IndicatorWording.objects.filter(pk=wording.pk).update(created_at=WHEN)
    url = reverse("admin:catalogue_indicator_change", args=[indicator.pk])
    page = visible_text(client.get(url))
    assert WHEN_BE in page
    assert "2026" not in page
