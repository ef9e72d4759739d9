"""The systemd units (deploy/systemd/) run what `make serve` runs (scripts/serve.sh,
deploy/supervisord.conf), each restarted on failure with the settings of one
environment file: the two ways of running the portal do not drift apart."""

import configparser
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENV = "/srv/ita/portal/.venv/bin/"


def read(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read(path)
    return parser


def supervised(program: str) -> list[str]:
    """A program's command in deploy/supervisord.conf, its venv path and the
    environment's values written as systemd writes them."""
    command = read(DEPLOY / "supervisord.conf")[f"program:{program}"]["command"]
    command = command.replace("%(here)s/../.venv/bin/", VENV)
    return shlex.split(re.sub(r"%\(ENV_(\w+)\)s", r"${\1}", command))


def test_each_unit_runs_the_supervised_command_and_restarts_on_failure():
    for unit, program in (("ita-portal-web", "web"), ("ita-portal-worker", "worker")):
        service = read(DEPLOY / "systemd" / f"{unit}.service")["Service"]
        assert shlex.split(service["ExecStart"]) == supervised(program), unit
        assert service["Restart"] == "on-failure", unit
        assert service["EnvironmentFile"] == "/etc/ita-portal/env", unit
        assert service["KillMode"] == "mixed", unit  # TERM to the main process, then KILL


def test_the_web_unit_prepares_a_release_as_serve_sh_does():
    # systemd keeps only the last ExecStartPre= of a section in configparser's eyes:
    # read the lines themselves.
    text = (DEPLOY / "systemd" / "ita-portal-web.service").read_text()
    before = re.findall(r"^ExecStartPre=\S+ manage\.py (\w+)", text, re.M)
    serve = (ROOT / "scripts" / "serve.sh").read_text()
    assert before == re.findall(r"manage\.py (\w+)", serve)
    assert before == ["migrate", "load_catalogue", "collectstatic"]


def test_the_environment_file_sets_what_the_units_use():
    example = (DEPLOY / "systemd" / "env.example").read_text()
    names = set(re.findall(r"^(\w+)=", example, re.M))
    for unit in ("ita-portal-web", "ita-portal-worker"):
        used = set(re.findall(r"\$\{(\w+)\}", (DEPLOY / "systemd" / f"{unit}.service").read_text()))
        assert used <= names, unit
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_DEBUG"} <= names


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_accepts_the_units(tmp_path):
    """systemd's own check of the units, installed in this checkout's place."""
    for unit in ("ita-portal-web", "ita-portal-worker"):
        text = (DEPLOY / "systemd" / f"{unit}.service").read_text()
        (tmp_path / f"{unit}.service").write_text(text.replace("/srv/ita/portal", str(ROOT)))
    units = sorted(str(path) for path in tmp_path.iterdir())
    verified = subprocess.run(
        ["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=60
    )
    assert verified.returncode == 0 and not verified.stderr.strip(), verified.stderr
