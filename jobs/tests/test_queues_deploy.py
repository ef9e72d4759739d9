"""Issue 17, item 4, as shipped: every queue a kind of job is sent to has a worker of
its own in `make serve` (deploy/supervisord.conf) and on systemd (deploy/systemd/),
the two run the same command, and the daily sweep's units are valid."""

import shlex
import shutil
import subprocess

import pytest

from jobs.models import Job
from jobs.registry import kind_of
from operations.tests.test_deploy_files import DEPLOY, ROOT, read, supervised


def queues_of(command: list[str]) -> set[str]:
    return set(command[command.index("--queues") + 1].split(","))


def test_each_queue_has_a_worker_of_its_own_and_drafts_are_apart():
    programs = {name: queues_of(supervised(name)) for name in ("worker", "drafts")}
    assert programs == {"worker": {"urgent"}, "drafts": {"drafts"}}
    sent_to = {kind: kind_of(kind).queue for kind in Job.Kind.values}
    assert sent_to == {
        "publish": "urgent",
        "import": "urgent",
        "rollover": "urgent",
        "results_import": "urgent",
        "results_preview": "urgent",
        "publish_analysis": "urgent",
        "draft_pdf": "drafts",
    }
    # Node names differ (a worker takes over only its own earlier life's jobs).
    names = {supervised(name)[supervised(name).index("--hostname") + 1] for name in programs}
    assert names == {"urgent@%%h", "drafts@%%h"}


def test_the_drafts_unit_runs_the_supervised_command():
    service = read(DEPLOY / "systemd" / "ita-portal-drafts.service")["Service"]
    assert shlex.split(service["ExecStart"]) == supervised("drafts")
    assert service["Restart"] == "on-failure" and service["KillMode"] == "mixed"
    example = (DEPLOY / "systemd" / "env.example").read_text()
    assert "CELERY_DRAFT_CONCURRENCY=" in example


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_accepts_the_drafts_and_sweep_units(tmp_path):
    for unit in ("ita-portal-drafts.service", "ita-portal-sweep.service", "ita-portal-sweep.timer"):
        text = (DEPLOY / "systemd" / unit).read_text()
        (tmp_path / unit).write_text(text.replace("/srv/ita/portal", str(ROOT)))
    units = sorted(str(path) for path in tmp_path.iterdir())
    verified = subprocess.run(
        ["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=60
    )
    assert verified.returncode == 0 and not verified.stderr.strip(), verified.stderr
