"""After a bulk load, PostgreSQL has statistics (issue 18, item 11): generate_agencies
ends with ANALYZE (operations.bulk), so the first roll-up read is planned with the
tables' real sizes; docs/benchmarks.md has the timings at 8,300 agencies."""

import pytest
from django.core.management import call_command
from django.db import connection

from measures.models import Measure

pytestmark = pytest.mark.django_db


def estimated_rows(model) -> float:
    """What PostgreSQL's planner believes the table holds (-1: never analyzed)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                       [model._meta.db_table])  # fmt: skip
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics")
def test_generate_agencies_leaves_statistics_behind(seed, capsys):
    assert estimated_rows(Measure) <= 0  # the seed's measures were never analyzed
    call_command("generate_agencies", "--count", "3", "--fiscal-year", "2566", "--measures", "4")
    assert "ปรับปรุงสถิติของฐานข้อมูลแล้ว" in capsys.readouterr().out
    assert estimated_rows(Measure) == Measure.objects.count()


def test_generate_agencies_on_sqlite_needs_no_statistics(seed, capsys):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    call_command("generate_agencies", "--count", "1", "--fiscal-year", "2566", "--measures", "2")
    out = capsys.readouterr().out
    assert "สร้างหน่วยงานจำลอง 1 หน่วยงาน" in out
    assert "ปรับปรุงสถิติ" not in out
