"""The worker's own care for the jobs (jobs.recovery_services), as a step of its
consumer (ita_portal/celery.py adds it): Celery starts the step each time the worker
connects to the broker, before any message of that connection is taken.

- At its first start the worker takes over what its earlier life left running (same
  node name, `-n` in scripts/serve.sh and deploy/); not at a reconnection, when its
  own processes may still be running jobs.
- At every start (so also after Redis restarted and lost what it held), queued jobs
  whose message is not in the broker are sent again.
- Every SWEEP_SECONDS, running jobs whose worker stopped beating are taken over, and
  lost messages sent again.

The step's work runs in the worker's main process, in its event loop; a failure is
logged and does not stop the worker.
"""

import json
import logging

from celery import bootsteps
from django.conf import settings
from django.db import DatabaseError, close_old_connections
from kombu.exceptions import OperationalError

from jobs.models import HEARTBEAT_MISSED
from jobs.recovery_services import recover_node, resend_lost, sweep_stopped

logger = logging.getLogger(__name__)


def sweep_seconds() -> float:
    """Half the silence after which a running job counts as stopped."""
    return HEARTBEAT_MISSED * settings.ITA_JOB_HEARTBEAT_SECONDS / 2


class JobRecovery(bootsteps.StartStopStep):
    requires = ("celery.worker.consumer.tasks:Tasks",)

    def __init__(self, c, **kwargs):
        super().__init__(c, **kwargs)
        self.first = True
        self.entry = None

    def start(self, c):
        queues = {queue.name for queue in c.task_consumer.queues}
        if self.first:
            self.first = False
            _safely("recover", lambda: recover_node(c.hostname))
        _safely("resend", lambda: resend_lost(queues, task_ids_in_broker(c.app, queues)))
        self.entry = c.timer.call_repeatedly(sweep_seconds(), self.sweep, (c.app, queues))

    def sweep(self, app, queues):
        _safely("sweep", sweep_stopped)
        _safely("resend", lambda: resend_lost(queues, task_ids_in_broker(app, queues)))

    def stop(self, c):
        if self.entry is not None:
            self.entry.cancel()
            self.entry = None

    shutdown = stop


def _safely(what: str, work) -> None:
    close_old_connections()
    try:
        done = work()
    except (DatabaseError, OperationalError) as unreachable:
        # The database or the broker is down: said in one line; the next sweep tries again.
        logger.warning("jobs: %s not done now (%s); tried again in %ss", what,
                       str(unreachable).strip().splitlines()[0], sweep_seconds())  # fmt: skip
        return
    except Exception:
        logger.exception("jobs: %s failed", what)
        return
    if done:
        logger.warning("jobs: %s dealt with jobs %s", what, done)


def task_ids_in_broker(app, queues: set[str]) -> set[str] | None:
    """The task ids of the messages a Redis broker holds for these queues, waiting or
    delivered and not yet acknowledged; None for another broker."""
    with app.connection_for_read() as connection:
        if connection.transport.driver_type != "redis":
            return None
        channel = connection.default_channel
        client = channel.client
        raw = [message for queue in sorted(queues) for message in client.lrange(queue, 0, -1)]
        ids = {_task_id(json.loads(message)) for message in raw}
        for delivered in client.hvals(channel.unacked_key):
            ids.add(_task_id(json.loads(delivered)[0]))
        return ids


def _task_id(message: dict) -> str:
    return message.get("headers", {}).get("id", "")
