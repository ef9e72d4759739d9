"""Benchmark every admin changelist as the superuser at national scale: 8,300
generated agencies x 10 measures (generate_agencies), after ANALYZE. Prints, per
registered model, the changelist's server time (Django's test client: view, queries,
template; no network), median and best of --repeat runs, and its queries.

On PostgreSQL (the target: every list under 300 ms), the database is dropped and created:
    ITA_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bench_admin \\
        .venv/bin/python scripts/bench_admin.py [--count 8300] [--keep]
--keep reuses the database of a previous run when it has the agencies already.
Without ITA_BENCH_DATABASE_URL: a throwaway SQLite database.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="ita-bench-admin-")
os.environ["DATABASE_URL"] = os.getenv(
    "ITA_BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3"
)
os.environ.setdefault("DJANGO_MEDIA_ROOT", f"{workdir}/media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from demo.generate_agencies import generate_agencies  # noqa: E402
from demo.seed import load_report_data, read_seed  # noqa: E402
from measures.models import Measure, Step  # noqa: E402
from organizations.models import Organization  # noqa: E402


def reset_database() -> None:
    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)


def database_exists() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [connection.settings_dict["NAME"]]
        )
        return cursor.fetchone() is not None


def populate(count: int) -> None:
    load_report_data(read_seed())
    start = time.perf_counter()

    def progress(done):
        if done % 2000 < 400 or done == count:
            print(f"  {done:,} agencies, {time.perf_counter() - start:.0f} s", flush=True)

    generate_agencies(
        count=count, fiscal_year=2566, seed=1, measures_per_agency=10, progress_callback=progress
    )
    print(f"generated {count:,} agencies in {time.perf_counter() - start:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed(client: Client, url: str, repeat: int) -> tuple[float, float, float, int]:
    """Median and best server time (ms), the median CPU time of this process (ms: the
    rest is waiting for PostgreSQL, or for a core on a busy machine) and the queries."""
    count = 0

    def counting(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    times, cpus = [], []
    for _ in range(repeat):
        count = 0
        with connection.execute_wrapper(counting):
            start, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), min(times), statistics.median(cpus), count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=8300)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_test_environment()

    have = 0
    if args.keep and database_exists():
        call_command("migrate", verbosity=0)
        have = Organization.objects.filter(origin=Organization.Origin.GENERATED).count()
    if have != args.count:
        reset_database()
        populate(args.count)
    print(
        f"{connection.vendor}: {Organization.objects.count():,} agencies, "
        f"{Measure.objects.count():,} measures, {Step.objects.count():,} steps; "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores"
    )
    user = get_user_model().objects.create_superuser(
        username=f"bench-admin-{time.time_ns()}", password="x", email=""
    )
    client = Client()
    client.force_login(user)
    print(f"load average {os.getloadavg()[0]:.1f} (1 min) before")
    client.get(reverse("admin:index"))  # warm templates and the connection
    rows = []
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        median, best, cpu, queries = timed(client, url, args.repeat)
        rows.append((model._meta.label, median, best, queries))
        print(
            f"{model._meta.label:<40} median {median:8.1f} ms  best {best:8.1f} ms  "
            f"cpu {cpu:7.1f} ms  {queries:3d} queries",
            flush=True,
        )
    slow = [label for label, median, _, _ in rows if median >= 300]
    print(f"load average {os.getloadavg()[0]:.1f} (1 min) while it ran")
    print("over 300 ms: " + (", ".join(slow) if slow else "none"))


if __name__ == "__main__":
    main()
