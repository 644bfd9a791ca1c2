# Run `make help` for the list of commands.
.DEFAULT_GOAL := help
PY := .venv/bin/python
MANAGE := $(PY) manage.py
# `make run PORT=8100`: the site, its emails and every absolute link use that port.
PORT ?= $(or $(SITE_PORT),8000)
export SITE_PORT := $(PORT)

.PHONY: help setup run worker test test-postgres lint format messages bench bench-newsletter bench-weight bench-chaos bench-lighthouse

help:  ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

setup:  ## Create .venv, install, migrate, load the demo content
	@scripts/bootstrap.sh
	@mkdir -p var
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	$(MANAGE) ensure_admin

run: setup  ## Run the site with demo content on http://127.0.0.1:8000 (PORT=8100: another port), and its two task workers
	@scripts/worker.sh background & background=$$!; \
	scripts/worker.sh emails & emails=$$!; \
	trap 'kill $$background $$emails 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

worker:  ## Run the two task workers, restarted if they stop (`make run` starts them)
	@scripts/worker.sh background & background=$$!; \
	scripts/worker.sh emails & emails=$$!; \
	trap 'kill $$background $$emails 2>/dev/null' EXIT INT TERM; \
	wait

test: export DJANGO_SETTINGS_MODULE = diaspora_site.settings.test
test:  ## Run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)
	@scripts/bootstrap.sh
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

bench: setup  ## Queries, render times, bytes, gunicorn+wrk vs bare WSGI (BASELINE=<commit>: CPU ratio and HTML against it); publish to a warm home page
ifdef BASELINE
	$(PY) bench/baseline.py --base $(BASELINE) $(BENCH_ARGS)
else
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } \
		|| echo "wrk is missing (apt-get install wrk): the load part will be skipped"
	$(PY) bench/pages.py
	$(PY) bench/overrides.py
endif
	$(PY) bench/warmup.py

bench-newsletter:  ## Time sending an issue to 10,000 and 50,000 subscribers (needs smtp-sink)
	@scripts/bootstrap.sh
	$(PY) bench/newsletter_send.py $(BENCH_ARGS)

bench-chaos:  ## Kill PostgreSQL and Redis under load and count errors and lost writes (minutes)
	@scripts/bootstrap.sh
	$(PY) bench/chaos.py $(BENCH_ARGS)

bench-weight: setup  ## Print each page type's compressed HTML + CSS + JS weight, in each language
	$(PY) bench/page_weight.py

bench-lighthouse:  ## Lighthouse (mobile) on every page type and language under production settings; medians of 3 (tens of minutes)
	@scripts/bootstrap.sh
	$(PY) bench/lighthouse.py $(BENCH_ARGS)

lint:  ## Check code style (ruff) and the layers between the apps (import-linter)
	@scripts/bootstrap.sh
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	.venv/bin/lint-imports --no-cache

format:  ## Format code with ruff
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

messages:  ## Update the fr and nl catalogues (django and djangojs) from the source strings
	$(MANAGE) makemessages -l fr -l nl --ignore=.venv --ignore=var
	$(MANAGE) makemessages -d djangojs -l fr -l nl --ignore=.venv --ignore=var --ignore=tests
	$(PY) scripts/compile_messages.py
