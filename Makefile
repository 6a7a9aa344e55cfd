# SIPI IKM Kalbar — `make run` (portal with demo data on http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup db stop test browser lint check-python packages

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required (found " + sys.version.split()[0] + ")")'

# The virtualenv is rebuilt whenever requirements.txt changes.
$(VENV)/.installed: requirements.txt | check-python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

# Local secrets for this checkout (git-ignored), unless already present.
.env:
	@$(PYTHON) -c 'import secrets, base64, os; \
	print("SECRET_KEY=" + secrets.token_urlsafe(50)); \
	print("NIK_ENCRYPTION_KEY=" + base64.urlsafe_b64encode(os.urandom(32)).decode())' > .env
	@echo "wrote .env with generated local keys"

# Debian's PostgreSQL, Redis and PgBouncer: installed when missing and run as root (else a hint).
PG_BIN := $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb))
packages:
	@missing=""; \
	[ -n "$(PG_BIN)" ] || command -v initdb >/dev/null 2>&1 || missing="$$missing postgresql postgresql-contrib"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || missing="$$missing pgbouncer"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing:$$missing"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing Debian packages:$$missing (sudo apt-get install$$missing)" >&2; exit 1; fi; fi

# Start the project's own PostgreSQL and Redis (each skipped when DATABASE_URL / REDIS_URL is
# set). Idempotent.
db: .env packages | check-python
	@$(PYTHON) sipi/localpg.py start
	@$(PYTHON) sipi/localredis.py start

stop:
	@$(PYTHON) sipi/localpg.py stop
	@$(PYTHON) sipi/localredis.py stop

setup: $(VENV)/.installed db
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compilemessages --ignore=.venv >/dev/null
	$(PY) manage.py load_regions
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo

# Web, Celery worker and beat in one command (Procfile); Ctrl-C stops them all.
run: setup
	@echo "SIPI IKM Kalbar: http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	DJANGO_DEBUG=1 SIPI_HOST=$(HOST) SIPI_PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: sudo apt-get install chromium" >&2; exit 1; fi; }

# Debian's wrk for bench/load.py (not needed by make test; bench/README.md).
.PHONY: bench-tools
bench-tools:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is missing: sudo apt-get install wrk" >&2; exit 1; fi; }

# Lighthouse CI (npm @lhci/cli, pinned in tools/lighthouse/) on home, catalog and a product page,
# mobile profile, with Debian's Chromium and a gunicorn of its own (bench/lighthouse.py; reports in
# bench/results/lighthouse/). Node.js and npm come from Debian; the CLI goes into .lighthouse/.
LIGHTHOUSE := .lighthouse
$(LIGHTHOUSE)/.installed: tools/lighthouse/package.json tools/lighthouse/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else echo "Node.js is missing: sudo apt-get install nodejs npm" >&2; exit 1; fi; }
	@mkdir -p $(LIGHTHOUSE)
	cp tools/lighthouse/package.json tools/lighthouse/package-lock.json $(LIGHTHOUSE)/
	cd $(LIGHTHOUSE) && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --silent
	@touch $@

.PHONY: lighthouse
lighthouse: $(VENV)/.installed db browser $(LIGHTHOUSE)/.installed
	$(PY) bench/lighthouse.py $(LIGHTHOUSE_ARGS)

test: $(VENV)/.installed db browser
	$(PY) manage.py compilemessages --ignore=.venv >/dev/null
	$(PY) manage.py makemigrations --check --dry-run >/dev/null || { echo "Models changed without a migration: run makemigrations" >&2; exit 1; }
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest $(PYTEST_ARGS)

lint:
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports

# Backups: take one, restore the latest into a fresh PostgreSQL cluster and files folder, check
# row counts, checksums and the site on that copy (sipi/drill.py). DRILL_ARGS= drills the latest
# existing backup without taking one.
DRILL_ARGS ?= --backup
.PHONY: restore-drill
restore-drill: $(VENV)/.installed db
	$(PY) manage.py restore_drill $(DRILL_ARGS)
