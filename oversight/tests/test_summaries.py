"""The roll-up's summary rows (oversight.summaries) under concurrent writes, on
PostgreSQL with real transactions in two threads (as measures/tests/test_races.py),
and the operators' command. What the rows say after each kind of write, and as the
date moves, is in reports/tests/test_rollup_summaries.py."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from demo.generate_agencies import generate_agencies
from measures.models import Measure, Round
from organizations.access import SYSTEM
from organizations.models import Organization
from oversight import summaries
from oversight.models import RoundSummary
from progress.models import Progress
from progress.services import ProgressInput, save_progress
from testing.factories import OrganizationFactory
from testing.threads import (
    HeldOpen,
    Worker,
    postgresql_only,
    wait_until_someone_waits_for_a_lock,
)

TODAY = date(2023, 6, 1)


def in_progress() -> ProgressInput:
    return ProgressInput(
        status="in_progress", completed_on=None, result_text="เริ่มดำเนินการแล้ว", cannot_reason=""
    )


def summary(organization) -> RoundSummary:
    return RoundSummary.objects.get(organization=organization, kind=12)


@pytest.fixture
def no_refresh_after_commit(monkeypatch):
    """A write refreshes its rows once committed; turned off here, so that what a row
    says is what the refresh under test (or a write's mark) left in it."""
    monkeypatch.setattr(summaries, "_refresh_marked", lambda years: None)


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("row", ["missing", "computed"])
def test_a_refresh_waits_for_a_write_under_way_and_counts_it(seed, no_refresh_after_commit, row):
    org, fy = seed.organization, seed.fiscal_year
    RoundSummary.objects.all().delete()
    if row == "computed":
        summaries.refresh([org.pk], fy, 12, TODAY)
        assert summary(org).in_progress == 0
    measure = Measure.objects.get(organization=org, order=2)
    twelve = Round.objects.get(organization=org, kind=12)
    # The write has marked the row and not committed yet (a large file, say).
    writer = HeldOpen(
        lambda: save_progress(
            measure=measure, round_=twelve, user=SYSTEM, data=in_progress(), seen_version=0
        )
    )
    writer.start()
    refresher = Worker(lambda: summaries.refresh([org.pk], fy, 12, TODAY))
    refresher.start()
    wait_until_someone_waits_for_a_lock()  # the refresh waits for the write
    writer.commit()
    refresher.outcome()

    # Computed after the write committed, and so counting it.
    stored = summary(org)
    assert stored.fresh_through is not None
    assert (stored.in_progress, stored.not_started) == (1, 7)
    assert stored.last_activity == Progress.objects.get(measure=measure, round=twelve).updated_at


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_write_during_a_refresh_waits_and_marks_the_row_again(seed, no_refresh_after_commit):
    org, fy = seed.organization, seed.fiscal_year
    measure = Measure.objects.get(organization=org, order=2)
    twelve = Round.objects.get(organization=org, kind=12)
    refresher = HeldOpen(lambda: summaries.refresh([org.pk], fy, 12, TODAY))
    refresher.start()
    writer = Worker(
        lambda: save_progress(
            measure=measure, round_=twelve, user=SYSTEM, data=in_progress(), seen_version=0
        )
    )
    writer.start()
    wait_until_someone_waits_for_a_lock()  # the write's mark waits for the refresh
    assert not Progress.objects.filter(measure=measure, round=twelve).exists()
    refresher.commit()
    writer.outcome()

    # The refresh counted without the write; the write marked the row after it.
    stored = summary(org)
    assert stored.fresh_through is None
    assert stored.in_progress == 0
    # The next reader computes it again.
    assert summaries.refresh_stale(Organization.objects.all(), fy, 12, TODAY) == 1
    assert summary(org).in_progress == 1


def test_the_command_refreshes_what_is_stale_or_missing(seed):
    out = io.StringIO()
    call_command("refresh_summaries", "--fiscal-year", "2566", stdout=out)
    # The seed's marks left its two rows changed; both rounds of the one agency.
    assert out.getvalue().strip() == "ปีงบประมาณ พ.ศ. 2566: คำนวณสรุปใหม่ 2 รายการ (รอบ 6 และ 12 เดือน)"
    assert not RoundSummary.objects.filter(fresh_through=None).exists()
    assert RoundSummary.objects.get(kind=6).done == 8
    out = io.StringIO()
    call_command("refresh_summaries", stdout=out)
    assert out.getvalue().strip() == "ปีงบประมาณ พ.ศ. 2566: คำนวณสรุปใหม่ 0 รายการ (รอบ 6 และ 12 เดือน)"
    call_command("refresh_summaries", "--all", stdout=out)
    assert "คำนวณสรุปใหม่ 2 รายการ" in out.getvalue()
    with pytest.raises(CommandError, match="ไม่พบปีงบประมาณ พ.ศ. 2599 ในระบบ"):
        call_command("refresh_summaries", "--fiscal-year", "2599")


def test_the_rows_go_with_their_agency(seed):
    agency = OrganizationFactory()
    summaries.refresh_all([seed.fiscal_year], everything=True)
    pk = agency.pk
    assert RoundSummary.objects.filter(organization_id=pk).count() == 2
    agency.delete()
    assert not RoundSummary.objects.filter(organization_id=pk).exists()
    assert RoundSummary.objects.filter(organization=seed.organization).count() == 2


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_write_while_a_refresh_waits_goes_first_and_is_counted(seed, no_refresh_after_commit):
    """A refresh locks its rows in organization order before it computes. Here it is
    held up at the first agency's row (someone else has it locked) while a write comes
    for the second agency: the write's mark takes the second agency's row, which the
    refresh has not reached, so the write commits at once; the refresh then locks that
    row and computes it after the write, counting it. The row is never fresh without
    the write."""
    first, fy = seed.organization, seed.fiscal_year
    second = generate_agencies(count=1, fiscal_year=2566, seed=3, today=TODAY).organizations[0]
    assert first.pk < second.pk  # the refresh locks the rows in this order
    measure = Measure.objects.filter(organization=second).order_by("order").first()
    twelve = Round.objects.get(organization=second, kind=12)
    Progress.objects.filter(measure=measure, round=twelve).delete()
    summaries.refresh([first.pk, second.pk], fy, 12, TODAY)
    before = summary(second).in_progress
    holder = HeldOpen(
        lambda: list(RoundSummary.objects.select_for_update().filter(organization=first, kind=12)),
        timeout=20,
    )
    holder.start()
    refresher = Worker(lambda: summaries.refresh([first.pk, second.pk], fy, 12, TODAY))
    refresher.start()
    wait_until_someone_waits_for_a_lock()  # the refresh, for the first agency's row
    writer = Worker(
        lambda: save_progress(
            measure=measure, round_=twelve, user=SYSTEM, data=in_progress(), seen_version=0
        )
    )
    writer.start()
    # The write is done while the refresh still waits (were it held up by the refresh,
    # it would end only once the holder gave up after 20 s, and the holder would fail).
    writer.outcome()
    assert refresher.is_alive()
    assert Progress.objects.get(measure=measure, round=twelve).status == "in_progress"
    assert summary(second).fresh_through is None  # marked by the write
    holder.commit()
    holder.outcome()
    refresher.outcome()

    # Computed after the write: fresh, and counting it; nothing left to refresh.
    stored = summary(second)
    assert stored.fresh_through is not None
    assert stored.in_progress == before + 1
    assert summaries.refresh_stale(Organization.objects.all(), fy, 12, TODAY) == 0
