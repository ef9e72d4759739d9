PY := .venv/bin/python
RUFF := .venv/bin/ruff

.PHONY: install run serve test check bench loadtest fonts screenshots

install:
	@bash scripts/install.sh

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed
	$(PY) manage.py runserver 127.0.0.1:8000

# The production stack: DEBUG off, PostgreSQL, Redis, gunicorn and a Celery worker
# (scripts/serve.sh; README.md, "Production").
serve: install
	bash scripts/serve.sh

# The whole suite in two processes (pytest-xdist, requirements-dev.txt); a single file:
# .venv/bin/python -m pytest path/to/test_file.py
test: install
	$(PY) -m pytest -n 2 --dist loadscope

# manage.py check, migrations, ruff, the apps' one-way imports (import-linter) and the
# one write path (an AST walk: no ORM write outside a service module).
check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(RUFF) check .
	$(RUFF) format --check .
	.venv/bin/lint-imports --no-cache
	$(PY) -m pytest -q ita_portal/tests/test_write_path.py

bench: install
	$(PY) scripts/bench_report.py
	$(PY) scripts/bench_import.py
	$(PY) scripts/bench_jobs.py
	ITA_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bench_admin $(PY) scripts/bench_admin.py --keep

# A bounded load run (wrk, on loopback) against the production stack of scripts/serve.sh,
# started on a spare port with its own database; writes docs/benchmarks.md, "Load test".
loadtest: install
	$(PY) scripts/loadtest.py

fonts: install
	$(PY) scripts/patch_sarabun.py

screenshots: install
	$(PY) scripts/screenshots.py
