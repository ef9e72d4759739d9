"""Benchmark issue 19 at national scale: the assessment's results of 8,300 agencies
imported from one XLSX sheet (read, preview, the confirm's job, the same file again),
then the overseers' roll-up with those results (the previous year's totals, weak
indicators, the "weak on indicator N" filter and the counts by indicator).

Agencies as scripts/bench_oversight.py generates them (FY 2566 rounds, 10 measures
each); their results are of FY 2565, whose catalogue is the shipped 2566 one copied
(as a superuser copies a year). On its own PostgreSQL database, dropped and created:
    ITA_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bench_results \\
        .venv/bin/python scripts/bench_results.py [--count 8300] [--keep]
--keep reuses the agencies of a previous run (results are deleted and imported again).
--request times the upload's request itself through Django's test client, as people
wait on it (the job, if any, left queued by the request: run here afterwards, as a worker
would); the same script measures the code before the preview became a job.
"""

import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

if "--request" in sys.argv:  # the request queues its job as with a broker: nothing runs it
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
os.environ.setdefault(
    "ITA_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ita_bench_results"
)
sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_oversight as bench  # noqa: E402  (sets up Django on that database)
import openpyxl  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from catalogue.models import FiscalYear  # noqa: E402
from catalogue.services import load_catalogue, read_catalogue, shipped_file  # noqa: E402
from interchange.tables import read_table  # noqa: E402
from jobs.models import Job  # noqa: E402
from organizations.access import SYSTEM  # noqa: E402
from organizations.models import Organization, OverseerScope  # noqa: E402
from results import importing, sheet  # noqa: E402
from results.models import IndicatorScore, ITAResult  # noqa: E402
from testing.factories import UserFactory  # noqa: E402


def catalogue_2565() -> FiscalYear:
    if not FiscalYear.objects.filter(year=2565, tools__isnull=False).exists():
        data = read_catalogue(shipped_file(2566))
        load_catalogue({**data, "fiscal_year": 2565}, user=SYSTEM)
    return FiscalYear.objects.get(year=2565)


