"""scripts/loadtest.py stops the stack it started without leaving processes behind
(issue 18): a program that supervisord put in a process group of its own and that
does not stop on TERM is killed too, not left running once serve.sh is gone."""

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# serve.sh's part: ignores TERM long enough, with a child in a process group of its
# own (as supervisord starts gunicorn and the workers) that ignores TERM altogether.
STACK = """
import os, signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = subprocess.Popen([sys.executable, "-c", "import os, signal, time; "
    "signal.signal(signal.SIGTERM, signal.SIG_IGN); os.setpgrp(); time.sleep(300)"])
open(sys.argv[1], "w").write(str(child.pid))
time.sleep(300)
"""


def loadtest():
    spec = importlib.util.spec_from_file_location("loadtest", ROOT / "scripts" / "loadtest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_kill_fallback_leaves_no_process_behind(tmp_path):
    pid_file = tmp_path / "child.pid"
    stack = subprocess.Popen([sys.executable, "-c", STACK, str(pid_file)], start_new_session=True)
    for _ in range(200):
        if pid_file.exists() and pid_file.read_text():
            break
        time.sleep(0.05)
    child = int(pid_file.read_text())
    assert alive(child)

    loadtest().stop(stack, grace=1)

    assert stack.poll() is not None
    for _ in range(100):  # the child's parent is gone: init reaps it
        if not alive(child):
            break
        time.sleep(0.05)
    assert not alive(child)
