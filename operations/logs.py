"""Log records as one JSON object per line (production), via python-json-logger.

Django's request logger attaches the request object and the status code to its
records; RequestFields turns the request into plain `method` and `path` fields, and
the formatter leaves the object itself out.
"""

import logging
import logging.config

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter


class RequestFields(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = record.__dict__.get("request")
        # django.server (runserver) puts a socket there; only HTTP requests have a path.
        if hasattr(request, "path") and hasattr(request, "method"):
            record.method = request.method
            record.path = request.path
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
