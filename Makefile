# The two commands: `make run` (the portal with demo data) and `make test` (every test).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# The address `runserver` answers at below, for the links in emails and calendars.
DEMO_ENV := DEBUG=1 DEMO_MODE=1 REQUIRE_MFA=0 SITE_URL=$${SITE_URL:-http://127.0.0.1:8000}

.PHONY: run test bench setup lint lock clean

run: setup
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	$(DEMO_ENV) $(PY) manage.py seed_demo
	@$(DEMO_ENV) $(PY) manage.py db_worker --queue-name default & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# The tests run in as many processes as there are cores (up to 4), a file to a process.
test: setup lint
	@chromium=$$(VENV_PYTHON=$(PY) scripts/ensure-chromium) || exit 1; \
	CHROMIUM_PATH=$$chromium $(VENV)/bin/pytest -n auto --maxprocesses 4 --dist loadfile $(PYTEST_ARGS)

# The performance goals of DESIGN.md §4, side by side on PostgreSQL and gunicorn; not part of
# `make test`. Needs the PostgreSQL server binaries; writes build/bench.json.
bench: setup
	$(PY) scripts/bench.py

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	@python=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		echo "Creating $(VENV) with $$python"; rm -rf $(VENV); "$$python" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to fetch the Scottish Government Design System (install Node.js 20 or newer)." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Style, the layers (no lower layer imports a higher one) and strict types where money and access live.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

# Regenerate the lock file after changing dependencies in pyproject.toml.
lock: setup
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.12 -o requirements.lock

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm build
