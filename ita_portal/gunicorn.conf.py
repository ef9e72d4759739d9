"""gunicorn settings for the portal: `gunicorn -c ita_portal/gunicorn.conf.py`
(scripts/serve.sh, `make serve`). Everything an operator changes comes from the
environment; README.md lists the variables."""

import multiprocessing
import os

# Read strictly, as the portal's settings are: a wrong value stops the start with the
# variable's name and what it takes.
from ita_portal.env import envbool, envchoice, envint

wsgi_app = "ita_portal.wsgi:application"

# Loopback by default: a TLS proxy (nginx, a load balancer) in front takes the
# outside connections. HOST=0.0.0.0 listens on every interface.
_host = os.getenv("HOST", "127.0.0.1").strip()
bind = [f"{_host}:{envint('PORT', 8000, minimum=1, maximum=65535)}"]

# Sync workers, gunicorn's advice of 2 × cores + 1 unless WEB_CONCURRENCY says.
workers = envint("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1, minimum=1, maximum=256)

# A request that takes longer than this is killed and its worker restarted.
timeout = envint("GUNICORN_TIMEOUT", 30, minimum=10, maximum=3600)
# PostgreSQL cancels a statement of a web request (or its wait for a lock) a little
# before that, so the person gets the error page and the database stops the work
# (ita_portal/settings.py), unless DATABASE_STATEMENT_TIMEOUT says otherwise.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", str(timeout - 5))
# On TERM (Ctrl-C, a deploy), requests under way get this long to finish.
graceful_timeout = envint("GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=0, maximum=3600)
# Behind a proxy that keeps connections open to the app server.
keepalive = 5

# Restart each worker after about this many requests (0: never): memory that a
# large page took is given back to the system. Each worker draws its own count
# between max_requests and max_requests + max_requests_jitter, half as many again,
# so that workers serving the same load do not all restart together; and the app is
# loaded once in the master before the workers are forked, so a restarted worker
# answers at once instead of first spending a second or two importing the portal.
max_requests = envint("GUNICORN_MAX_REQUESTS", 1000, minimum=0, maximum=1_000_000)
max_requests_jitter = max_requests // 2
preload_app = True

# No control socket (gunicornc is not used): two app servers on one machine would
# otherwise share the one in the home folder.
control_socket_disable = True

# X-Forwarded-* headers are trusted from these addresses only (the proxy).
forwarded_allow_ips = os.getenv("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access log and error log on standard output/error, with the request's duration (µs).
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)sus "%(f)s" "%(a)s"'
loglevel = envchoice(
    "GUNICORN_LOG_LEVEL", "info", ("debug", "info", "warning", "error", "critical")
)

# The same log format as the portal (ita_portal/settings.py): one JSON object per
# line in production unless DJANGO_LOG_FORMAT=plain.
_debug = envbool("DJANGO_DEBUG", True)
if envchoice("DJANGO_LOG_FORMAT", "plain" if _debug else "json", ("json", "plain")) == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": "INFO", "handlers": ["json"]},
        "loggers": {
            name: {"level": "INFO", "handlers": ["json"], "propagate": False}
            for name in ("gunicorn.error", "gunicorn.access")
        },
        "handlers": {
            "json": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["access_fields"],
                "stream": "ext://sys.stderr",
            }
        },
        # Each access line with the request's id and the signed-in person's id.
        "filters": {"access_fields": {"()": "operations.logs.AccessFields"}},
        "formatters": {"json": {"()": "operations.logs.JsonFormatter"}},
    }

# Request metrics (/metrics, operations/metrics.py) add up every worker's counts: each
# worker writes them in this folder, fresh at each start (prometheus_client's
# multiprocess mode); a worker that exits is let go of.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    import tempfile

    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="ita-metrics-")


def child_exit(server, worker):
    from operations.metrics import worker_exited

    worker_exited(worker.pid)
