"""Benchmark bulk writes: importing a 100-measure sheet into a new agency, and
rolling 100 measures over to the next fiscal year. Prints time and queries.

Runs on a throwaway SQLite database, or on PostgreSQL with
ITA_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bench (the
database is dropped and created):
    make bench   (or: .venv/bin/python scripts/bench_import.py)
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="ita-bench-import-")
os.environ["DATABASE_URL"] = os.getenv(
    "ITA_BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3"
)
os.environ["DJANGO_MEDIA_ROOT"] = f"{workdir}/media"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

COUNT = 100


def reset_database() -> None:
    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)


def measure(label: str, fn):
    count = 0

    def counting(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    print(f"{label:<58} {elapsed * 1000:8.1f} ms  {count:6d} queries")
    return result


def main() -> None:
    reset_database()
    from catalogue.models import AssessmentTool, FiscalYear, Indicator
    from demo.generate import generate_measures
    from demo.seed import load_report_data, read_seed
    from interchange.exporters import EXPORTERS, build_sheet
    from interchange.importer import import_measures
    from interchange.rollover import rollover
    from measures.models import Round
    from organizations.models import Organization

    seed = load_report_data(read_seed())
    six = Round.objects.get(organization=seed.organization, kind=6)
    generate_measures(six, COUNT - 8, like=six)
    sheet = build_sheet(organization=seed.organization, fiscal_year=seed.fiscal_year)
    _, _, content = EXPORTERS["xlsx"].export([sheet])
    print(f"{connection.vendor}, {COUNT} measures, sheet {len(content) / 1024:.0f} KiB")

    agency = Organization.objects.create(slug="bench-agency", name="หน่วยงานทดสอบความเร็ว")
    result = measure(
        f"import {COUNT} measures into a new agency (dry run)",
        lambda: import_measures(
            content=content,
            organization=agency,
            fiscal_year=seed.fiscal_year,
            create_divisions=True,
            dry_run=True,
        ),
    )
    assert result.ok, result.errors[:3]
    result = measure(
        f"import {COUNT} measures into a new agency",
        lambda: import_measures(
            content=content,
            organization=agency,
            fiscal_year=seed.fiscal_year,
            create_divisions=True,
        ),
    )
    assert result.ok and result.count("create") == COUNT, result.errors[:3]
    result = measure(
        "import the same sheet again (nothing changes)",
        lambda: import_measures(content=content, organization=agency, fiscal_year=seed.fiscal_year),
    )
    assert result.ok and result.count("unchanged") == COUNT

    # Next year's catalogue, copied, so that every indicator maps.
    following = FiscalYear.objects.create(year=seed.fiscal_year.year + 1)
    for tool in AssessmentTool.objects.filter(fiscal_year=seed.fiscal_year):
        copy = AssessmentTool.objects.create(
            fiscal_year=following, code=tool.code, name=tool.name, order=tool.order
        )
        Indicator.objects.bulk_create(
            Indicator(tool=copy, number=i.number, name=i.name, order=i.order)
            for i in tool.indicators.all()
        )
    result = measure(
        f"rollover {COUNT} measures to the next fiscal year",
        lambda: rollover(
            organization=seed.organization,
            from_year=seed.fiscal_year.year,
            to_year=following.year,
        ),
    )
    assert len(result.created) == COUNT, result.unmapped[:3]


if __name__ == "__main__":
    main()
