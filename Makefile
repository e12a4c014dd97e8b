# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run test migrate seed lint format messages worker worker-documents beat ci

include make/tokens.mk

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-17s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	@# uv resolves and installs the same packages from PyPI as pip, in a quarter of the
	@# time (25 s against 90 s for the whole set on a new machine): CI installs on every run.
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip install --quiet --python $(PY) -e '.[dev]'
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the portal with its test tools

migrate: install ## Apply migrations (SQLite unless DATABASE_URL is set)
	$(PY) manage.py migrate --noinput $(MIGRATE_FLAGS)

seed: migrate ## Create the demo accounts and demo data
	$(PY) manage.py seed_demo

# E-mail links point where the portal is served, unless PORTAL_BASE_URL says otherwise.
run seed: export PORTAL_BASE_URL ?= http://$(HOST):$(PORT)
# runserver runs the system checks: their findings (missing fonts) are printed once.
run: MIGRATE_FLAGS = --skip-checks

run: seed ## Install, migrate, seed and serve on 127.0.0.1:8000 (make run HOST=… PORT=… to change)
	@mkdir -p "$${STATIC_ROOT:-staticfiles}"  # the folder collectstatic fills; WhiteNoise warns without it
	$(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite in two runs: what needs no browser and no real worker in two processes
# (pytest-xdist; the canary crawl alone takes minutes and runs beside the rest), then the
# chromium journeys and the real-worker tests one at a time (they start servers and
# workers of their own). PYTEST_WORKERS=0 runs it all in one process.
PYTEST_WORKERS ?= 2
test: install ## Run the whole suite
	$(PY) -m pytest -n $(PYTEST_WORKERS) -m "not browser and not integration"
	$(PY) -m pytest -m "browser or integration"

lint: install ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install ## Re-extract interface strings into locale/*/LC_MESSAGES/django.po and compile them
	$(PY) manage.py makemessages --no-obsolete --no-location -l ja -l ru -l tg --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'staticfiles/*'
	$(PY) manage.py compile_catalogs

# Two workers, as in docker-compose.yml: a PDF render takes seconds, and in a shared pool
# it would hold up the outbox (notifications, publication) queued behind it.
worker: install ## The Celery worker for the outbox and everything but documents (needs REDIS_URL)
	$(VENV)/bin/celery -A portal worker -Q celery --loglevel INFO

worker-documents: install ## The Celery worker that renders documents (PDF), niced (needs REDIS_URL)
	nice -n 19 $(VENV)/bin/celery -A portal worker -Q documents --concurrency 1 --loglevel INFO

beat: install ## Celery beat, the periodic outbox sweep and consent expiry (needs REDIS_URL)
	$(VENV)/bin/celery -A portal beat --loglevel INFO

ci: ## What CI runs: bash .ci/run
	bash .ci/run
