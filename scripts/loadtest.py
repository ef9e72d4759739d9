"""`make loadtest`: a bounded load run on loopback against the production stack,
written into docs/benchmarks.md ("Load test").

It starts the stack the way `make serve` does (scripts/serve.sh: DEBUG off,
gunicorn and a Celery worker, PostgreSQL and Redis, after migrate and
collectstatic) on a spare port, with a database, a Redis database, static and
media folders of its own, so that nothing of a running `make serve` is touched:

1. recreates the PostgreSQL database LOADTEST_DATABASE_URL and empties the Redis
   database LOADTEST_REDIS_URL (both dedicated to this run);
2. migrates, loads the seed, publishes its 6-month report through the publishing
   service (WeasyPrint), adds LOADTEST_AGENCIES agencies that have published,
   copies the published PDF into the static folder (the same bytes, served by
   WhiteNoise, to compare with), and signs the seed's executive in (a session);
3. starts scripts/serve.sh, checks every URL answers 200 with the right bytes or
   text, then runs wrk on each URL with 1 and with 8 connections, in rounds where
   the URLs take turns: the static file and the two PDF links LOADTEST_FILE_ROUNDS
   times 1 s, the pages LOADTEST_ROUNDS times LOADTEST_SECONDS;
4. stops the stack and writes the medians, and the PDF/static ratio of each
   round's neighbouring runs (median), into docs/benchmarks.md.

Environment (defaults): LOADTEST_DATABASE_URL (postgres://postgres@127.0.0.1:5432/
ita_loadtest), LOADTEST_REDIS_URL (redis://127.0.0.1:6379/14), LOADTEST_AGENCIES
(10000), LOADTEST_FILE_ROUNDS (15), LOADTEST_ROUNDS (3), LOADTEST_SECONDS (3),
WEB_CONCURRENCY (2 gunicorn workers). About five minutes in all.
"""

import contextlib
import hashlib
import io
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv/bin/python")
BENCHMARKS = ROOT / "docs/benchmarks.md"
SECTION = "## Load test"
CONNECTIONS = (1, 8)
STATIC_COPY = "loadtest/same-size.pdf"  # under STATIC_ROOT
FILES = ("static", "pdf", "pdf_version")


