"""supervisord's event listener for `make serve` (deploy/supervisord.conf).

supervisord restarts gunicorn or the Celery worker when one dies; this listener says
so in the portal's log format (one JSON object per line on standard error in
production) and, when a process cannot be started at all (supervisord gave up on it:
FATAL), writes ITA_RUN_DIR/fatal and stops supervisord, so that `make serve` ends
with an error instead of running half a portal.

Run by supervisord as `python -m operations.supervision`; it speaks supervisord's
event protocol on standard input and output, and imports no Django.
"""

import logging
import os
import signal
import sys
from pathlib import Path

from supervisor import childutils

from operations.logs import JsonFormatter

logger = logging.getLogger("serve")

# The state a process entered -> what the operator reads. EXITED is a process that
# ended by itself (one that is stopped goes through STOPPING to STOPPED).
SAYINGS = {
    "PROCESS_STATE_RUNNING": "%(name)s is running (pid %(pid)s)",
    "PROCESS_STATE_EXITED": "%(name)s (pid %(pid)s) stopped unexpectedly; starting it again",
    "PROCESS_STATE_BACKOFF": "%(name)s stopped while starting; trying again",
    "PROCESS_STATE_FATAL": "%(name)s cannot be started; stopping everything",
}


def log_setup() -> None:
    handler = logging.StreamHandler(sys.stderr)
    if os.getenv("DJANGO_LOG_FORMAT", "json").strip().lower() == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def on_event(event: str, payload: str) -> None:
    headers, _ = childutils.eventdata(payload + "\n")
    name = headers.get("processname", "?")
    saying = SAYINGS.get(event)
    if saying is None:
        return
    fields = {"program": name, "pid": headers.get("pid"), "state": event.rsplit("_", 1)[1]}
    level = logging.INFO if event == "PROCESS_STATE_RUNNING" else logging.ERROR
    logger.log(level, saying, {"name": name, "pid": headers.get("pid", "-")}, extra=fields)
    if event == "PROCESS_STATE_FATAL":
        run_dir = os.getenv("ITA_RUN_DIR")
        if run_dir:
            (Path(run_dir) / "fatal").write_text(f"{name}\n")
        os.kill(os.getppid(), signal.SIGTERM)


def main() -> None:
    log_setup()
    while True:
        headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
        try:
            on_event(headers["eventname"], payload)
        finally:
            childutils.listener.ok(sys.stdout)


if __name__ == "__main__":
    main()
