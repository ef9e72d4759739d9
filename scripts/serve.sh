#!/usr/bin/env bash
# The production stack on this machine (`make serve`): DEBUG off, PostgreSQL and
# Redis, gunicorn and a Celery worker. Runs migrate and collectstatic first; Ctrl-C
# (or TERM) stops both processes, and if either stops by itself the other is
# stopped too. Settings come from the environment (README.md, "Production").
set -euo pipefail
cd "$(dirname "$0")/.."

export DJANGO_DEBUG=0
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ita}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"

# One secret for every app server of an installation: set DJANGO_SECRET_KEY. On a
# single machine without it, one is made once and kept in .secret_key (not in git).
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  if [ ! -s .secret_key ]; then
    (umask 077 && .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key)
    echo "serve: DJANGO_SECRET_KEY is not set; made one in .secret_key" >&2
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
.venv/bin/python manage.py migrate --noinput
# The assessment's catalogue of every fiscal year the portal ships (idempotent).
.venv/bin/python manage.py load_catalogue
.venv/bin/python manage.py collectstatic --noinput -v0

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

.venv/bin/celery -A ita_portal --quiet worker --loglevel INFO \
  --concurrency "${CELERY_CONCURRENCY:-2}" --without-gossip --without-mingle &
pids+=("$!")
.venv/bin/gunicorn -c ita_portal/gunicorn.conf.py &
pids+=("$!")
echo "serve: http://${HOST:-127.0.0.1}:${PORT:-8000}/ (gunicorn pid ${pids[1]}, worker pid ${pids[0]}); Ctrl-C stops both" >&2

# Whichever stops first, the other follows (the EXIT trap).
status=0
wait -n "${pids[@]}" || status=$?
echo "serve: a process stopped (exit status $status); stopping the other" >&2
exit "$status"