def main() -> None:
    if sys.argv[1:] == ["--prepare"]:
        prepare()
        return
    if shutil.which("wrk") is None:
        sys.exit("loadtest: wrk is not installed (make install installs it)")
    # (rounds, seconds a run): the three files, compared with each other, in many
    # short turns; the pages in a few longer ones.
    plan = {
        "files": (int(os.getenv("LOADTEST_FILE_ROUNDS", "15")), 1),
        "pages": (int(os.getenv("LOADTEST_ROUNDS", "3")), int(os.getenv("LOADTEST_SECONDS", "3"))),
    }
    agencies = int(os.getenv("LOADTEST_AGENCIES", "10000"))
    workers = os.getenv("WEB_CONCURRENCY", "2")
    work = Path(tempfile.mkdtemp(prefix="ita-loadtest-"))
    port = free_port()
    env = dict(
        os.environ,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=os.urandom(32).hex(),
        DATABASE_URL=os.getenv(
            "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ita_loadtest"
        ),
        REDIS_URL=os.getenv("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/14"),
        DJANGO_STATIC_ROOT=str(work / "static"),
        DJANGO_MEDIA_ROOT=str(work / "media"),
        DJANGO_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_LOG_LEVEL="WARNING",
        GUNICORN_LOG_LEVEL="warning",
        LOADTEST_AGENCIES=str(agencies),
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY=workers,
        CELERY_CONCURRENCY="1",
        # No worker recycling during the run: at these rates gunicorn's default of
        # 1,000 requests restarts a worker every second or two, and the restarts,
        # not the requests, would be measured.
        GUNICORN_MAX_REQUESTS="0",
    )
    env.pop("CELERY_BROKER_URL", None)
    env.pop("CELERY_RESULT_BACKEND", None)
    base = f"http://127.0.0.1:{port}"
    log = work / "serve.log"
    try:
        recreate_database(env["DATABASE_URL"])
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        prepared = json.loads(run([PYTHON, __file__, "--prepare"], env).splitlines()[-1])
        print(f"loadtest: starting the stack on {base} (log: {log})", file=sys.stderr)
        with open(log, "wb") as out:
            stack = subprocess.Popen(
                ["bash", "scripts/serve.sh"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_until_up(base, stack, log)
            targets = check_targets(base, prepared)
            files = [t for t in targets if t["id"] in FILES]
            pages = [t for t in targets if t["id"] not in FILES]
            results = measure(base, files, *plan["files"]) + measure(base, pages, *plan["pages"])
        finally:
            stop(stack)
        write_section(results, prepared, workers, plan)
        print(BENCHMARKS.read_text().split(SECTION, 1)[1], file=sys.stderr)
        shutil.rmtree(work)
    except BaseException:
        print(f"loadtest: failed; the stack's log is in {log}", file=sys.stderr)
        raise


# --- Data, in a process with the stack's settings -------------------------------------


def prepare() -> None:
    """Seed, one real publication, LOADTEST_AGENCIES agencies that publish, the
    static copy of the PDF and an executive's session; prints them as JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from catalogue.models import FiscalYear
    from measures.models import Round
    from organizations.models import Organization
    from reports.models import PublishedReport
    from reports.services import publish_round

    cache.clear()  # the Redis database of this run only
    call_command("load_seed", stdout=io.StringIO())
    users = get_user_model().objects
    six = Round.objects.get(organization__slug="ubon-pao", fiscal_year__year=2566, kind=6)
    report = publish_round(round_=six, user=users.get(username="coordinator"))

    # Agencies that have published (the same stored file): the public listing's load.
    n = int(os.environ["LOADTEST_AGENCIES"])
    organizations = Organization.objects.bulk_create(
        Organization(
            slug=f"agency-{i}",
            name=f"องค์การบริหารส่วนตำบลตัวอย่าง {i:05d}",
            location=f"อำเภอตัวอย่าง จังหวัดที่ {i % 77 + 1}",
        )
        for i in range(n)
    )
    year = FiscalYear.objects.get(year=2566)
    rounds = Round.objects.bulk_create(
        Round(organization=o, fiscal_year=year, kind=6) for o in organizations
    )
    PublishedReport.objects.bulk_create(
        PublishedReport(
            round=r,
            version=1,
            pdf=report.pdf.name,
            sha256=report.sha256,
            size=report.size,
            published_by=report.published_by,
        )
        for r in rounds
    )
    # Planner statistics for the rows just inserted in bulk, as autovacuum gathers them
    # on a production server (this machine's PostgreSQL runs without it).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    with report.pdf.open("rb") as f:
        content = f.read()
    copy = Path(settings.STATIC_ROOT) / STATIC_COPY
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_bytes(content)

    client = Client()
    client.force_login(users.get(username="executive"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    print(
        json.dumps(
            {
                "sha256": report.sha256,
                "size": report.size,
                "version": report.version,
                "cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
                "agencies": Organization.objects.count(),
            }
        )
    )


# --- The stack -----------------------------------------------------------------------


def run(command: list[str], env: dict) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"loadtest: {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit("loadtest: LOADTEST_DATABASE_URL must be a PostgreSQL URL")
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(server, autocommit=True, connect_timeout=5) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, stack: subprocess.Popen, log: Path) -> None:
    for _ in range(240):
        if stack.poll() is not None:
            sys.exit(f"loadtest: the stack stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    sys.exit(f"loadtest: the stack did not answer /healthz:\n{log.read_text()}")


def stop(stack: subprocess.Popen, grace: float = 40) -> None:
    """TERM to the stack's own process group (serve.sh and supervisord, which stops
    gunicorn and the workers); then KILL to every process left in the session the stack
    was started in (start_new_session): supervisord puts each program in a process
    group of its own, which a KILL to serve.sh's group alone would leave running."""
    if stack.poll() is None:
        os.killpg(stack.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            stack.wait(grace)
    for pid in session_members(stack.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    if stack.poll() is None:
        stack.wait()


def session_members(session: int) -> list[int]:
    """The processes of this session (Linux: /proc/<pid>/stat's sixth field)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) == session:
            members.append(int(entry.name))
    return members


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, cookie: str = "") -> bytes:
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with opener.open(request, timeout=30) as response:
        if response.status != 200:
            sys.exit(f"loadtest: {url} answered {response.status}")
        return response.read()


def check_targets(base: str, prepared: dict) -> list[dict]:
    """Each URL to load, after checking it answers 200 with what it should: the
    published PDF's bytes, or a text of the page."""
    version = prepared["version"]
    targets = [
        ("static", "static file (WhiteNoise), same bytes as the PDF", f"/static/{STATIC_COPY}", ""),
        ("pdf", "published PDF, stable link", "/p/ubon-pao/2566/6.pdf", ""),
        (
            "pdf_version",
            "published PDF, numbered version",
            f"/p/ubon-pao/2566/6/v{version}.pdf",
            "",
        ),
        ("home", "public home (agencies, page 1)", "/", "หน่วยงานที่เผยแพร่รายงานแล้ว"),
        (
            "search",
            "public home, search",
            "/?q=" + quote("อุบลราชธานี"),
            "องค์การบริหารส่วนจังหวัดอุบลราชธานี",
        ),
        ("agency", "public reports page of an agency", "/p/ubon-pao/", "ฉบับล่าสุด"),
        ("dashboard", "dashboard (executive, signed in)", "/dashboard/ubon-pao/2566/6/", "ภาพรวม"),
    ]
    checked = []
    for id_, what, path, text in targets:
        cookie = prepared["cookie"] if id_ == "dashboard" else ""
        body = fetch(base + path, cookie)
        if text:
            right = text in body.decode()
        else:
            right = hashlib.sha256(body).hexdigest() == prepared["sha256"]
        if not right:
            sys.exit(f"loadtest: {path} did not answer what it should")
        checked.append({"id": id_, "what": what, "path": path, "cookie": cookie, "size": len(body)})
    return checked


def measure(base: str, targets: list[dict], rounds: int, seconds: int) -> list[dict]:
    """Each URL and connection count `rounds` times, the URLs taking turns (on a
    shared machine the load of the moment moves every figure; taking turns gives
    each URL the same moments); the median of the rounds."""
    runs = {}
    # The static file's run between the two PDFs' runs: each PDF is compared with
    # the run right next to it.
    ids = [t["id"] for t in targets]
    order = sorted(
        targets, key=lambda t: ({"pdf": 0, "static": 1}.get(t["id"], 2), ids.index(t["id"]))
    )
    for round_number in range(1, rounds + 1):
        for connections in CONNECTIONS:
            for target in order:
                figures = wrk(base, target, connections, seconds)
                runs.setdefault((target["path"], connections), []).append(figures)
                print(
                    f"loadtest: round {round_number} {target['path'][:40]} c={connections}: "
                    f"{figures['rps']:.0f} req/s, p50 {figures['p50_us'] / 1000:.1f} ms, "
                    f"p95 {figures['p95_us'] / 1000:.1f} ms, errors {figures['errors']}",
                    file=sys.stderr,
                )
    results = []
    for target in targets:
        for connections in CONNECTIONS:
            each = runs[(target["path"], connections)]
            median = {
                key: statistics.median(f[key] for f in each) for key in ("rps", "p50_us", "p95_us")
            }
            errors = sum(f["errors"] for f in each)
            rps = [f["rps"] for f in each]
            results.append(
                {**target, "connections": connections, **median, "errors": errors, "runs": rps}
            )
    return results


def wrk(base: str, target: dict, connections: int, seconds: int) -> dict:
    command = [
        "wrk",
        f"-t{min(connections, 2)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(ROOT / "scripts/loadtest.lua"),
    ]
    if target.get("cookie"):
        command += ["-H", f"Cookie: {target['cookie']}"]
    output = subprocess.run(
        command + [base + target["path"]], capture_output=True, text=True, check=True
    ).stdout
    figures = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["errors"] = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
    return figures


# --- The table -----------------------------------------------------------------------


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in cpuinfo.splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    meminfo = Path("/proc/meminfo").read_text().split()
    ram = int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024 / 1024
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"{cores} cores (`nproc`), {ram:.0f} GiB RAM, {model}"


def ms(us: int) -> str:
    return f"{us / 1000:.1f}" if us < 100_000 else f"{us / 1000:.0f}"


def write_section(results: list[dict], prepared: dict, workers: str, plan: dict) -> None:
    by = {(r["id"], r["connections"]): r for r in results}
    lines = [
        SECTION,
        "",
        "`make loadtest` (`scripts/loadtest.py`) starts the production stack as `make serve`",
        "does (scripts/serve.sh: DEBUG off, gunicorn and a Celery worker, PostgreSQL, Redis)",
        "with a database and a Redis database of its own, loads the seed, publishes its",
        "6-month report, adds agencies that have published, and loads each URL on loopback",
        "with wrk (`scripts/loadtest.lua` reports p50 and p95), 1 and 8 connections.",
        "wrk runs on the same machine and takes CPU from the server. The static file is",
        "the published PDF itself, copied into the static folder and served by WhiteNoise.",
        "",
        f"Run of {datetime.now():%Y-%m-%d %H:%M}: {machine()};",
        f"gunicorn {workers} sync workers; {prepared['agencies']:,} agencies. Each figure is a",
        "median over runs with the URLs taking turns (the load of the moment on a shared",
        f"machine moves every figure): the three files {plan['files'][0]} runs of",
        f"{plan['files'][1]} s each, the pages {plan['pages'][0]} runs of {plan['pages'][1]} s.",
        "Latencies in ms; errors: failed connections and answers other than 2xx/3xx,",
        "all runs together.",
        "",
        "| what | bytes | 1 conn. req/s | p50 | p95 | 8 conn. req/s | p50 | p95 | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for target in dict.fromkeys(r["id"] for r in results):
        one, eight = by[(target, 1)], by[(target, 8)]
        lines.append(
            f"| {one['what']} | {one['size']:,} | {one['rps']:,.0f} | {ms(one['p50_us'])} "
            f"| {ms(one['p95_us'])} | {eight['rps']:,.0f} | {ms(eight['p50_us'])} "
            f"| {ms(eight['p95_us'])} | {one['errors'] + eight['errors']} |"
        )

    def ratio(pdf: str, connections: int) -> str:
        # Round by round (the PDF's run next to the static file's), then the median:
        # the load of the moment weighs on both alike.
        pairs = zip(
            by[(pdf, connections)]["runs"], by[("static", connections)]["runs"], strict=True
        )
        return f"{statistics.median(p / s for p, s in pairs):.2f}"

    lines += [
        "",
        "Published PDF against the static file of the same size: requests per second of",
        "the PDF over the static file's, each round's pair of runs, median of the rounds",
        "(target ≥ 0.8):",
        "",
        "| | 1 connection | 8 connections |",
        "|---|---:|---:|",
        f"| stable link | {ratio('pdf', 1)} | {ratio('pdf', 8)} |",
        f"| numbered version | {ratio('pdf_version', 1)} | {ratio('pdf_version', 8)} |",
        "",
    ]
    text = BENCHMARKS.read_text()
    before, found, after = text.partition(SECTION)
    rest = ""
    if found:
        following = after.find("\n## ")
        rest = after[following + 1 :] if following != -1 else ""
    else:
        before = before.rstrip("\n") + "\n\n"
    BENCHMARKS.write_text(before + "\n".join(lines) + ("\n" + rest if rest else ""))


if __name__ == "__main__":
    main()
