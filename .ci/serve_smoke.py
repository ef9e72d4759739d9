"""Production smoke test (.ci/serve_smoke, run by .ci/run): the real stack with two app
servers sharing PostgreSQL, Redis and an S3-compatible bucket, driven like a browser.

Starts, all with DEBUG off and the same database, Redis, secret key and bucket:
- moto's S3 server on a free loopback port, with a private bucket made first;
- app server A: scripts/serve.sh (`make serve`: migrate, load_catalogue, collectstatic
  with the manifest, gunicorn and a Celery worker);
- app server B: a second gunicorn (ita_portal/gunicorn.conf.py) on another port.
Loads the seed report and two users (a staff member and the coordinator). Then, with
cookies and CSRF tokens as a browser keeps and sends them:
- both servers answer /healthz with every part ok, the login page (with its
  Content-Security-Policy) and its hashed stylesheet;
- the staff member logs in on A and sends an evidence PDF with A's progress form (a
  multipart POST); B serves the same bytes from its evidence view (the session made on
  A), and the file is the one object under evidence/ in the bucket;
- the coordinator publishes the 6-month round with A's confirmation page; the job is run
  by the worker (its log names the job's Celery task as received and succeeded) while
  A's report page is polled; B's public link then serves a PDF whose SHA-256 is the one
  the report page lists, X-Content-SHA256 and the ETag, and which is the one object
  under published/ in the bucket;
- the bucket answers 403 to anonymous reads, and nothing was written to local disk;
- TERM stops every process (A's gunicorn and worker, B, moto), none left behind.
On failure it prints every process's log. Temporary folders and processes are removed
on success and failure; the database and the Redis database are emptied at the start
(and at the end of a run that passed).
"""

import contextlib
import fcntl
import hashlib
import http.cookiejar
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import psycopg
import redis
from pypdf import PdfWriter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from testing.forms import form_data  # noqa: E402  (what a browser submits from a form)

PYTHON = str(ROOT / ".venv/bin/python")
DATABASE = "ita_ci_serve"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
# A Redis database of its own (emptied at the start): no other worker takes its jobs,
# and no message left by an interrupted run reaches this run's worker.
REDIS_URL = "redis://127.0.0.1:6379/13"
BUCKET = "ita-ci-smoke"
REGION = "ap-southeast-1"
ACCESS_KEY, SECRET_KEY = "ita-ci-smoke-key", "ita-ci-smoke-secret"
ORG, YEAR, SIX = "ubon-pao", 2566, 6  # the seed's agency and its 6-month round
STARTUP_SECONDS = 180
JOB_SECONDS = 180
STOP_SECONDS = 40  # gunicorn's graceful timeout is 30 s
LOCK = Path(tempfile.gettempdir()) / "ita-serve-smoke.lock"

# The data: the seed report and two users with the roles of the demo users, through the
# same services load_seed uses. Passwords come from the environment.
LOAD_DATA = """
import os
from django.contrib.auth import get_user_model
from django.core.management import call_command
from organizations.services import add_member
from organizations.models import Division, Membership, Organization

call_command("load_seed", "--no-demo-users")
org = Organization.objects.get(slug="ubon-pao")
for username, role, divisions in (
    ("smoke-staff", Membership.Role.STAFF, ["สำนักปลัดองค์การบริหารส่วนจังหวัด"]),
    ("smoke-coordinator", Membership.Role.COORDINATOR, []),
):
    user = get_user_model().objects.create_user(
        username, password=os.environ["SMOKE_PASSWORD"]
    )
    add_member(
        member=user,
        organization=org,
        role=role,
        divisions=list(Division.objects.filter(organization=org, name__in=divisions)),
    )
"""


class Failure(Exception):
    pass


def check(condition, message: str) -> None:
    if not condition:
        raise Failure(message)


BEGAN = time.monotonic()


