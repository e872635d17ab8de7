# Naik Kelas: `make run` serves the demo city, `make test` runs the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
DEMO_BUSINESSES ?= 40000

.PHONY: run worker install demo test test-postgres bench load ceiling lint typecheck format messages clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --only-binary=:all: -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/naikkelas migrate --noinput
	$(BIN)/naikkelas demo --businesses $(DEMO_BUSINESSES) --if-empty
	@# The job worker (imports, exports, recomputes, and in a thread of its own the
	@# background count of the leadership figures) runs beside the web server, is
	@# started again whenever it exits (after a pause, so that one which cannot start does
	@# not spin), and stops with the web server. The loop waits in `wait`, which a signal
	@# interrupts, so that stopping it stops the worker at once.
	( trap 'kill $$worker 2>/dev/null; exit 0' TERM; \
	  while :; do \
	    $(BIN)/naikkelas worker & worker=$$!; wait $$worker; \
	    echo "The job worker exited (status $$?); starting it again in 5 s." >&2; \
	    sleep 5 & wait $$!; \
	  done ) & loop=$$!; \
	trap 'kill $$loop 2>/dev/null' EXIT INT TERM; \
	$(BIN)/naikkelas runserver --noreload $(HOST)

worker: $(STAMP)
	$(BIN)/naikkelas worker

demo: $(STAMP)
	$(BIN)/naikkelas migrate --noinput
	$(BIN)/naikkelas demo --businesses $(DEMO_BUSINESSES)

test: $(STAMP)
	$(BIN)/pytest

test-postgres: $(STAMP)
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/naikkelas $(BIN)/pytest

# Every benchmark the issues asked for (40,000 and 1,000,000 businesses, built here),
# then one table of figure, value, target and ratio: bench/results.json.
bench: $(STAMP)
	rm -rf bench/parts
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.recompute
	$(BIN)/python -m benchmarks.imports
	$(BIN)/python -m benchmarks.dedup
	$(BIN)/python -m benchmarks.lookalikes
	$(BIN)/python -m benchmarks.monitoring
	$(BIN)/python -m benchmarks.load
	$(BIN)/python -m benchmarks.ceiling
	$(BIN)/python -m benchmarks.offline
	$(BIN)/python -m benchmarks.results

# 50 users for 5 minutes against gunicorn + PostgreSQL + the job worker, on the 40,000
# city and on 1,000,000 businesses (bench/load.json, bench/load-province.json).
load: $(STAMP)
	$(BIN)/python -m benchmarks.load
	$(BIN)/python -m benchmarks.results

# The step load: the highest throughput with p95 <= 500 ms and nothing failed.
ceiling: $(STAMP)
	$(BIN)/python -m benchmarks.ceiling
	$(BIN)/python -m benchmarks.results

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP)
	cd src/naikkelas && ../../$(BIN)/naikkelas makemessages -l id -l en --no-obsolete
	cd src/naikkelas && ../../$(BIN)/naikkelas compilemessages

clean:
	rm -rf $(VENV) var
