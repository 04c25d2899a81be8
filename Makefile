# Kinerja: the two commands (see README.md) and the tasks behind them.
# `make run` installs everything and starts the app; `make test` runs the whole suite.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
DEV_ENV := KINERJA_ENV=development
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install catalogs pdf-libs chromium nginx wrk lint vendor translations-update bench bench-pages bench-kiosk bench-kiosk-load \
	bench-reports bench-import bench-faults clean

## Install, migrate, load the demo data when the database is empty, start the app.
run: install pdf-libs
	$(DEV_ENV) $(FLASK) init
	$(DEV_ENV) $(FLASK) seed-demo --if-empty
	$(DEV_ENV) $(FLASK) run --debug --host $(HOST) --port $(PORT)

## Install everything the suite needs (including Debian's chromium), then run it all.
test: install pdf-libs chromium nginx
	$(BIN)/bandit -q -c pyproject.toml -r kinerja portal kiosk web api public
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed catalogs

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

## Compiled message catalogues (git-ignored, built from the .po files).
catalogs: $(VENV)/.installed
	$(BIN)/pybabel compile -d kinerja/translations >/dev/null
	$(BIN)/pybabel compile -D wtforms -d kinerja/translations >/dev/null

## WeasyPrint (PDF reports) needs Pango from Debian.
pdf-libs:
	@ldconfig -p | grep -q libpangoft2-1.0 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	  else echo "Pango is missing (PDF reports): sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0" >&2; fi; }

## Browser tests drive Debian's chromium (never a downloaded browser build).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Debian's chromium is missing: sudo apt-get install chromium" >&2; exit 1; fi; }

## The end-to-end test of deploy/ runs the app behind Debian's nginx (tests/app/test_deploy.py).
nginx:
	@{ test -x /usr/sbin/nginx && test -x /usr/sbin/logrotate; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light openssl logrotate >/dev/null; \
	  else echo "Debian's nginx or logrotate is missing: sudo apt-get install nginx-light logrotate" >&2; exit 1; fi; }

lint: install
	$(BIN)/ruff check .

## Refresh vendored front-end assets (htmx, Pico CSS) from the npm registry, pinned.
vendor:
	scripts/vendor-assets

## Re-extract translatable strings and merge them into the catalogues.
translations-update: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  --project Kinerja -o kinerja/translations/messages.pot .
	$(BIN)/pybabel update -i kinerja/translations/messages.pot -d kinerja/translations --no-fuzzy-matching

## Benchmarks (bench/README.md): a production-like server on PostgreSQL and Redis, each page
## timed as a ratio to /healthz in the same run. `bench` runs them all; BENCH_ARGS="--rounds 80".
bench: bench-pages bench-kiosk bench-reports bench-import bench-faults bench-kiosk-load

bench-pages: install
	$(BIN)/python -m bench.pages $(BENCH_ARGS)

## Kiosk submit under load (saturation with wrk, then 200 tablets at 100 requests/s).
bench-kiosk: install wrk
	$(BIN)/python -m bench.kiosk $(BENCH_ARGS)

## IKM reports at 1M and 10M ratings (50,000 employees, 2,000 counters; ~3.5 GB, ~17 min).
## A smoke run: BENCH_ARGS=--quick (200,000 then 2,000,000 ratings).
bench-reports: install
	$(BIN)/python -m bench.reports $(BENCH_ARGS)

## Import of 50,000 employees from XLSX (preview, --commit, again): seconds and peak memory.
bench-import: install
	$(BIN)/python -m bench.imports $(BENCH_ARGS)

## Kiosk fault test: gunicorn SIGKILLed mid-load (HTTP clients + Chromium tablets), every
## acknowledged rating stored exactly once, the tablets' queues drained (~1 min). The PostgreSQL
## restart is opt-in, BENCH_ARGS=--db-restart: it restarts the machine's shared server (as root,
## refused while pytest runs), so plain `make bench` never does it.
bench-faults: install chromium
	$(BIN)/python -m bench.faults $(BENCH_ARGS)

## Kiosk first load in Chromium on a throttled network (cold cache, then service worker):
## bytes on the wire, requests, time until the faces take a tap (~2 min).
bench-kiosk-load: install chromium
	$(BIN)/python -m bench.kiosk_load $(BENCH_ARGS)

## The load generator for bench-kiosk (Debian's wrk); without it the benchmark falls back to a
## slower Python generator and says so.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is missing (sudo apt-get install wrk): bench-kiosk uses its Python generator" >&2; fi; }

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
