"""Settings for ITA Portal, read from the environment.

Local use needs nothing: DEBUG is on and the database is SQLite in the project
folder. Production sets DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS
and usually DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/ita).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured

from ita_portal.env import LOG_LEVELS, envbool, envchoice, envfloat, envint, envints, envurl
from ita_portal.file_storage import default_file_storage

BASE_DIR = Path(__file__).resolve().parent.parent

# Every value below is read strictly (ita_portal/env.py): a boolean is one of
# 1/0/true/false/yes/no/on/off, a number lies within its range, a choice is one of
# its list; anything else stops the start with the variable's name and what it takes.
DEBUG = envbool("DJANGO_DEBUG", True)

SECRET_KEY = os.getenv("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production (DJANGO_DEBUG=0) refuses to start "
            "without it; set it to a long random string, e.g. the output of "
            '`python -c "import secrets; print(secrets.token_urlsafe(50))"`.'
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = [
    h.strip()
    for h in os.getenv("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is empty: it must name the portal's host names, comma-separated "
        "(e.g. ita.example.go.th), or be unset for 127.0.0.1,localhost,testserver."
    )
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.getenv("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "csp",
    # The domain's rooms, lowest first: an app imports only the apps above it in
    # this list (`make check` enforces it with import-linter, see pyproject.toml).
    "thai",
    "organizations",
    "linkcheck",
    "catalogue",
    "jobs",
    "measures",
    "progress",
    "interchange",
    "results",
    "reports",
    "analysis",
    "oit",
    "paperwork",
    "approvals",
    "reminders",
    "oversight",
    "home",
    "demo",
    "operations",
    # Signing in (accounts/), and django-axes (its lockout) under a Thai admin name.
    "accounts",
    "accounts.apps.AxesConfig",
]

MIDDLEWARE = [
    # First: every request's id (X-Request-ID) in its answer and in every log line.
    "operations.request_context.RequestIdMiddleware",
    # Counts and times every answer for /metrics (operations/metrics.py).
    "operations.metrics.MetricsMiddleware",
    # A view that needed Redis while it was down or hung: a Thai page saying what is
    # unavailable and what still works (503), not the 500 page (operations/outages.py).
    "operations.outages.RedisOutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp) on every response but PDFs.
    "ita_portal.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Published PDFs, like static files, before the middlewares they have no use for.
    "reports.middleware.PublishedPdfMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF: refuses an oversized request, unread, with a Thai page (413).
    "progress.uploads.UploadLimitMiddleware",
    # After it, before CSRF: a NUL in a cookie, the path, the query or the form is
    # refused with a Thai page (400) before anything reads it; so is a number past
    # what SQLite holds (operations/request_input.py).
    "operations.request_input.BadInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the Thai lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ita_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "ita_portal.wsgi.application"

try:
    DATABASES = {
        "default": dj_database_url.config(
            default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60, minimum=0, maximum=86400),
            # A connection kept from an earlier request is checked before the next one
            # uses it: after PostgreSQL restarts, the first request on each web worker
            # gets a new connection instead of a 500.
            conn_health_checks=True,
        )
    }
except ValueError as error:  # not the URL itself in the message: it holds the password
    raise ImproperlyConfigured(f"DATABASE_URL is not accepted: {error}") from None
# PostgreSQL only (read whatever the database, so that a wrong value is refused anyway).
_connect_timeout = envint("DATABASE_CONNECT_TIMEOUT", 5, minimum=1, maximum=600)
_statement_timeout = envint("DATABASE_STATEMENT_TIMEOUT", 0, minimum=0, maximum=86400)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue instead of failing with "database is locked": each transaction
    # takes SQLite's write lock when it begins (a deferred one that reads first
    # cannot wait for it later), and waits up to `timeout` seconds for it. A
    # publication holds the lock while its PDF renders (a few seconds).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 30}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that does not answer fails the request (and /healthz) in
    # seconds instead of holding a web worker until the OS gives up.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", _connect_timeout)
    # A statement (or a wait for a lock) that runs longer is cancelled by PostgreSQL
    # itself, which also stops the work of a request that gunicorn has given up on.
    # The web server sets it a little under its request timeout (gunicorn.conf.py);
    # the worker (whose jobs may wait for a publication's lock while it renders, and
    # are stopped at CELERY_TASK_TIME_LIMIT), migrations and commands have none.
    if _statement_timeout:
        _options = DATABASES["default"]["OPTIONS"]
        _options["options"] = " ".join(
            filter(None, [_options.get("options"), f"-c statement_timeout={_statement_timeout}s"])
        )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a locked-out login before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย")]
# Thai for what the libraries leave untranslated (django-axes, password rules).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.getenv("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.getenv("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Evidence files and published PDFs: the folder MEDIA_ROOT, or S3-compatible object
# storage once ITA_S3_BUCKET names a bucket (ita_portal/file_storage.py).
STORAGES = {
    "default": default_file_storage(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"


def trusted_proxies(name: str, text: str):
    """DJANGO_TRUSTED_PROXIES as networks; None for "*" (any connection)."""
    import ipaddress

    if text.strip() == "*":
        return None
    try:
        return [ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",")]
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={text!r} is not accepted: {name} must be IP addresses or networks "
            "separated by commas (e.g. 10.0.0.2,192.168.10.0/24), or * for any connection."
        ) from None


# Sign-in protection (accounts/signin.py, django-axes), over AXES_COOLOFF_MINUTES:
# AXES_FAILURE_LIMIT wrong passwords for one username from one address lock that
# username at that address, so one person, or one attacker, behind an office's single
# NAT address does not lock the whole office out. ITA_USERNAME_FAILURE_LIMIT for one
# username from all addresses together then locks it at every address that has itself
# failed for it (guessing from many addresses; the owner elsewhere still signs in).
# ITA_ADDRESS_FAILURE_LIMIT from one address over all usernames locks that address
# (password spraying). Neither of these two locks a username at an address it has
# signed in from before. 0 turns either off.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, minimum=1, maximum=1000)
ITA_USERNAME_FAILURE_LIMIT = envint("ITA_USERNAME_FAILURE_LIMIT", 20, minimum=0, maximum=10000)
ITA_ADDRESS_FAILURE_LIMIT = envint("ITA_ADDRESS_FAILURE_LIMIT", 20, minimum=0, maximum=10000)
_cooloff_minutes = envint("AXES_COOLOFF_MINUTES", 15, minimum=1, maximum=7 * 24 * 60)
AXES_COOLOFF_TIME = timedelta(minutes=_cooloff_minutes)
for _name, _limit in [
    ("ITA_USERNAME_FAILURE_LIMIT (all addresses together)", ITA_USERNAME_FAILURE_LIMIT),
    ("ITA_ADDRESS_FAILURE_LIMIT (all usernames together)", ITA_ADDRESS_FAILURE_LIMIT),
]:
    if 0 < _limit < AXES_FAILURE_LIMIT:
        raise ImproperlyConfigured(
            f"{_name} must be 0 (off) or at least AXES_FAILURE_LIMIT (one username from "
            "one address)."
        )
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "accounts.signin.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "accounts.signin.lockout_response"
# A lock ends at a known time (shown on the lockout page): attempts during the lock
# neither count nor extend it. A successful login clears that address's failures.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
# The client address: REMOTE_ADDR, or behind the TLS proxy the address that proxy
# appended to X-Forwarded-For (the right-most entry; entries a client sends itself stand
# to its left and are ignored). DJANGO_PROXY_COUNT: proxies in front that each append one.
# X-Forwarded-For is read only from connections of DJANGO_TRUSTED_PROXIES (addresses or
# networks, comma-separated; default gunicorn's FORWARDED_ALLOW_IPS, else the proxy on
# this machine; "*" any connection): a client that reaches the app port itself is
# counted at its own address (accounts.signin.client_address).
BEHIND_TLS_PROXY = envbool("DJANGO_BEHIND_TLS_PROXY", False)
ITA_TRUSTED_PROXIES = []  # networks; None: any connection
if BEHIND_TLS_PROXY:
    _proxies = [n for n in ("DJANGO_TRUSTED_PROXIES", "FORWARDED_ALLOW_IPS") if n in os.environ]
    _name = (_proxies or ["DJANGO_TRUSTED_PROXIES"])[0]
    ITA_TRUSTED_PROXIES = trusted_proxies(_name, os.environ.get(_name, "127.0.0.1,::1"))
    AXES_CLIENT_IP_CALLABLE = "accounts.signin.client_address"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = envint("DJANGO_PROXY_COUNT", 1, minimum=1, maximum=10) - 1
    # python-ipware's strict mode wants exactly that many entries and would fall back
    # to the proxy's own address for any client that sends X-Forwarded-For itself.
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
# Shown on the lockout and password pages as whom to ask, e.g. "กองยุทธศาสตร์ โทร 0 4524 4444".
ITA_SUPPORT_CONTACT = os.getenv("ITA_SUPPORT_CONTACT", "").strip()

# Mail, used for password reset. Without EMAIL_HOST (or DJANGO_EMAIL_BACKEND, e.g.
# django.core.mail.backends.console.EmailBackend to try it locally) the portal offers
# no reset by mail and tells people to ask their ITA coordinator or the administrator.
EMAIL_HOST = os.getenv("EMAIL_HOST", "").strip()
EMAIL_PORT = envint("EMAIL_PORT", 587, minimum=1, maximum=65535)
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
if EMAIL_USE_SSL:
    EMAIL_USE_TLS = False
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10, minimum=1, maximum=300)
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "").strip() or (
    EMAIL_HOST_USER if "@" in EMAIL_HOST_USER else "webmaster@localhost"
)
EMAIL_BACKEND = os.getenv("DJANGO_EMAIL_BACKEND", "").strip() or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.dummy.EmailBackend"
)
PASSWORD_RESET_BY_MAIL = bool(EMAIL_HOST or os.getenv("DJANGO_EMAIL_BACKEND", "").strip())
# The portal's address as people reach it (scheme and host, no path), for links in
# e-mails sent without a request (reminders/), e.g. https://ita.agency.go.th.
ITA_SITE_URL = envurl("ITA_SITE_URL", "http://127.0.0.1:8000", ("https://", "http://")).rstrip("/")
# Reminders by e-mail (reminders/): days before a measure's due date or the round's end
# (comma-separated), every how many days once late, after how many days a result waiting
# for review is reminded to the coordinator, and how many times a failed send is retried.
ITA_REMINDER_DAYS_BEFORE = envints("ITA_REMINDER_DAYS_BEFORE", (14, 7, 1), minimum=0, maximum=366)
ITA_REMINDER_LATE_EVERY_DAYS = envint("ITA_REMINDER_LATE_EVERY_DAYS", 7, minimum=1, maximum=366)
ITA_REMINDER_REVIEW_AFTER_DAYS = envint("ITA_REMINDER_REVIEW_AFTER_DAYS", 3, minimum=1, maximum=366)
ITA_REMINDER_MAX_ATTEMPTS = envint("ITA_REMINDER_MAX_ATTEMPTS", 5, minimum=1, maximum=100)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Reverting to an old version from the admin's history would write around the
# services (measures.services, progress.services); history pages are read only.
SIMPLE_HISTORY_REVERT_DISABLED = True

_GiB = 1024**3
# Limits on what people send; the forms show them (measures/limits.py states them in
# Thai) and the services enforce them. One file, evidence or spreadsheet import:
MAX_UPLOAD_BYTES = envint("ITA_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, minimum=1024, maximum=_GiB)
# The evidence files of one request, and of one measure's round (progress).
MAX_FILES_PER_REQUEST = envint("ITA_MAX_FILES_PER_REQUEST", 10, minimum=1, maximum=1000)
MAX_UPLOAD_TOTAL_BYTES = envint(
    "ITA_MAX_UPLOAD_TOTAL_BYTES",
    max(50 * 1024 * 1024, MAX_UPLOAD_BYTES),
    minimum=MAX_UPLOAD_BYTES,
    maximum=10 * _GiB,
)
MAX_EVIDENCE_FILES = envint("ITA_MAX_EVIDENCE_FILES", 20, minimum=1, maximum=1000)
# Each at most 1,000 characters.
MAX_EVIDENCE_LINKS = envint("ITA_MAX_EVIDENCE_LINKS", 20, minimum=1, maximum=1000)
# Characters of the result text (a long real one is ~5,300) and of the reason it cannot be done.
MAX_RESULT_CHARS = envint("ITA_MAX_RESULT_CHARS", 10000, minimum=100, maximum=1_000_000)
MAX_REASON_CHARS = envint("ITA_MAX_REASON_CHARS", 3000, minimum=100, maximum=1_000_000)
# A request whose Content-Length passes this is answered 413 before its body is read
# (ita_portal/uploads.py); between the form's limits and these hard ones, the form
# itself names what is too much and keeps what was typed.
MAX_REQUEST_BYTES = envint(
    "ITA_MAX_REQUEST_BYTES",
    MAX_UPLOAD_TOTAL_BYTES + 2 * 1024 * 1024,
    minimum=MAX_UPLOAD_TOTAL_BYTES,
    maximum=11 * _GiB,
)
DATA_UPLOAD_MAX_NUMBER_FILES = envint(
    "ITA_DATA_UPLOAD_MAX_NUMBER_FILES",
    2 * MAX_FILES_PER_REQUEST,
    minimum=MAX_FILES_PER_REQUEST,
    maximum=10000,
)
# Small requests stay in memory (Django's default); larger files stream to a temporary
# file that stops growing at MAX_UPLOAD_BYTES.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "progress.uploads.LimitedTemporaryFileUploadHandler",
]
# Spreadsheet imports: checked from the zip directory before the workbook is loaded.
IMPORT_MAX_ROWS = envint("ITA_IMPORT_MAX_ROWS", 2000, minimum=1, maximum=1_000_000)
IMPORT_MAX_COLUMNS = envint("ITA_IMPORT_MAX_COLUMNS", 50, minimum=1, maximum=1000)
# Reading takes ~40 ms of CPU a MB unpacked (docs/benchmarks.md): 10 MiB, ten times a
# year's table, keeps the worst admitted preview under half a second.
IMPORT_MAX_UNCOMPRESSED_BYTES = envint(
    "ITA_IMPORT_MAX_UNCOMPRESSED_BYTES", 10 * 1024 * 1024, minimum=1024, maximum=10 * _GiB
)
# The national results import (results.sheet): one row per agency, 8,317 in 2568,
# at most 24 cells a row counted (agency, province, ten indicators, the tools, total,
# grade...): 288,000 cells and shared strings, the same bomb bounds scaled.
RESULTS_IMPORT_MAX_ROWS = envint(
    "ITA_RESULTS_IMPORT_MAX_ROWS", 12_000, minimum=1, maximum=1_000_000
)
RESULTS_IMPORT_MAX_UNCOMPRESSED_BYTES = envint(
    "ITA_RESULTS_IMPORT_MAX_UNCOMPRESSED_BYTES", 40 * 1024 * 1024, minimum=1024, maximum=_GiB
)

# The cache: Redis when REDIS_URL is set, so that several app servers share it;
# otherwise the process's memory, so `make run` needs nothing. Django's own
# RedisCache (on redis-py) is enough: nothing here needs django-redis.
# Sessions are in the database only (Django's default engine), whether or not Redis
# is there: with Redis down or hung, people stay signed in. (The cache in front of
# them, cached_db, saved one primary-key read per request, but failed the request
# when Redis did not answer, and a sign-out while Redis missed the delete would have
# left the session alive in the cache.)
REDIS_URL = envurl("REDIS_URL", "", ("redis://", "rediss://", "unix://"))
# Every call to Redis (cache, broker, job results) gives up after this long, so a
# Redis that does not answer (stopped, hung, unreachable) fails that call, and
# /healthz, in seconds instead of holding a web worker or a job.
REDIS_CONNECT_TIMEOUT = envfloat("REDIS_CONNECT_TIMEOUT", 2, minimum=0.1, maximum=60)
REDIS_SOCKET_TIMEOUT = envfloat("REDIS_SOCKET_TIMEOUT", 2, minimum=0.1, maximum=60)
_redis_timeouts = {
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ita",
            "OPTIONS": _redis_timeouts,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background jobs (Celery, ita_portal/celery.py). The broker defaults to REDIS_URL.
# With neither set (local use, tests) there is no broker: jobs run in the calling
# process as soon as they are sent.
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", "").strip() or REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = os.getenv("CELERY_RESULT_BACKEND", "").strip() or REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = envbool(
    "CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL.startswith("memory://")
)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
# Sending a job to a Redis broker that does not answer fails in seconds (the page
# says so) instead of hanging the request; the worker's waits for messages are
# shorter than this and unaffected.
if CELERY_BROKER_URL.startswith(("redis://", "rediss://", "unix://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = dict(_redis_timeouts)
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
# Reconnecting to the result store: twice, not Celery's 20 times (a minute with these
# timeouts). Jobs keep their state in the database (jobs/), not in results.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 2}}
CELERY_TIMEZONE = TIME_ZONE
# A job that renders a large PDF takes one worker process for its whole length:
# take one message at a time, and stop a runaway job (its soft limit, 30 s before,
# lets it fail cleanly first).
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 900, minimum=60, maximum=86400)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
# A worker process keeps the memory its largest job took (an 800-measure PDF: about
# 900 MiB). It is replaced by a fresh one after this many jobs, or after a job that
# left it using more than this much memory, so what one render took is given back.
CELERY_WORKER_MAX_TASKS_PER_CHILD = envint(
    "CELERY_WORKER_MAX_TASKS_PER_CHILD", 100, minimum=1, maximum=1_000_000
)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 1024 * envint(  # Celery counts KiB
    "CELERY_WORKER_MAX_MEMORY_MIB", 512, minimum=64, maximum=1024 * 1024
)
# A job still waiting this long was never taken by a worker (none running): it is
# marked failed, changes nothing, and the same request may be made again (jobs/).
ITA_JOB_QUEUE_SECONDS = envint("ITA_JOB_QUEUE_SECONDS", 1800, minimum=60, maximum=7 * 86400)
# A worker says every this many seconds that a job it runs is alive; a running job
# silent for six beats was stopped (its worker killed): another worker runs it again,
# or its page says it stopped (jobs/).
ITA_JOB_HEARTBEAT_SECONDS = envint("ITA_JOB_HEARTBEAT_SECONDS", 10, minimum=1, maximum=300)
# Draft PDFs one person may have queued or running at once; the next asks them to wait.
ITA_DRAFTS_PER_PERSON = envint("ITA_DRAFTS_PER_PERSON", 3, minimum=1, maximum=100)
# Two queues, each with a worker of its own (scripts/serve.sh, deploy/): publishing,
# imports and rollovers on "urgent", draft PDFs on "drafts", so that no publication
# waits behind drafts (jobs.registry says which kind goes where).
CELERY_TASK_DEFAULT_QUEUE = "urgent"
# A job is acknowledged when it ends: a worker killed mid-job leaves its message to be
# delivered again (jobs.tasks; every kind may run again), by the Redis broker after
# visibility_timeout, which must outlast the longest job.
if CELERY_BROKER_URL.startswith(("redis://", "rediss://", "unix://")):
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = max(3600, CELERY_TASK_TIME_LIMIT + 300)

# The scheduled jobs, sent by Celery beat (deploy/supervisord.conf); hours in CELERY_TIMEZONE.
ITA_REMINDERS_HOUR = envint("ITA_REMINDERS_HOUR", 7, minimum=0, maximum=23)
# Removed files stay this long, longer than a backup takes (operations.sweep_services).
ITA_FILE_DELETE_GRACE_MINUTES = envint("ITA_FILE_DELETE_GRACE_MINUTES", 120, minimum=0)

CELERY_BEAT_SCHEDULE = {
    # Hourly: removed files past their grace period, files no row owns (sweep_orphans).
    "sweep": {"task": "operations.sweep_orphans", "schedule": crontab(minute=17)},
    # E-mail reminders (reminders/): every hour of the working day from
    # ITA_REMINDERS_HOUR; the first run sends the day's reminders, later runs send
    # nothing twice and retry what failed (a mail server that was down).
    "reminders": {
        "task": "reminders.send_reminders",
        "schedule": crontab(
            minute=0, hour=f"{ITA_REMINDERS_HOUR}-{min(ITA_REMINDERS_HOUR + 10, 23)}"
        ),
    },
}

# The check of evidence and OIT item links (linkcheck/): off unless ITA_LINK_CHECK=1.
# Every 15 minutes a run on the drafts worker checks the links not yet checked today
# (each at most once a day), CONCURRENCY at a time, for at most RUN_SECONDS; a link
# gets TIMEOUT seconds a connection or read and DEADLINE in all, redirects included.
ITA_LINK_CHECK = envbool("ITA_LINK_CHECK", False)
ITA_LINK_CHECK_CONCURRENCY = envint("ITA_LINK_CHECK_CONCURRENCY", 4, minimum=1, maximum=32)
ITA_LINK_CHECK_TIMEOUT = envfloat("ITA_LINK_CHECK_TIMEOUT", 5.0, minimum=0.1, maximum=60.0)
ITA_LINK_CHECK_DEADLINE = envfloat("ITA_LINK_CHECK_DEADLINE", 15.0, minimum=0.1, maximum=300.0)
ITA_LINK_CHECK_RUN_SECONDS = envint("ITA_LINK_CHECK_RUN_SECONDS", 240, minimum=10, maximum=800)
ITA_LINK_CHECK_ALLOW_LOOPBACK = False  # tests' local servers only; never from the environment
if ITA_LINK_CHECK:
    CELERY_BEAT_SCHEDULE["check-links"] = {
        "task": "linkcheck.check_links",
        "schedule": crontab(minute="*/15"),
        "options": {"queue": "drafts"},
    }

# When production redirects plain HTTP to HTTPS, load balancers still probe app
# servers directly over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp, ita_portal/security.py): scripts, styles,
# fonts and images from the portal itself only, no inline script or style; data:
# images for the icons in Bootstrap's stylesheet. No plugins, no framing, forms
# post only to the portal. One exception, by hash: the style attribute
# "border-top: 0" of django-simple-history's admin history page (its template's
# paginator), and no other inline style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [
            SELF,
            UNSAFE_HASHES,
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",  # border-top: 0
        ],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (the usual set-up).
    if BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("DJANGO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 0, minimum=0, maximum=2 * 365 * 86400)
    # The portal's host name's own subdomains (if any) are HTTPS too.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    # Browsers' preload list takes only a registrable domain (agency.go.th), submitted
    # by whoever runs that whole domain; a portal on a host of it (ita.agency.go.th)
    # does not decide it, hence no check --deploy warning about it unless asked.
    SECURE_HSTS_PRELOAD = envbool("DJANGO_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Error reports to Sentry (or GlitchTip) when SENTRY_DSN is set; off by default
# (operations/error_reports.py).
SENTRY_DSN = envurl("SENTRY_DSN", "", ("https://", "http://"))
SENTRY_ENVIRONMENT = os.getenv("SENTRY_ENVIRONMENT", "").strip() or "production"
# /metrics (ita_portal/metrics.py) answers a scraper that sends this token as
# "Authorization: Bearer <token>"; signed-in superusers need none. Empty: no token works.
ITA_METRICS_TOKEN = os.getenv("ITA_METRICS_TOKEN", "").strip()

# Logs go to standard error: in production (or with DJANGO_LOG_FORMAT=json) one JSON
# object per line, with method, path and status_code on request errors
# (operations/logs.py); plain lines for local use.
LOG_FORMAT = envchoice("DJANGO_LOG_FORMAT", "plain" if DEBUG else "json", ("json", "plain"))
LOG_LEVEL = envchoice("DJANGO_LOG_LEVEL", "WARNING", LOG_LEVELS)
LOGGING_CONFIG = "operations.logs.configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_fields": {"()": "operations.logs.RequestFields"}},
    "formatters": {
        "json": {"()": "operations.logs.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_fields"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own loggers through the same handler only (its default adds a second,
    # plain one when DEBUG is on).
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # Workers say when they are ready and when each job starts and ends.
        "celery": {"level": "INFO"},
    },
}