def say(message: str) -> None:
    print(f"serve_smoke: [{time.monotonic() - BEGAN:4.0f} s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- Processes --------------------------------------------------------------------------


def session_members(sid: int) -> list[str]:
    """The processes of session `sid` (each started process leads its own session, so
    gunicorn's workers and the Celery worker's children are found too)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue  # gone meanwhile
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(f"{entry.name} {cmdline}")
    return found


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def running(self) -> bool:
        return self.popen.poll() is None

    def left(self) -> list[str]:
        return session_members(self.popen.pid)


class Stack:
    def __init__(self, folder: Path):
        self.folder = folder
        self.processes: list[Process] = []

    def start(self, name: str, args: list[str], env: dict) -> Process:
        log = self.folder / (re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-") + ".log")
        with open(log, "wb") as out:
            popen = subprocess.Popen(
                args,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def stop(self, *processes: Process) -> None:
        """TERM, as an operator or a service manager stops them: each must end within
        STOP_SECONDS and leave nothing of its session behind."""
        for process in processes:
            process.popen.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.popen.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                raise Failure(f"{process.name} still runs {STOP_SECONDS} s after TERM") from None
            deadline = time.monotonic() + 5  # children reaped just after their parent
            while (left := process.left()) and time.monotonic() < deadline:
                time.sleep(0.1)
            check(not left, f"{process.name} left processes behind: {left}")

    def kill_leftovers(self) -> None:
        """After a failure: TERM, then KILL, whatever still runs of every session."""
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            pids = [int(p.split()[0]) for process in self.processes for p in process.left()]
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)
            deadline = time.monotonic() + wait
            while any(process.left() for process in self.processes):
                if time.monotonic() > deadline:
                    break
                time.sleep(0.2)
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.popen.wait(1)

    def print_logs(self, lines: int = 300) -> None:
        for process in self.processes:
            text = process.log.read_text(errors="replace").splitlines()
            cut = f", its first {len(text) - lines} lines left out" if len(text) > lines else ""
            print(f"--- {process.name} log ({process.log.name}{cut}):", file=sys.stderr)
            print("\n".join(text[-lines:]), file=sys.stderr, flush=True)


# --- HTTP as a browser speaks it --------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: object  # email.message.Message
    body: bytes
    url: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def summary(self) -> str:
        return f"{self.status} {self.url}: {self.text[:300]!r}"


class _EveryAnswer(urllib.request.HTTPErrorProcessor):
    """Every status comes back as it is: redirects are not followed, errors not raised."""

    def http_response(self, request, response):
        return response


class Browser:
    """Cookies (session, CSRF) kept for 127.0.0.1 whatever the port, as a browser does;
    POSTs carry the page's CSRF token and an Origin header."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _EveryAnswer()
        )

    def request(self, url: str, data: bytes | None = None, headers=None, method=None) -> Answer:
        request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
        with self.opener.open(request, timeout=60) as response:
            return Answer(response.status, response.headers, response.read(), url)

    def get(self, url: str) -> Answer:
        return self.request(url)

    def submit(self, url: str, fields: dict, files=()) -> Answer:
        """A form as the browser sends it: urlencoded, or multipart with files
        [(field, file name, content type, bytes)]."""
        pairs = [
            (name, value)
            for name, values in fields.items()
            for value in (values if isinstance(values, list) else [values])
        ]
        if files:
            body, content_type = multipart(pairs, files)
        else:
            body = urllib.parse.urlencode(pairs).encode()
            content_type = "application/x-www-form-urlencoded"
        parts = urllib.parse.urlsplit(url)
        headers = {"Content-Type": content_type, "Origin": f"{parts.scheme}://{parts.netloc}"}
        return self.request(url, data=body, headers=headers, method="POST")

    def log_in(self, base: str, username: str, password: str) -> None:
        page = self.get(f"{base}/accounts/login/")
        check(page.status == 200, f"login page: {page.summary()}")
        fields = form_data(page.text)
        fields.update(username=username, password=password)
        answer = self.submit(f"{base}/accounts/login/", fields)
        check(answer.status == 302, f"login as {username} through {base}: {answer.summary()}")


