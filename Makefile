# Noichinh: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: install run dev test lint typecheck check e2e demo messages bench load clean backup restore security

# Creates the virtualenv and installs the pinned dependencies; re-runs only when they change.
$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

# `make run` serves the product as users meet it: debug off, so a missing page or an error shows
# the product's Vietnamese 404/500 pages (WhiteNoise serves the static files from the source
# folders, no collectstatic needed). `make dev` is the same with Django's debug pages.
# bin/serve starts the task worker (db_worker) and the scheduler (run_scheduler) beside the web
# server and stops them with it (Ctrl+C).
run: export NOICHINH_DEBUG = 0
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python bin/serve $(PORT)

dev: export NOICHINH_DEBUG = 1
dev: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python bin/serve $(PORT)

# The suite runs on every core (pytest-xdist; each worker has its own test database).
test: install
	$(BIN)/python -m pytest -q -n auto $(PYTEST_ARGS)

e2e: install
	$(BIN)/python -m pytest -q tests/e2e $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

check: lint typecheck
	$(BIN)/python manage.py makemigrations --check --dry-run

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

# Refresh the translation catalogs (needs gettext) and compile them; the compiled .mo files are committed.
messages: install
	$(BIN)/python manage.py makemessages -l vi --no-obsolete --ignore=.venv --ignore=tests
	$(BIN)/python manage.py compilemessages -l vi --ignore=.venv

# Generates the national data set (if absent) and benchmarks it: on SQLite (no DATABASE_URL:
# bench/out/bench.sqlite3) at scale 0.02, on PostgreSQL (DATABASE_URL=postgres://...) at
# SCALE=1. See docs/performance.md.
bench: install
	bench/run

# Issue 18's load test: 50 users for 60 s against gunicorn on $(DATABASE_URL), a demo database
# (LOAD_ARGS="--users 10 --seconds 20", see docs/performance.md, "Load test").
load: install
	$(BIN)/python manage.py bench_load $(LOAD_ARGS)

# Backup of the configured database (DATABASE_URL; SQLite or PostgreSQL) into var/backups/ with a
# .sha256 beside it; `make restore FILE=var/backups/...` puts one back into a fresh database
# (REPLACE=1 to overwrite one that holds data), then verifies the audit chain. docs/security.md.
backup: install
	$(BIN)/python manage.py backup

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/<file> [REPLACE=1]"; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)" $(if $(REPLACE),--replace,)
	$(BIN)/python manage.py audit_verify

# Static security analysis (bandit, skips explained in pyproject.toml) and known vulnerabilities
# of the installed packages (pip-audit; offline it says so and does not fail, see .ci/pip-audit-check).
security: install
	$(BIN)/bandit -q -c pyproject.toml -r noichinh config
	$(BIN)/pip-audit -l -f json --progress-spinner off 2>/dev/null | $(BIN)/python .ci/pip-audit-check

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
