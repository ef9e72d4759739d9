"""The production stack as `make serve` ships it (scripts/serve.sh, deploy/supervisord.conf),
started for real on a spare port with a PostgreSQL database and a redis-server of its
own: a worker killed with SIGKILL is started again while the site keeps answering,
Ctrl-C stops every process (TERM: .ci/serve_smoke.py), and a process that cannot
start at all stops the stack with an error instead of leaving half a portal running."""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from operations.tests.services import (
    RedisServer,
    create_database,
    drop_database,
    needs_postgres,
    needs_redis_server,
    spare_port,
)

pytestmark = [pytest.mark.stack, needs_postgres, needs_redis_server]

ROOT = Path(__file__).resolve().parents[2]
DATABASE = f"ita_test_supervision_{os.getpid()}"
STARTUP_SECONDS = 180  # migrate on a fresh database, collectstatic, both processes
RESTART_SECONDS = 60
STOP_SECONDS = 40  # gunicorn's graceful timeout is 30 s


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    """The settings of a stack of the test's own: its database, Redis and folders."""
    folder = tmp_path_factory.mktemp("stack")
    redis_server = RedisServer(folder)
    database_url = create_database(DATABASE)
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "ITA_", "AWS_"))
        and not name.startswith("GUNICORN_")
        and name not in ("HOST", "PORT", "WEB_CONCURRENCY")
    }
    yield {
        **inherited,
        "DJANGO_SECRET_KEY": "supervision-test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_server.url,
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "WEB_CONCURRENCY": "1",
        "CELERY_CONCURRENCY": "1",
    }
    redis_server.stop()
    drop_database(DATABASE)


class Stack:
    """scripts/serve.sh in a session of its own: every process it starts is found."""

    def __init__(self, environment: dict, log: Path):
        self.port = spare_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # supervisord's socket path must stay short (a Unix socket's name has 107 bytes).
        self.run_dir = Path(tempfile.mkdtemp(prefix="ita-run-"))
        self.log = log
        with open(log, "wb") as out:
            self.popen = subprocess.Popen(
                ["bash", "scripts/serve.sh"],
                cwd=ROOT,
                env={**environment, "PORT": str(self.port), "ITA_RUN_DIR": str(self.run_dir)},
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def processes(self) -> dict[int, tuple[int, str]]:
        """pid -> (parent pid, command line) of every live process of the session."""
        found = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue  # gone meanwhile
            fields = stat[stat.rfind(")") + 2 :].split()
            if int(fields[3]) == self.popen.pid and fields[0] != "Z":
                found[int(entry.name)] = (int(fields[1]), cmdline.strip())
        return found

    def program(self, name: str) -> int | None:
        """The pid of a process supervisord started ("gunicorn", "celery"), if any."""
        processes = self.processes()
        supervisors = [pid for pid, (_, cmd) in processes.items() if "supervisord" in cmd]
        for pid, (parent, cmd) in processes.items():
            if parent in supervisors and f"/bin/{name} " in cmd:
                return pid
        return None

    def status(self, path: str, headers=None) -> int | None:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status
        except urllib.error.HTTPError as refused:
            return refused.code
        except OSError:
            return None

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while self.status("/healthz") != 200:
            assert self.popen.poll() is None, f"serve.sh stopped:\n{self.log.read_text()}"
            assert time.monotonic() < deadline, f"no healthy answer:\n{self.log.read_text()}"
            time.sleep(0.3)

    def records(self) -> list[dict]:
        """The log's JSON lines (Celery prints its "Warm shutdown" line plain)."""
        records = []
        for line in self.log.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                records.append(json.loads(line))
        return records

    def said(self, program: str, state: str) -> dict | None:
        """The stack's log line saying that `program` entered `state`, if any."""
        for record in self.records():
            if record.get("program") == program and record.get("state") == state:
                return record
        return None

    def interrupt(self) -> None:
        """Ctrl-C: the terminal sends INT to serve.sh's whole process group."""
        os.killpg(self.popen.pid, signal.SIGINT)
        self.popen.wait(STOP_SECONDS)

    def kill_leftovers(self) -> None:
        for pid in self.processes():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(5)
        shutil.rmtree(self.run_dir, ignore_errors=True)


@pytest.fixture
def start(tmp_path):
    stacks = []

    def start(environment: dict) -> Stack:
        stacks.append(Stack(environment, tmp_path / f"serve-{len(stacks)}.log"))
        return stacks[-1]

    yield start
    for stack in stacks:
        stack.kill_leftovers()


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        assert time.monotonic() < deadline, what
        time.sleep(0.2)
    return result


def test_a_killed_worker_is_started_again_and_the_site_keeps_answering(installation, start):
    stack = start(installation)
    stack.wait_until_healthy()
    gunicorn = stack.program("gunicorn")
    worker = wait_for(lambda: stack.program("celery"), RESTART_SECONDS, "no Celery worker")
    # Past its start (5 s up): a death from now on is a crash, not a failed start.
    wait_for(lambda: stack.said("worker", "RUNNING"), RESTART_SECONDS, "worker never up")

    os.kill(worker, signal.SIGKILL)
    new_worker = wait_for(
        lambda: (pid := stack.program("celery")) != worker and pid,
        RESTART_SECONDS,
        f"no new worker after killing {worker}:\n{stack.log.read_text()}",
    )
    assert new_worker != worker
    assert stack.status("/accounts/login/") == 200
    assert stack.status("/healthz") == 200
    assert stack.program("gunicorn") == gunicorn, "the web server was not touched"
    # gunicorn's access line names the request by the id it came with.
    assert stack.status("/healthz", {"X-Request-ID": "probe-4711"}) == 200
    access = wait_for(
        lambda: [r for r in stack.records() if r.get("request_id") == "probe-4711"],
        RESTART_SECONDS,
        "no access line with the request's id",
    )
    assert [r["logger"] for r in access] == ["gunicorn.access"]
    # Said in the portal's log format (JSON).
    exited = wait_for(lambda: stack.said("worker", "EXITED"), RESTART_SECONDS, "not logged")
    assert exited["level"] == "ERROR"
    assert exited["pid"] == str(worker)
    assert exited["message"] == f"worker (pid {worker}) stopped unexpectedly; starting it again"

    stack.interrupt()
    assert stack.popen.returncode == 130
    assert stack.processes() == {}, "processes left behind after Ctrl-C"


def test_a_process_that_cannot_start_stops_the_stack_with_an_error(installation, start):
    stack = start({**installation, "CELERY_CONCURRENCY": "not-a-number"})
    stack.popen.wait(STARTUP_SECONDS)
    assert stack.popen.returncode == 1
    assert stack.processes() == {}, "processes left behind"
    fatal = stack.said("worker", "FATAL")
    assert fatal["message"] == "worker cannot be started; stopping everything"
