#!/usr/bin/env bash
# The production stack on this machine (`make serve`): DEBUG off, PostgreSQL and
# Redis, gunicorn, two Celery workers (jobs; draft PDFs) and Celery beat (the
# scheduled jobs: reminders by e-mail, the link check). Runs migrate (under a
# lock: several servers may start at once) and collectstatic first, then the processes
# under supervisord (deploy/supervisord.conf): one that dies is started again and the
# others keep running; Ctrl-C (or TERM) stops all. Settings come from the environment
# (README.md, "Production"). Its own lines are JSON like the portal's unless
# DJANGO_LOG_FORMAT=plain.
set -euo pipefail
cd "$(dirname "$0")/.."

say() {  # level, message
  if [ "${DJANGO_LOG_FORMAT:-json}" = "json" ]; then
    local message="${2//\\/\\\\}"
    message="${message//\"/\\\"}"
    message="$(printf '%s' "$message" | tr '\n\t\r' '   ')"
    printf '{"timestamp": "%s", "level": "%s", "logger": "serve", "message": "%s"}\n' \
      "$(date -u +%Y-%m-%dT%H:%M:%S.%3N+00:00)" "$1" "$message" >&2
  else
    printf '%s %s serve: %s\n' "$(date '+%Y-%m-%d %H:%M:%S,%3N')" "$1" "$2" >&2
  fi
}

export DJANGO_DEBUG=0
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ita}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"

# One secret for every app server of an installation: set DJANGO_SECRET_KEY. On a
# single machine without it, one is made once and kept in .secret_key (not in git).
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  if [ ! -s .secret_key ]; then
    (umask 077 && .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key)
    say WARNING "DJANGO_SECRET_KEY is not set; made one in .secret_key"
  fi
  DJANGO_SECRET_KEY="$(cat .secret_key)"
  export DJANGO_SECRET_KEY
fi

# Without a TLS proxy in front (DJANGO_BEHIND_TLS_PROXY=1), the pages are served over
# plain HTTP on loopback: no redirect to HTTPS, cookies without the Secure flag.
if [ "${DJANGO_BEHIND_TLS_PROXY:-0}" != "1" ]; then
  export DJANGO_SSL_REDIRECT="${DJANGO_SSL_REDIRECT:-0}"
  export DJANGO_SECURE_COOKIES="${DJANGO_SECURE_COOKIES:-0}"
fi

.venv/bin/python scripts/create_database.py
.venv/bin/python manage.py migrate --noinput -v0
# The assessment's catalogue of every fiscal year the portal ships (idempotent).
catalogue="$(.venv/bin/python manage.py load_catalogue)"
say INFO "load_catalogue: $catalogue"
.venv/bin/python manage.py collectstatic --noinput -v0

# gunicorn and the worker under supervisord; its pid file, own log and control socket
# in ITA_RUN_DIR (one per port, so two stacks on one machine keep apart).
# Job worker processes: publishing, imports and rollovers; draft PDFs (their own
# worker and queue, so that no publication waits behind them).
export CELERY_CONCURRENCY="${CELERY_CONCURRENCY:-2}"
export CELERY_DRAFT_CONCURRENCY="${CELERY_DRAFT_CONCURRENCY:-1}"
# Celery beat, the timetable of scheduled jobs: on one server of an installation.
export ITA_RUN_BEAT="${ITA_RUN_BEAT:-1}"
export ITA_RUN_DIR="${ITA_RUN_DIR:-$PWD/.run/serve-${PORT:-8000}}"
mkdir -p "$ITA_RUN_DIR"
rm -f "$ITA_RUN_DIR/fatal"

supervisord=
stop() {
  trap - INT TERM
  [ -n "$supervisord" ] && kill -TERM "$supervisord" 2>/dev/null
  wait "$supervisord" || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM

.venv/bin/supervisord -c deploy/supervisord.conf &
supervisord=$!
say INFO "http://${HOST:-127.0.0.1}:${PORT:-8000}/ (gunicorn and the workers under supervisord, pid $supervisord); Ctrl-C stops all"
status=0
wait "$supervisord" || status=$?
if [ -s "$ITA_RUN_DIR/fatal" ]; then
  say ERROR "$(cat "$ITA_RUN_DIR/fatal") could not be started; stopped"
  exit 1
fi
exit "$status"
