"""Log records as one JSON object per line (production), via python-json-logger.

Django's request logger attaches the request object and the status code to its
records; RequestFields turns the request into plain `method` and `path` fields, and
the formatter leaves the object itself out. Every record logged while a request is
handled gets its `request_id` and `user_id` (RequestFields), gunicorn's access lines
too (AccessFields); every record logged while a background job runs on a worker, or
while Celery's main process reports on it (a worker lost mid-job), its `job_id` and
Celery's `task_id` (job_context, set by jobs/tasks.py). Imports no Django: gunicorn's
master and supervisord's listener (operations/supervision.py) use it.
"""

import contextvars
import logging
import logging.config
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter


@dataclass
class RequestContext:
    """The request being handled (operations/request_context.py): its id, and the
    signed-in person's id once known."""

    request_id: str
    request: object  # Django's HttpRequest
    signed_in: object = None  # who signed in during this request

    @property
    def user_id(self) -> int | None:
        """The person Django's AuthenticationMiddleware looked up for the page, if the
        page asked (it keeps the user on the request as `_cached_user`), or who signed
        in meanwhile; never a lookup of its own. Noted in the WSGI environ for
        gunicorn's access log line."""
        user = self.signed_in or self.request.__dict__.get("_cached_user")
        if user is None or not user.is_authenticated:
            return None
        self.request.META["ita.user_id"] = str(user.pk)
        return user.pk


current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "ita_request", default=None
)


@dataclass
class JobContext:
    job_id: object  # the jobs.Job's primary key, as the task was given it
    task_id: str = ""


current_job: contextvars.ContextVar[JobContext | None] = contextvars.ContextVar(
    "ita_job", default=None
)


@contextmanager
def job_context(job_id, task_id: str = ""):
    """Records logged inside carry `job_id` (and Celery's `task_id`)."""
    token = current_job.set(JobContext(job_id, task_id or ""))
    try:
        yield
    finally:
        current_job.reset(token)


class RequestFields(logging.Filter):
    """`request_id` and `user_id` on every record logged while a request is handled
    (operations/request_context.py), and `method` and `path` on Django's request
    records, which carry the request itself (also after the middlewares are done)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = record.__dict__.get("request")
        # django.server (runserver) puts a socket there; only HTTP requests have a path.
        if hasattr(request, "path") and hasattr(request, "method"):
            record.method = request.method
            record.path = request.path
        context = current.get()
        if context is not None:
            record.__dict__.setdefault("request_id", context.request_id)
            if (user_id := context.user_id) is not None:
                record.__dict__.setdefault("user_id", user_id)
        elif hasattr(request, "META") and "ita.request_id" in request.META:
            # Django logs a 4xx or 5xx answer once the middlewares are done with it.
            record.__dict__.setdefault("request_id", request.META["ita.request_id"])
            if "ita.user_id" in request.META:
                record.__dict__.setdefault("user_id", int(request.META["ita.user_id"]))
        if (job := current_job.get()) is not None:
            record.__dict__.setdefault("job_id", job.job_id)
            if job.task_id:
                record.__dict__.setdefault("task_id", job.task_id)
        return True


class AccessFields(logging.Filter):
    """gunicorn's access log line with the request's id and the signed-in person's id,
    which the portal left in the WSGI environ (gunicorn's `{name}e` atoms)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            if request_id := record.args.get("{ita.request_id}e"):
                record.request_id = request_id
            if user_id := record.args.get("{ita.user_id}e"):
                record.user_id = int(user_id)
        return True


class JsonFormatter(BaseJsonFormatter):
    """{"timestamp": ..., "level": ..., "logger": ..., "message": ..., extras...}"""

    def __init__(self, **kwargs):
        kwargs.setdefault("fmt", ["levelname", "name", "message"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", True)
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "server_time"])
        super().__init__(**kwargs)


def configure(config: dict) -> None:
    """Django's LOGGING_CONFIG: the LOGGING dictionary, and Python's warnings (such
    as WhiteNoise's "No directory at") as log records of the `py.warnings` logger,
    so that production logs stay one JSON object per line."""
    logging.config.dictConfig(config)
    logging.captureWarnings(True)
