# The verbs of the project. `make run` and `make test` install what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
PYTHON ?= python3
# uv is installed on first use (it is a PyPI package) and put on PATH for every recipe,
# including the included fragments that call `uv` directly.
UV_BIN_DIR := $(shell $(PYTHON) -c "import uv" 2>/dev/null || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv >&2; $(PYTHON) -c "import os, uv; print(os.path.dirname(uv.find_uv_bin()))")
export PATH := $(UV_BIN_DIR):$(PATH)
UV := uv
MANAGE := $(UV) run --frozen python backend/manage.py
PORT ?= 8000

.PHONY: help uv sync run worker beat stack-up stack-down stack-reset stack-status system-test-tools migrate seed test test-app test-app-mysql test-system lint typecheck check-migrations

help:  ## list the verbs
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

uv:  ## uv is installed when the Makefile is read; this shows which one
	@uv --version

# With bytecode, as the image's build (UV_COMPILE_BYTECODE): where PYTHONDONTWRITEBYTECODE is
# set, every process otherwise compiles what it imports, a new web worker on its first request.
sync: uv  ## install the locked Python dependencies into .venv
	@UV_COMPILE_BYTECODE=1 $(UV) sync --frozen --quiet

run: export LOG_FORMAT ?= console
# The links in account e-mails open the app where runserver serves it.
run: export FRONTEND_URL ?= http://127.0.0.1:$(PORT)
run: sync frontend-build  ## serve the app on http://127.0.0.1:$(PORT) (embedded default unless DATABASE_URL is set)
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --if-empty
	$(MANAGE) runserver 127.0.0.1:$(PORT)

worker: sync  ## a Celery worker (needs CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/1)
	cd backend && exec ../.venv/bin/celery -A config worker -Q default,notifications --loglevel INFO

beat: sync  ## the single Celery beat (run exactly one per deployment)
	cd backend && exec ../.venv/bin/celery -A config beat --loglevel INFO --schedule $(CURDIR)/var/celerybeat-schedule

migrate: sync  ## apply migrations
	$(MANAGE) migrate --noinput

seed: sync  ## load deterministic demo data (SALONS=N SEED=S)
	$(MANAGE) seed_demo --salons $${SALONS:-20} --seed $${SEED:-1}

lint: sync lint-infra  ## ruff over all of our Python
	$(UV) run --frozen ruff check backend deploy tests bench
	$(UV) run --frozen ruff format --check backend deploy tests bench

typecheck: sync typecheck-infra  ## mypy: the app (django-stubs), the stack, bench, infra and ops
	cd backend && ../.venv/bin/mypy booking config
	$(UV) run --frozen mypy deploy/stack deploy/granian_server.py deploy/uwsgi_server.py deploy/gunicorn.conf.py deploy/docker/healthcheck.py bench

check-migrations: sync  ## no model change without a migration
	$(UV) run --frozen python backend/manage.py makemigrations --check --dry-run

# The Django suites in PYTEST_WORKERS processes (pytest-xdist, a test database each): on two
# vCPUs the PostgreSQL suite took 168 s instead of 302, the MariaDB one 165 instead of 264.
# PYTEST_WORKERS=0 runs them in one process.
PYTEST_WORKERS ?= 2
PYTEST_PARALLEL = $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS))

test-app: sync  ## the Django suite against the local PostgreSQL
	$(UV) run --frozen pytest -q $(PYTEST_PARALLEL) backend

MYSQL_TEST_DATABASE_URL ?= mysql://root@127.0.0.1:3306/booking_mysql

# The SQLite race serves the embedded default whatever TEST_DATABASE_URL says: test-app runs it.
test-app-mysql: sync  ## the Django suite against the local MariaDB/MySQL (127.0.0.1:3306, root)
	TEST_DATABASE_URL=$(MYSQL_TEST_DATABASE_URL) $(UV) run --frozen pytest -q -rs $(PYTEST_PARALLEL) backend \
	  --ignore=backend/booking/appointments/tests/apis/test_booking_race_sqlite.py

stack-up: sync  ## the production-like stack from native processes (https://127.0.0.1:8443)
	$(UV) run --frozen python -m deploy.stack up

stack-down: uv  ## stop every process stack-up started
	$(UV) run --frozen python -m deploy.stack down

stack-reset: sync  ## stop every stack left running and remove stack state under /var/tmp (.ci/run does it first)
	$(UV) run --frozen python -m deploy.stack reset

stack-status: uv  ## what is running, where the logs are
	$(UV) run --frozen python -m deploy.stack status

test-system: sync system-test-tools frontend-build frontend-chromium  ## the native stack, driven through nginx over HTTPS (brings its own stack up and down)
	$(UV) run --frozen pytest -p no:django -W ignore::pytest.PytestConfigWarning -q -s tests/system

# Debian packages the system tests drive (the stack installs its own servers when it starts).
system-test-tools:
	@command -v testssl >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends testssl.sh >/dev/null; \
	  else echo "testssl.sh is missing: sudo apt-get install testssl.sh" >&2; exit 1; fi; }

-include infra/infra.mk
-include deploy/deploy.mk
-include deploy/k8s/k8s.mk
-include .github/github.mk
-include frontend/frontend.mk
-include bench/bench.mk

test: lint typecheck check-migrations test-app test-app-mysql test-infra test-deploy test-k8s bench-test test-ops test-workflows test-frontend test-system  ## everything CI runs
