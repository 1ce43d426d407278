# The two commands: `make run` and `make test`. Everything else here is a helper of theirs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
# Test processes per run: most of a test's time is spent waiting on the database or a
# subprocess, so two workers fit the two cores here well.
WORKERS ?= 2
# A Python 3.13 interpreter, if the machine has one, for the compatibility run in `make test`.
PY313 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13 /usr/bin/python3.13 /usr/local/bin/python3.13))
CHECKED := server tests bench alembic/env.py

.PHONY: run test lint typecheck test-sqlite test-postgres test-py313 test-fast test-fuzz test-browser browser-deps test-client bench bench-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

## make run: set up and serve on http://127.0.0.1:8080 with the SQLite database in ./data
run: $(VENV)/.installed-run
	$(BIN)/digiscript-server serve

## make test: lint, type check, then the whole suite on SQLite (with the browser) and PostgreSQL,
## then DigiScript's client (as it is, and with the scheduling patch) against this server
test: lint typecheck browser-deps test-sqlite test-postgres test-py313 test-client test-client-patched

lint: $(VENV)/.installed-test
	$(BIN)/ruff check $(CHECKED)
	$(BIN)/ruff format --check $(CHECKED)

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy server

test-sqlite: $(VENV)/.installed-test
	DIGISCRIPT_TEST_DB=sqlite $(BIN)/python -m pytest -n $(WORKERS) $(PYTEST_ARGS)

# Browser tests only prove the UI, which does not depend on the database: they run once, above.
test-postgres: $(VENV)/.installed-test
	DIGISCRIPT_TEST_DB=postgresql $(BIN)/python -m pytest -n $(WORKERS) -m "not browser" $(PYTEST_ARGS)

# The plugin stack (pytest-tornado needs setuptools<81 there) and a slice of the API suite on
# Python 3.13, in a virtualenv of its own.
test-py313:
	@if [ -z "$(PY313)" ]; then echo "no Python 3.13 interpreter found: 3.13 run skipped"; \
	else $(MAKE) --no-print-directory test-fast PYTHON=$(PY313) VENV=.venv-3.13 \
		PYTEST_ARGS="tests/guarantees/test_conventions.py tests/sessions/test_status.py tests/websocket/test_websocket.py"; fi

## make test-fast: SQLite only, no browser or fuzzing, stop at the first failure (for iterating)
test-fast: $(VENV)/.installed-test
	DIGISCRIPT_TEST_DB=sqlite $(BIN)/python -m pytest -n $(WORKERS) -x -m "not browser and not slow and not fuzz" $(PYTEST_ARGS)

## make test-fuzz: Schemathesis against a live server, every operation (part of make test)
test-fuzz: $(VENV)/.installed-test
	DIGISCRIPT_TEST_DB=sqlite $(BIN)/python -m pytest -m fuzz $(PYTEST_ARGS)

test-browser: $(VENV)/.installed-test browser-deps
	DIGISCRIPT_TEST_DB=sqlite $(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

# Chromium for the browser tests, from Debian's packages (never a browser download of its own).
browser-deps:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Chromium with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif [ "$$CI" = true ]; then echo "Chromium is required when CI=true and cannot be installed" >&2; exit 1; \
	else echo "Chromium not found: browser tests will be skipped"; fi

## make test-client: DigiScript's own e2e specs (its client-v3, built here) against this server
# DIGISCRIPT_SRC holds DigiScript's client-v3/ and docs/; SPECS picks spec files by the start of
# their names ("all": every one). The build is cached in build/digiscript (clients/digiscript-v3).
DIGISCRIPT_SRC ?= ../shared/digiscript
SPECS ?= 01 02 03 04 05 06 07 11 12 14
test-client:
	@if [ -d "$(DIGISCRIPT_SRC)/client-v3" ]; then \
		$(MAKE) --no-print-directory -s $(VENV)/.installed-run browser-deps && \
		DIGISCRIPT_SRC="$(DIGISCRIPT_SRC)" SPECS="$(SPECS)" clients/digiscript-v3/run.sh; \
	elif [ "$$CI" = true ]; then \
		echo "DigiScript client not found at $(DIGISCRIPT_SRC) (set DIGISCRIPT_SRC): required when CI=true" >&2; exit 1; \
	else echo "DigiScript client not found at $(DIGISCRIPT_SRC) (set DIGISCRIPT_SRC): client tests skipped"; fi

## make client-patched: DigiScript's client-v3 with scheduling (clients/digiscript-v3/scheduling.patch)
# Applies the patch to a copy of $(DIGISCRIPT_SRC)/client-v3, runs the client's typecheck, lint
# and format checks on it and builds it into build/digiscript-patched/dist (for serve --client-dir).
# make test-client-patched: DigiScript's specs (SPECS, with the updated 12) against that build.
.PHONY: client-patched test-client-patched
client-patched:
	@if [ -d "$(DIGISCRIPT_SRC)/client-v3" ]; then \
		DIGISCRIPT_SRC="$(DIGISCRIPT_SRC)" clients/digiscript-v3/build-patched.sh; \
	elif [ "$$CI" = true ]; then \
		echo "DigiScript client not found at $(DIGISCRIPT_SRC) (set DIGISCRIPT_SRC): required when CI=true" >&2; exit 1; \
	else echo "DigiScript client not found at $(DIGISCRIPT_SRC) (set DIGISCRIPT_SRC): patched client not built"; fi

test-client-patched:
	@if [ -d "$(DIGISCRIPT_SRC)/client-v3" ]; then \
		$(MAKE) --no-print-directory -s $(VENV)/.installed-run browser-deps && \
		DIGISCRIPT_SRC="$(DIGISCRIPT_SRC)" SPECS="$(SPECS)" clients/digiscript-v3/run-patched.sh; \
	elif [ "$$CI" = true ]; then \
		echo "DigiScript client not found at $(DIGISCRIPT_SRC) (set DIGISCRIPT_SRC): required when CI=true" >&2; exit 1; \
	else echo "DigiScript client not found at $(DIGISCRIPT_SRC) (set DIGISCRIPT_SRC): client tests skipped"; fi

## make bench: the performance benchmarks (not part of make test)
bench: $(VENV)/.installed-test bench-deps
	$(BIN)/python bench/bench_sessions.py
	$(BIN)/python bench/bench_robustness.py

# wrk, the load generator the robustness benchmark measures throughput with.
bench-deps:
	@if command -v wrk >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing wrk with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else echo "wrk is required for make bench: install it (Debian: apt-get install wrk)" >&2; exit 1; fi

clean:
	rm -rf $(VENV) .venv-3.13 .mypy_cache .ruff_cache
