"""Benchmark the report: HTML page, PDF render, a 100-measure PDF, and serving a
published PDF compared with a static file. Prints figures; records nothing.

Each PDF is timed side by side with one plain WeasyPrint render of the same HTML
(its continuation labels hidden, as they are without reports.pdf.paging), interleaved
in one run, and the ratio of their CPU times printed (issue 21: at most 1.3).

Runs on a throwaway SQLite database so it never touches your data:
    make bench            (or: .venv/bin/python scripts/bench_report.py)
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="ita-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
os.environ["DJANGO_MEDIA_ROOT"] = f"{workdir}/media"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")

import django  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from demo.generate import generate_measures  # noqa: E402
from demo.seed import load_report_data, read_seed  # noqa: E402
from measures.models import Round  # noqa: E402
from organizations.models import Division, Membership, Organization  # noqa: E402
from organizations.services import add_member  # noqa: E402
from reports.document import build_document  # noqa: E402
from reports.pdf.render import STYLESHEET, render_pdf, report_html  # noqa: E402
from reports.services import publish_round  # noqa: E402
from testing.factories import UserFactory  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, float, float]:
    """Median and best wall time, and median CPU time, of `repeat` calls, in seconds.
    CPU time is steadier when other work shares the machine."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), min(walls), statistics.median(cpus)


def show(label: str, result: tuple[float, float, float], extra: str = "") -> None:
    median, best, cpu = result
    print(
        f"{label:<48} median {median * 1000:7.1f} ms  best {best * 1000:7.1f} ms"
        f"  cpu {cpu * 1000:7.1f} ms  {extra}"
    )


def load() -> str:
    """The load average over 1, 5 and 15 minutes: others' work on a shared machine."""
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def pages(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


def counted_render(doc) -> tuple[bytes, str]:
    """The PDF, and how many layouts it took (reports.pdf.render)."""
    layouts = []
    render = HTML.render

    def counted(self, *args, **kwargs):
        layouts.append(self)
        return render(self, *args, **kwargs)

    HTML.render = counted
    try:
        pdf = render_pdf(doc)
    finally:
        HTML.render = render
    return pdf, f"{len(layouts)} layout(s)"


def unpaged_html(doc) -> str:
    """The report's HTML as WeasyPrint alone would lay it out: the labels that
    reports.pdf.paging shows where a measure continues left hidden."""
    return report_html(doc).replace(' paged"', '"')


def plain_weasyprint(html: str) -> bytes:
    """One plain WeasyPrint render, with the portal's stylesheet and fonts."""
    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts, media_type="print")
    document = HTML(string=html, base_url=str(STYLESHEET.parent), media_type="print")
    return document.render(stylesheets=[stylesheet], font_config=fonts).write_pdf()


def side_by_side(label: str, doc, repeat: int) -> None:
    """The portal's render and plain WeasyPrint's of the final HTML, interleaved
    (so both see the same load), `repeat` times each; the ratio of CPU times."""
    html = unpaged_html(doc)
    ours, plain = [], []
    for _ in range(repeat):
        for runs, fn in ((ours, lambda: render_pdf(doc)), (plain, lambda: plain_weasyprint(html))):
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    ours_cpu = statistics.median(cpu for _, cpu in ours)
    plain_cpu = statistics.median(cpu for _, cpu in plain)
    ratios = sorted(o[1] / p[1] for o, p in zip(ours, plain, strict=True))
    print(
        f"{label:<48} portal cpu {ours_cpu * 1000:7.1f} ms  plain WeasyPrint cpu"
        f" {plain_cpu * 1000:7.1f} ms  ratio {ours_cpu / plain_cpu:4.2f}"
        f" (pairs {' '.join(f'{r:.2f}' for r in ratios)})"
    )


