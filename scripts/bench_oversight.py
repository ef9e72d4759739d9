"""Benchmark the roll-up across agencies (/oversight/<year>/<6|12>/) at national scale:
8,300 generated agencies x 10 measures, seen by an overseer of the whole installation.
Prints how long generating them took, then the page's server time (Django's test
client: view, queries and template, no network) and its queries: first "cold" (no
summary row computed yet: the request computes all 8,300, oversight.summaries), then
with the rows computed, and with one agency changed since (its row computed again).

On PostgreSQL (the target: under 300 ms), the database is dropped and created:
    ITA_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bench_oversight \\
        .venv/bin/python scripts/bench_oversight.py [--count 8300] [--keep]
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
workdir = tempfile.mkdtemp(prefix="ita-bench-oversight-")
os.environ["DATABASE_URL"] = os.getenv(
    "ITA_BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3"
)
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
from measures.models import Measure  # noqa: E402
from organizations.models import Organization, OverseerScope, Province  # noqa: E402
from oversight.models import RoundSummary  # noqa: E402
from reports.models import PublishedReport  # noqa: E402
from testing.factories import UserFactory  # noqa: E402


def reset_database() -> None:
    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)


def populate(count: int) -> None:
    load_report_data(read_seed())
    start = time.perf_counter()

    def progress(done):
        if done % 2000 < 400 or done == count:
            print(f"  {done:,} agencies, {time.perf_counter() - start:.0f} s", flush=True)

    result = generate_agencies(
        count=count, fiscal_year=2566, seed=1, measures_per_agency=10, progress_callback=progress
    )
    published = publish_generated(result.published)
    elapsed = time.perf_counter() - start
    print(f"generated {count:,} agencies and {published:,} publications in {elapsed:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed(
    client: Client, url: str, params: dict, repeat: int, before=None
) -> tuple[float, float, float, int, int]:
    """Median and best server time (ms), the median CPU time of this process (ms: the
    rest is waiting for PostgreSQL, or for the CPU on a busy machine), the queries and
    the bytes of one answer. `before` runs ahead of each request, untimed."""
    count = 0

    def counting(execute, sql, params_, many, context):
        nonlocal count
        count += 1
        return execute(sql, params_, many, context)

    times, cpus = [], []
    size = 0
    for _ in range(repeat):
        if before:
            before()
        count = 0
        with connection.execute_wrapper(counting):
            start, cpu = time.perf_counter(), time.process_time()
            response = client.get(url, params)
            times.append((time.perf_counter() - start) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, response.status_code
        size = len(response.content)
    return statistics.median(times), min(times), statistics.median(cpus), count, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=8300)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    setup_test_environment()

    have = 0
    if args.keep:
        call_command("migrate", verbosity=0)
        have = Organization.objects.filter(origin=Organization.Origin.GENERATED).count()
    if have != args.count:
        reset_database()
        populate(args.count)
    print(
        f"{connection.vendor}: {Organization.objects.count():,} agencies, "
        f"{Measure.objects.count():,} measures, {PublishedReport.objects.count():,} publications; "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores"
    )

    user = UserFactory(username=f"bench-overseer-{time.time_ns()}")
    OverseerScope.objects.create(user=user, whole_installation=True)
    ubon = Province.objects.get(name="อุบลราชธานี")
    client = Client()
    client.force_login(user)
    print(f"load average {os.getloadavg()[0]:.1f} (1 min) before")
    # Warm templates and connections on one province, then forget every summary.
    client.get("/oversight/2566/6/", {"province": ubon.pk})
    RoundSummary.objects.all().delete()
    if connection.vendor == "postgresql":
        # What autovacuum would do (it is off on the benchmark machine): the deleted
        # rows' space back, so that every run starts from the same table.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {RoundSummary._meta.db_table}")
    for label, url in (
        ("COLD whole installation, 6-month round (8,300 rows computed)", "/oversight/2566/6/"),
        ("COLD whole installation, 12-month round (8,300 rows computed)", "/oversight/2566/12/"),
    ):
        median, best, cpu, queries, size = timed(client, url, {}, 1)
        print(f"{label:<66} {median:7.1f} ms  cpu {cpu:7.1f} ms  {queries:3d} queries")
    some = list(Organization.objects.order_by("?").values_list("pk", flat=True)[: args.repeat])

    def one_agency_changed():
        RoundSummary.objects.filter(organization_id=some.pop(), kind=6).update(fresh_through=None)

    median, best, cpu, queries, size = timed(
        client, "/oversight/2566/6/", {}, args.repeat, before=one_agency_changed
    )
    label = "whole installation, 6-month round, one agency changed"
    print(
        f"{label:<66} median {median:7.1f} ms  best {best:7.1f} ms  cpu {cpu:7.1f} ms  "
        f"{queries:3d} queries  {size / 1024:7.0f} KiB"
    )
    cases = [
        ("whole installation, 6-month round, most late first", "/oversight/2566/6/", {}),
        ("whole installation, 12-month round", "/oversight/2566/12/", {}),
        (
            "whole installation, sorted by share done, page 80",
            "/oversight/2566/6/",
            {"sort": "-done", "page": 80},
        ),  # fmt: skip
        (
            "one province (อุบลราชธานี), behind schedule",
            "/oversight/2566/6/",
            {"province": ubon.pk, "behind": "1"},
        ),  # fmt: skip
        (
            "search by name (เทศบาลตำบล), not published",
            "/oversight/2566/6/",
            {"q": "เทศบาลตำบล", "published": "no"},
        ),  # fmt: skip
        ("export XLSX, whole installation", "/oversight/2566/6/export.xlsx", {}),
        ("export CSV, whole installation", "/oversight/2566/6/export.csv", {}),
    ]
    for label, url, params in cases:
        median, best, cpu, queries, size = timed(client, url, params, args.repeat)
        print(
            f"{label:<66} median {median:7.1f} ms  best {best:7.1f} ms  cpu {cpu:7.1f} ms  "
            f"{queries:3d} queries  {size / 1024:7.0f} KiB"
        )
    print(f"load average {os.getloadavg()[0]:.1f} (1 min) while it ran")


if __name__ == "__main__":
    main()