def national_sheet(seed: int = 7) -> tuple[bytes, int]:
    """Every agency's row as the assessment prints it: its name and province (its
    slug where a name repeats in a province), ten scores (a fifth under 85), the
    total and the grade."""
    rng = random.Random(seed)
    agencies = list(Organization.objects.select_related("province").order_by("pk"))
    seen: dict[tuple[str, str], int] = {}
    for org in agencies:
        key = (org.name, org.province.name if org.province else "")
        seen[key] = seen.get(key, 0) + 1
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("ITA 2565")
    ws.append(["ผลการประเมินคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. 2565"])
    ws.append(
        ["ลำดับ", "หน่วยงาน", "จังหวัด", *(f"ตัวชี้วัดที่ {n}" for n in range(1, 11))] + ["คะแนนรวม", "ระดับ"]
    )
    for n, org in enumerate(agencies, start=1):
        province = org.province.name if org.province else ""
        name = org.name if seen[(org.name, province)] == 1 else org.slug
        scores = [
            round(rng.uniform(70, 100) if rng.random() < 0.2 else rng.uniform(85, 100), 2)
            for _ in range(10)
        ]
        total = round(sum(scores) / 10, 2)
        ws.append([n, name, province, *scores, total, ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), len(agencies)


def counted(work):
    """(seconds, CPU seconds, queries, result) of `work()`."""
    count = 0

    def counting(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        start, cpu = time.perf_counter(), time.process_time()
        result = work()
        return time.perf_counter() - start, time.process_time() - cpu, count, result


def line(label: str, seconds: float, cpu: float, queries: int, extra: str = "") -> None:
    print(
        f"{label:<58} {seconds * 1000:8.0f} ms  cpu {cpu * 1000:7.0f} ms  "
        f"{queries:4d} queries  {extra}"
    )


def bench_import(fiscal_year: FiscalYear, content: bytes, rows: int) -> None:
    print(f"sheet: {rows:,} agencies, {len(content) / 1024:.0f} KiB XLSX")
    line(
        "read the sheet (interchange.tables, results' limits)",
        *counted(lambda: read_table(content, bounds=sheet.limits()))[:3],
    )
    importer = UserFactory(username=f"bench-national-{time.time_ns()}")
    OverseerScope.objects.create(user=importer, whole_installation=True)
    # No broker here: each job runs in this process as its request commits it.
    seconds, cpu, queries, job = counted(
        lambda: importing.start_preview(
            user=importer, fiscal_year=fiscal_year, content=content, name="ita-2565.xlsx"
        )
    )
    job.refresh_from_db()
    preview = importing.preview_of(job, importer)
    assert preview is not None, (job.message, job.details[:5])
    line(
        "preview: the job (dry run: read, check, plan)",
        seconds,
        cpu,
        queries,
        f"{preview.created:,} new",
    )
    seconds, cpu, queries, job = counted(
        lambda: importing.confirm(user=importer, token=preview.token)
    )
    assert job.state == Job.State.DONE, job.message
    line(
        "confirm: the job (read, check, write with history)",
        seconds,
        cpu,
        queries,
        job.message[:60],
    )
    job = importing.start_preview(
        user=importer, fiscal_year=fiscal_year, content=content, name="again.xlsx"
    )
    job.refresh_from_db()
    preview = importing.preview_of(job, importer)
    seconds, cpu, queries, job = counted(
        lambda: importing.confirm(user=importer, token=preview.token)
    )
    line("the same file again: the job writes nothing", seconds, cpu, queries, job.message[-40:])
    print(
        f"results {ITAResult.objects.count():,}, scores {IndicatorScore.objects.count():,}, "
        f"history rows {ITAResult.history.count() + IndicatorScore.history.count():,}"
    )


def bench_request(fiscal_year: FiscalYear, content: bytes, repeat: int) -> None:
    """The upload's request as the importer waits on it (test client: view, queries,
    template; no network), then the queued preview job, if any, and its page."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jobs.tasks import run

    importer = UserFactory(username=f"bench-national-{time.time_ns()}")
    OverseerScope.objects.create(user=importer, whole_installation=True)
    client = Client()
    client.force_login(importer)
    client.get("/results/import/")  # templates and connection warm
    for n in range(repeat):
        data = {
            "fiscal_year": str(fiscal_year.pk),
            "file": SimpleUploadedFile("ita-2565.xlsx", content),
        }
        seconds, cpu, queries, answer = counted(lambda: client.post("/results/import/", data))  # noqa: B023
        line(f"upload request {n + 1}: answered {answer.status_code}", seconds, cpu, queries)
        job = Job.objects.filter(requested_by=importer, state=Job.State.QUEUED).first()
        if job is None:  # before: the preview was made in the request
            continue
        seconds, cpu, queries, _ = counted(lambda: run(job.pk))  # noqa: B023
        job.refresh_from_db()
        line("  the preview job, on the worker", seconds, cpu, queries, job.message[:50])
        seconds, cpu, queries, page = counted(lambda: client.get(answer["Location"]))  # noqa: B023
        line(f"  its page with the preview: {page.status_code}", seconds, cpu, queries)


def bench_rollup(repeat: int) -> None:
    user = UserFactory(username=f"bench-overseer-{time.time_ns()}")
    OverseerScope.objects.create(user=user, whole_installation=True)
    client = Client()
    client.force_login(user)
    client.get("/oversight/2566/6/")  # summaries computed, templates warm
    cases = [
        ("roll-up, whole installation, with last year's results", {}),
        ("roll-up, agencies weak on indicator 3", {"weak": "3"}),
        ("roll-up, weak on 8, sorted by name, page 10", {"weak": "8", "sort": "name", "page": 10}),
        (
            "roll-up, one province (อุบลราชธานี), weak on 1",
            {"weak": "1", "province": bench.Province.objects.get(name="อุบลราชธานี").pk},
        ),
    ]
    for label, params in cases:
        median, best, cpu, queries, size = bench.timed(client, "/oversight/2566/6/", params, repeat)
        print(
            f"{label:<58} median {median:7.1f} ms  best {best:7.1f} ms  cpu {cpu:7.1f} ms  "
            f"{queries:3d} queries  {size / 1024:6.0f} KiB"
        )
    # What each query of the page costs (the added ones: the previous year's
    # indicators, the page's results, its OIT items, the weak counts), median.
    spent: dict[str, list[float]] = {}
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            client.get("/oversight/2566/6/", {"weak": "3"})
        for n, query in enumerate(captured.captured_queries):
            key = f"{n + 1:2d} {query['sql'][:90]}"
            spent.setdefault(key, []).append(float(query["time"]) * 1000)
    for key, times in spent.items():
        print(f"   {statistics.median(times):7.1f} ms  {key}")
    slug = Organization.objects.order_by("pk").values_list("slug", flat=True)[5]
    median, best, cpu, queries, size = bench.timed(
        client, f"/oversight/agency/{slug}/results/", {}, repeat
    )
    print(
        f"{'an agency over the years':<58} median {median:7.1f} ms  best {best:7.1f} ms  "
        f"cpu {cpu:7.1f} ms  {queries:3d} queries"
    )


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=8300)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rollup-only", action="store_true", help="keep the imported results")
    parser.add_argument("--request", action="store_true", help="time the upload's request only")
    args = parser.parse_args()
    setup_test_environment()
    have = 0
    if args.keep:
        call_command("migrate", verbosity=0)
        have = Organization.objects.filter(origin=Organization.Origin.GENERATED).count()
    if have != args.count:
        bench.reset_database()
        bench.populate(args.count)
    if args.rollup_only and ITAResult.objects.exists():
        bench_rollup(args.repeat)
        print(f"load average {os.getloadavg()[0]:.1f} (1 min) after")
        return
    IndicatorScore.objects.all().delete()
    ITAResult.objects.all().delete()
    ITAResult.history.all().delete()
    IndicatorScore.history.all().delete()
    print(
        f"{connection.vendor}, Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} before"
    )
    fiscal_year = catalogue_2565()
    content, rows = national_sheet()
    if args.request:
        print(f"sheet: {rows:,} agencies, {len(content) / 1024:.0f} KiB XLSX")
        bench_request(fiscal_year, content, args.repeat)
        print(f"load average {os.getloadavg()[0]:.1f} (1 min) after")
        return
    bench_import(fiscal_year, content, rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    bench_rollup(args.repeat)
    print(f"load average {os.getloadavg()[0]:.1f} (1 min) after")


if __name__ == "__main__":
    main()