def multipart(pairs, files) -> tuple[bytes, str]:
    boundary = f"----smoke{uuid.uuid4().hex}"
    chunks = []
    for name, value in pairs:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, filename, content_type, content in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        chunks.append(head.encode() + content + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def wait_for_health(process: Process, base: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        check(process.running(), f"{process.name} stopped before answering /healthz")
        with contextlib.suppress(OSError):
            if Browser().get(f"{base}/healthz").status == 200:
                return
        time.sleep(0.3)
    raise Failure(f"{process.name} did not answer /healthz with 200 in {STARTUP_SECONDS} s")


# --- The checks -------------------------------------------------------------------------


def check_server(name: str, base: str) -> None:
    """Health with every part ok, the login page with its CSP, the hashed stylesheet."""
    browser = Browser()
    health = browser.get(f"{base}/healthz")
    expected = {"database": "ok", "cache": "ok", "broker": "ok", "storage": "ok"}
    check(
        health.status == 200 and json.loads(health.body) == expected,
        f"{name} /healthz: {health.summary()}",
    )
    login = browser.get(f"{base}/accounts/login/")
    check(login.status == 200, f"{name} login page: {login.summary()}")
    check(login.headers["Content-Security-Policy"], f"{name}: login page without CSP")
    css = re.search(r"/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css", login.text)
    check(css, f"{name}: the login page links no hashed bootstrap.min.css")
    sheet = browser.get(base + css.group())
    check(
        sheet.status == 200 and sheet.headers["Content-Type"].startswith("text/css"),
        f"{name} {css.group()}: {sheet.status} {sheet.headers['Content-Type']}",
    )


def a_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": f"serve_smoke {secrets.token_hex(8)}"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def one_object(s3, prefix: str) -> str:
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])
    keys = [entry["Key"] for entry in listed]
    check(len(keys) == 1, f"the bucket holds {keys} under {prefix}, not one object")
    return keys[0]


