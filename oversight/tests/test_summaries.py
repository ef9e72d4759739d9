"""The roll-up's summary rows (oversight.summaries) under concurrent writes, on
PostgreSQL with real transactions in two threads (as measures/tests/test_races.py),
and the operators' command. What the rows say after each kind of write, and as the
date moves, is in reports/tests/test_rollup_summaries.py."""

import io
import time
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

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


def waits_or_ends(worker, waiting: int, timeout: float = 10.0) -> None:
    """Block until `waiting` connections wait for a lock, or the worker is done."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline and worker.is_alive():
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0] >= waiting:
                return
            time.sleep(0.02)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_write_while_a_refresh_computes_waits_for_it(seed, no_refresh_after_commit):
    """A refresh holds its rows from before it computes. Here it is held up at the
    first agency's row (someone else has it locked) while a write comes for the second
    agency, whose counts it computes from before that write: the write must wait and
    mark the row after it, not slip in between."""
    first, fy = seed.organization, seed.fiscal_year
    second = generate_agencies(count=1, fiscal_year=2566, seed=3, today=TODAY).organizations[0]
    assert first.pk < second.pk  # the refresh writes the rows in this order
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
    waits_or_ends(writer, waiting=2)  # the write waits for the refresh at its mark
    holder.commit()
    refresher.outcome()
    writer.outcome()

    # Marked after the refresh (or computed with the write): never fresh without it.
    stored = summary(second)
    assert stored.fresh_through is None or stored.in_progress == before + 1
    summaries.refresh_stale(Organization.objects.all(), fy, 12, TODAY)
    assert summary(second).in_progress == before + 1