def draft_800_memory() -> str:
    """The peak memory of a process that renders an 800-measure report, against one
    that only builds its document: what a worker child holds during such a job."""
    peaks = {}
    for render in ("0", "1"):
        out = subprocess.run(
            [sys.executable, __file__, "--800", render], capture_output=True, text=True, check=True
        ).stdout
        peaks[render] = out.strip().splitlines()[-1]
    return f"peak RSS {peaks['1']} MiB rendering, {peaks['0']} MiB without the render"


def drain(response) -> int:
    return len(b"".join(response.streaming_content))


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    seed = load_report_data(read_seed())
    six = Round.objects.get(organization=seed.organization, kind=Round.Kind.SIX_MONTHS)
    coordinator = UserFactory(username="bench-coordinator")
    add_member(member=coordinator, organization=seed.organization, role=Membership.Role.COORDINATOR)
    client = Client()
    client.force_login(coordinator)
    page = f"/reports/{seed.organization.slug}/2566/6/"

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, load {load()}")
    render_pdf(build_document(six))  # warm fonts and templates
    show("seed report HTML page (8 measures)", timed(lambda: client.get(page), 20))
    seed_pdf, seed_layouts = counted_render(build_document(six))
    show(
        "seed report PDF render, in-process",
        timed(lambda: render_pdf(build_document(six)), 7),
        f"{len(seed_pdf) // 1024} KiB, {pages(seed_pdf)} pages, {seed_layouts}",
    )
    side_by_side("seed report PDF against plain WeasyPrint", build_document(six), 7)

    big = Organization.objects.create(slug="bench-100", name="หน่วยงานทดสอบ 100 มาตรการ")
    Division.objects.create(organization=big, name="กองทดสอบหนึ่ง")
    Division.objects.create(organization=big, name="กองทดสอบสอง")
    big_round = Round.objects.create(organization=big, fiscal_year=six.fiscal_year, kind=6)
    generate_measures(big_round, 100, like=six)
    big_pdf, big_layouts = counted_render(build_document(big_round))
    show(
        "100 seed-like measures PDF render, in-process",
        timed(lambda: render_pdf(build_document(big_round)), 3),
        f"{len(big_pdf) // 1024} KiB, {pages(big_pdf)} pages, {big_layouts}",
    )
    side_by_side("100 seed-like measures against plain WeasyPrint", build_document(big_round), 3)
    synthetic = Organization.objects.create(slug="bench-dense", name="หน่วยงานทดสอบข้อความยาว")
    Division.objects.create(organization=synthetic, name="กองทดสอบ")
    dense = Round.objects.create(organization=synthetic, fiscal_year=six.fiscal_year, kind=6)
    generate_measures(dense, 100, steps_per_measure=6)
    dense_pdf, dense_layouts = counted_render(build_document(dense))
    show(
        "100 dense measures (6 long steps, 6 sub-items)",
        timed(lambda: render_pdf(build_document(dense)), 3),
        f"{len(dense_pdf) // 1024} KiB, {pages(dense_pdf)} pages, {dense_layouts}",
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
    print(f"load average at the end: {load()}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS) of this process: {peak:.0f} MiB")
    print(f"800 seed-like measures (draft, in a process of its own): {draft_800_memory()}")


def render_800(render: bool) -> None:
    """`draft_800_memory`'s child: 800 measures like the seed's, rendered or not."""
    call_command("migrate", verbosity=0)
    seed = load_report_data(read_seed())
    six = Round.objects.get(organization=seed.organization, kind=Round.Kind.SIX_MONTHS)
    big = Organization.objects.create(slug="bench-800", name="หน่วยงานทดสอบ 800 มาตรการ")
    Division.objects.create(organization=big, name="กองทดสอบ")
    big_round = Round.objects.create(organization=big, fiscal_year=six.fiscal_year, kind=6)
    generate_measures(big_round, 800, like=six)
    doc = build_document(big_round)
    if render:
        pdf = render_pdf(doc)
        print(f"{pages(pdf)} pages", file=sys.stderr)
    print(f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--800"]:
        render_800(sys.argv[2] == "1")
    else:
        main()
