# Noichinh: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export NOICHINH_DEBUG ?= 1

.PHONY: install run test lint typecheck check e2e demo messages bench clean

# Creates the virtualenv and installs the pinned dependencies; re-runs only when they change.
$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

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

bench: install
	$(BIN)/python manage.py bench_scoping

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
