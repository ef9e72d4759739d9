"""The roll-up's first read after a bulk load, with and without statistics (issue 18,
item 11): 8,300 generated agencies x 10 measures on PostgreSQL (autovacuum off, as on
the benchmark machine), the cold read of /oversight/2566/<6|12>/ (every summary row
computed in the request) timed right after the load, with no statistics, and again
after operations.bulk.analyze_after_bulk_load (what `manage.py generate_agencies` and
large imports now run at their end).

    ITA_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bench_bulk \\
        .venv/bin/python scripts/bench_bulk_load.py [--count 8300] [--keep]

--keep reuses the generated database and first forgets its statistics (pg_statistic
rows and pg_class sizes of the portal's tables, as right after the load).
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="ita-bench-bulk-")
os.environ["DATABASE_URL"] = os.environ["ITA_BENCH_DATABASE_URL"]
os.environ.setdefault("DJANGO_MEDIA_ROOT", f"{workdir}/media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from demo.generate_agencies import generate_agencies  # noqa: E402
from demo.generated import publish_generated  # noqa: E402
from demo.seed import load_report_data, read_seed  # noqa: E402
from operations.bulk import analyze_after_bulk_load  # noqa: E402
from organizations.models import Organization, OverseerScope  # noqa: E402
from oversight.models import RoundSummary  # noqa: E402
from testing.factories import UserFactory  # noqa: E402


def reset_database() -> None:
    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)


def forget_statistics() -> None:
    """The portal's tables as right after a bulk load: no statistics, no known size."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM pg_statistic WHERE starelid IN (SELECT c.oid FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public')"
        )
        cursor.execute(
            "UPDATE pg_class SET reltuples = -1, relpages = 0 WHERE relnamespace ="
            " 'public'::regnamespace AND relkind IN ('r', 'i')"
        )


def cold_reads(client: Client, label: str) -> None:
    for kind in (6, 12):
        RoundSummary.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {RoundSummary._meta.db_table}")
        if label == "no statistics":
            forget_statistics()
        started = time.perf_counter()
        response = client.get(f"/oversight/2566/{kind}/")
        took = time.perf_counter() - started
        assert response.status_code == 200
        print(f"{label:<16} cold /oversight/2566/{kind}/: {took * 1000:8.0f} ms", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=8300)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    setup_test_environment()
    have = 0
    if args.keep:
        call_command("migrate", verbosity=0)
        have = Organization.objects.filter(origin="generated").count()
    if have != args.count:
        reset_database()
        load_report_data(read_seed())
        started = time.perf_counter()
        result = generate_agencies(count=args.count, fiscal_year=2566, seed=1)
        publish_generated(result.published)
        print(f"generated {args.count:,} agencies in {time.perf_counter() - started:.0f} s")
    user = UserFactory(username=f"bench-overseer-{time.time_ns()}")
    OverseerScope.objects.create(user=user, whole_installation=True)
    client = Client()
    client.force_login(user)
    print(f"load average {os.getloadavg()[0]:.1f} (1 min)")
    cold_reads(client, "no statistics")
    print(f"ANALYZE (whole database): {analyze_after_bulk_load():.1f} s")
    cold_reads(client, "analyzed")
    print(f"load average {os.getloadavg()[0]:.1f} (1 min)")


if __name__ == "__main__":
    main()
