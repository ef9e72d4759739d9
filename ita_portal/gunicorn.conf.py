"""gunicorn settings for the portal: `gunicorn -c ita_portal/gunicorn.conf.py`
(scripts/serve.sh, `make serve`). Everything an operator changes comes from the
environment; README.md lists the variables."""

import multiprocessing
import os

wsgi_app = "ita_portal.wsgi:application"

# Loopback by default: a TLS proxy (nginx, a load balancer) in front takes the
# outside connections. HOST=0.0.0.0 listens on every interface.
bind = [f"{os.getenv('HOST', '127.0.0.1')}:{os.getenv('PORT', '8000')}"]

# Sync workers, gunicorn's advice of 2 × cores + 1 unless WEB_CONCURRENCY says.
workers = int(os.getenv("WEB_CONCURRENCY", str(2 * multiprocessing.cpu_count() + 1)))

# A request that takes longer than this is killed and its worker restarted.
timeout = int(os.getenv("GUNICORN_TIMEOUT", "30"))
# On TERM (Ctrl-C, a deploy), requests under way get this long to finish.
graceful_timeout = int(os.getenv("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Behind a proxy that keeps connections open to the app server.
keepalive = 5

# Restart each worker after about this many requests: memory that a long PDF
# rendering took is given back to the system.
max_requests = int(os.getenv("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10

# No control socket (gunicornc is not used): two app servers on one machine would
# otherwise share the one in the home folder.
control_socket_disable = True

# X-Forwarded-* headers are trusted from these addresses only (the proxy).
forwarded_allow_ips = os.getenv("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access log and error log on standard output/error, with the request's duration (µs).
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)sus "%(f)s" "%(a)s"'
loglevel = os.getenv("GUNICORN_LOG_LEVEL", "info")

# The same log format as the portal (ita_portal/settings.py): one JSON object per
# line in production unless DJANGO_LOG_FORMAT=plain.
_debug = os.getenv("DJANGO_DEBUG", "1").strip().lower() in ("1", "true", "yes", "on")
if os.getenv("DJANGO_LOG_FORMAT", "plain" if _debug else "json").strip().lower() == "json":
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
                "stream": "ext://sys.stderr",
            }
        },
        "formatters": {"json": {"()": "operations.logs.JsonFormatter"}},
    }
