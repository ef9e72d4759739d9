"""Benchmark the report: HTML page, PDF render, a 100-measure PDF, and serving a
published PDF compared with a static file. Prints figures; records nothing.

Runs on a throwaway SQLite database so it never touches your data:
    make bench            (or: .venv/bin/python scripts/bench_report.py)
"""

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="ita-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
os.environ["DJANGO_MEDIA_ROOT"] = f"{workdir}/media"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from measures import services  # noqa: E402
from measures.generate import generate_measures  # noqa: E402
from measures.models import Division, Membership, Organization, Round  # noqa: E402
from measures.seed import load_report_data, read_seed  # noqa: E402
from measures.tests.factories import UserFactory  # noqa: E402
from reports.document import build_document  # noqa: E402
from reports.pdf import render_pdf  # noqa: E402
from reports.services import publish_round  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, float]:
    """Median and best wall time of `repeat` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def show(label: str, result: tuple[float, float], extra: str = "") -> None:
    median, best = result
    print(f"{label:<44} median {median * 1000:8.1f} ms   best {best * 1000:8.1f} ms  {extra}")


def drain(response) -> int:
    return len(b"".join(response.streaming_content))


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    seed = load_report_data(read_seed())
    six = Round.objects.get(organization=seed.organization, kind=Round.Kind.SIX_MONTHS)
    coordinator = UserFactory(username="bench-coordinator")
    services.add_member(
        user=coordinator, organization=seed.organization, role=Membership.Role.COORDINATOR
    )
    client = Client()
    client.force_login(coordinator)
    page = f"/reports/{seed.organization.slug}/2566/6/"

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    render_pdf(build_document(six))  # warm fonts and templates
    show("seed report HTML page (8 measures)", timed(lambda: client.get(page), 20))
    seed_pdf = render_pdf(build_document(six))
    show(
        "seed report PDF render, in-process",
        timed(lambda: render_pdf(build_document(six)), 7),
        f"{len(seed_pdf) // 1024} KiB",
    )

    big = Organization.objects.create(slug="bench-100", name="หน่วยงานทดสอบ 100 มาตรการ")
    Division.objects.create(organization=big, name="กองทดสอบหนึ่ง")
    Division.objects.create(organization=big, name="กองทดสอบสอง")
    big_round = Round.objects.create(organization=big, fiscal_year=six.fiscal_year, kind=6)
    generate_measures(big_round, 100)
    big_pdf = render_pdf(build_document(big_round))
    show(
        "100-measure report PDF render, in-process",
        timed(lambda: render_pdf(build_document(big_round)), 3),
        f"{len(big_pdf) // 1024} KiB",
    )

    report = publish_round(round_=six, user=coordinator)
    public = Client()
    url = f"/p/{seed.organization.slug}/2566/6.pdf"
    size = drain(public.get(url))
    show(
        "published PDF served (no re-render)",
        timed(lambda: drain(public.get(url)), 50),
        f"{size // 1024} KiB, sha256 {report.sha256[:12]}…",
    )
    static_url = "/static/fonts/Sarabun-Regular.ttf"
    static_size = drain(public.get(static_url))
    show(
        "static file served (WhiteNoise)",
        timed(lambda: drain(public.get(static_url)), 50),
        f"{static_size // 1024} KiB",
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS) of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