def log_records(log: Path) -> list[dict]:
    """The JSON log records (logger, message, ...) of a process's log."""
    records = []
    for line in log.read_text(errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            record = json.loads(line)
            if isinstance(record, dict):
                records.append({"logger": "", "message": "", **record})
    return records


def anonymous_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def evidence_through_a_then_b(a: str, b: str, password: str, s3, endpoint: str) -> None:
    staff = Browser()
    staff.log_in(a, "smoke-staff", password)
    home = staff.get(f"{a}/")
    link = re.search(r'href="(/measures/\d+/round/\d+/)"', home.text)
    check(link, f"staff home on A links no progress form: {home.summary()}")
    form_url = a + link.group(1)
    form_page = staff.get(form_url)
    check(form_page.status == 200, f"progress form on A: {form_page.summary()}")
    fields = form_data(form_page.text, form_id="progress-form")
    fields.update(status="in_progress", result_text="ทดสอบระบบจริง (serve_smoke)", action="save")
    pdf = a_pdf()
    saved = staff.submit(
        form_url, fields, files=[("files", "รายงานผล ไตรมาส 2.pdf", "application/pdf", pdf)]
    )
    check(saved.status == 302, f"saving the progress form with a file on A: {saved.summary()}")

    after = staff.get(form_url)
    found = re.findall(r'href="/evidence/(\d+)/"', after.text)
    check(len(found) == 1, f"the progress form on A lists evidence {found}, not one file")
    evidence_url = f"{b}/evidence/{found[0]}/"
    download = staff.get(evidence_url)  # B, with the session made on A
    check(download.status == 200, f"evidence through B: {download.summary()}")
    check(download.body == pdf, "the evidence B serves is not the file sent through A")
    disposition = download.headers["Content-Disposition"] or ""
    check(disposition.startswith("attachment;"), f"evidence served as {disposition!r}")
    check(Browser().get(evidence_url).status == 302, "evidence through B without logging in")

    key = one_object(s3, "evidence/")
    check(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == pdf, f"{key} differs")
    check(anonymous_status(f"{endpoint}/{BUCKET}/{key}") == 403, f"{key} readable anonymously")
    say(f"evidence sent through A, downloaded through B ({len(pdf)} bytes, s3://{BUCKET}/{key})")


def publish_through_a_fetch_through_b(
    a: str, b: str, password: str, s3, endpoint: str, server_a: Process
) -> None:
    coordinator = Browser()
    coordinator.log_in(a, "smoke-coordinator", password)
    publish_url = f"{a}/reports/{ORG}/{YEAR}/{SIX}/publish/"
    confirm = coordinator.get(publish_url)
    check(confirm.status == 200, f"publish confirmation page on A: {confirm.summary()}")
    fields = form_data(confirm.text, form_id="publish-confirm")
    check(fields.get("confirm") == "1", f"confirmation form fields: {sorted(fields)}")
    started = coordinator.submit(publish_url, fields)
    check(started.status == 302, f"confirming the publication on A: {started.summary()}")
    followed = urllib.parse.urljoin(publish_url, started.headers["Location"])
    job = re.search(r"[?&]job=(\d+)", followed)
    check(job, f"publishing redirected to {followed}, no job")

    # The report page the coordinator lands on, reloaded until the job is done.
    deadline = time.monotonic() + JOB_SECONDS
    while True:
        page = coordinator.get(followed)
        check(page.status == 200, f"report page on A: {page.summary()}")
        status = re.search(
            r'<div class="alert alert-(\w+)[^"]*" id="publish-job"[^>]*>(.*?)</div>',
            page.text,
            re.S,
        )
        check(status, f"the report page shows no job status: {page.summary()}")
        if status.group(1) != "info":
            break
        check(server_a.running(), "A stopped while the job was running")
        check(time.monotonic() < deadline, f"the job still runs after {JOB_SECONDS} s")
        time.sleep(0.5)
    message = " ".join(status.group(2).split())
    check(status.group(1) == "success", f"the publication failed: {message}")
    check("เผยแพร่รายงานฉบับที่ 1 แล้ว" in message, f"the job says: {message}")

    # The worker ran it: the job's Celery task (on the admin's job page) was received by
    # the worker (celery.worker.strategy, which only a worker logs: a job run eagerly in
    # a web process would log only "succeeded") and succeeded.
    admin = coordinator.get(f"{a}/admin/jobs/job/{job.group(1)}/change/")
    check(admin.status == 200, f"the job's admin page: {admin.summary()}")
    task = re.search(
        r'field-task_id.*?<div class="readonly">([0-9a-f-]{36})</div>', admin.text, re.S
    )
    check(task, "the job's admin page shows no Celery task id")
    worker_lines = [
        record for record in log_records(server_a.log) if task.group(1) in record["message"]
    ]
    received = [r for r in worker_lines if r.get("logger") == "celery.worker.strategy"]
    succeeded = [
        r
        for r in worker_lines
        if r.get("logger") == "celery.app.trace" and "succeeded" in r.get("message", "")
    ]
    check(received and succeeded, f"the worker's log for task {task.group(1)}: {worker_lines}")

    # The published record as the report page lists it (read through B).
    report = coordinator.get(f"{b}/reports/{ORG}/{YEAR}/{SIX}/")
    listed = re.findall(r'<td class="hash">([0-9a-f]{64})</td>', report.text)
    check(len(listed) == 1, f"B's report page lists SHA-256 {listed}, not one version")
    sha256 = listed[0]

    public_url = f"{b}/p/{ORG}/{YEAR}/{SIX}.pdf"
    public = Browser().get(public_url)  # anyone, without logging in
    check(public.status == 200, f"public PDF through B: {public.summary()}")
    check(public.headers["Content-Type"] == "application/pdf", "public PDF's Content-Type")
    check(public.body.startswith(b"%PDF-"), "the public PDF is no PDF")
    served = hashlib.sha256(public.body).hexdigest()
    headers = (public.headers["X-Content-SHA256"], (public.headers["ETag"] or "").strip('"'))
    check(
        served == sha256 and headers == (sha256, sha256),
        f"SHA-256: served {served}, listed {sha256}, X-Content-SHA256 and ETag {headers}",
    )
    key = one_object(s3, "published/")
    check(key.startswith(f"published/{ORG}/{YEAR}/round6-v1-"), f"published object {key}")
    stored = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    check(hashlib.sha256(stored).hexdigest() == sha256, f"{key} is not the published PDF")
    check(anonymous_status(f"{endpoint}/{BUCKET}/{key}") == 403, f"{key} readable anonymously")
    say(f"published through A by the worker (task {task.group(1)}), {public_url} sha256 {sha256}")


# --- The run ----------------------------------------------------------------------------


def fresh_database_and_redis() -> None:
    with psycopg.connect(
        "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=5
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    redis.Redis.from_url(REDIS_URL).flushdb()


def environment(folder: Path, endpoint: str) -> dict:
    """The settings every process of the installation shares; nothing from the calling
    environment that would change them."""
    prefixes = ("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "ITA_", "AWS_", "GUNICORN_")
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(prefixes) and name not in ("HOST", "PORT", "WEB_CONCURRENCY")
    }
    return {
        **inherited,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "ci-smoke-test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        # Plain HTTP on loopback (scripts/serve.sh sets these for A itself).
        "DJANGO_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "ITA_S3_BUCKET": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_S3_ADDRESSING_STYLE": "path",
        "WEB_CONCURRENCY": "2",
        "CELERY_CONCURRENCY": "1",
    }


def run(stack: Stack) -> None:
    fresh_database_and_redis()
    moto_port, port_a, port_b = free_port(), free_port(), free_port()
    endpoint = f"http://127.0.0.1:{moto_port}"
    a, b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    env = environment(stack.folder, endpoint)

    moto = stack.start(
        "moto",
        [str(ROOT / ".venv/bin/moto_server"), "-H", "127.0.0.1", "-p", str(moto_port)],
        {k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
    )
    # A migrates meanwhile; its /healthz answers 200 only once the bucket is there.
    # Each server its own local media folder, as on two machines; both must stay empty.
    env_a = {**env, "PORT": str(port_a), "DJANGO_MEDIA_ROOT": str(stack.folder / "media-A")}
    env_b = {**env, "PORT": str(port_b), "DJANGO_MEDIA_ROOT": str(stack.folder / "media-B")}
    server_a = stack.start("A", ["bash", "scripts/serve.sh"], env_a)
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    deadline = time.monotonic() + 30
    while anonymous_status_or_none(endpoint) is None:
        check(moto.running(), "moto stopped before answering")
        check(time.monotonic() < deadline, "moto did not answer in 30 s")
        time.sleep(0.2)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    say(f"S3 (moto) at {endpoint}, private bucket {BUCKET}")

    wait_for_health(server_a, a)
    say(f"A (scripts/serve.sh: gunicorn and a worker) at {a}")
    # B once A has migrated (README: the first server of a release starts alone).
    server_b = stack.start(
        "B",
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "ita_portal/gunicorn.conf.py"],
        env_b,
    )
    password = secrets.token_urlsafe(12)
    loaded = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", LOAD_DATA],
        cwd=ROOT,
        env={**env_a, "SMOKE_PASSWORD": password},
        capture_output=True,
        text=True,
    )
    check(loaded.returncode == 0, f"loading the data failed:\n{loaded.stdout}{loaded.stderr}")
    wait_for_health(server_b, b)
    check_server("A", a)
    check_server("B", b)
    say(f"B (gunicorn) at {b}; both healthy; seed and users loaded")

    evidence_through_a_then_b(a, b, password, s3, endpoint)
    publish_through_a_fetch_through_b(a, b, password, s3, endpoint, server_a)

    on_disk = [str(p) for p in stack.folder.glob("media-*/**/*") if p.is_file()]
    check(not on_disk, f"files written to local disk instead of the bucket: {on_disk}")

    stack.stop(server_a, server_b)
    stack.stop(moto)
    fresh_database_and_redis()
    say(
        "ok: two app servers, a worker, PostgreSQL, Redis and S3; healthz, login page, CSP, "
        "hashed static files, evidence A→B, publication by the worker A→B, clean stop"
    )


def anonymous_status_or_none(url: str) -> int | None:
    try:
        return anonymous_status(url)
    except OSError:
        return None


def main() -> int:
    # Stopped from outside (CI's timeout, Ctrl-C): clean up as on failure.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with open(LOCK, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"waiting for another serve_smoke to finish ({LOCK})")
            fcntl.flock(lock, fcntl.LOCK_EX)
        folder = Path(tempfile.mkdtemp(prefix="ita-serve-smoke-"))
        stack = Stack(folder)
        try:
            run(stack)
            return 0
        except BaseException as failure:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the clean-up is bounded
            if isinstance(failure, Failure):
                print(f"serve_smoke: FAILED: {failure}", file=sys.stderr, flush=True)
            elif isinstance(failure, Exception):
                traceback.print_exc()
            else:
                print(f"serve_smoke: stopped ({failure!r})", file=sys.stderr, flush=True)
            stack.kill_leftovers()
            stack.print_logs()
            if isinstance(failure, SystemExit):
                return failure.code
            return 130 if isinstance(failure, KeyboardInterrupt) else 1
        finally:
            stack.kill_leftovers()
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
