# The two commands: `make run` and `make test`. Everything else here is a helper of theirs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
CHECKED := server tests bench alembic/env.py

.PHONY: run test lint typecheck test-sqlite test-postgres test-fast test-fuzz test-browser browser-deps bench clean

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

## make test: lint, type check, then the whole suite on SQLite (with the browser) and PostgreSQL
test: lint typecheck browser-deps test-sqlite test-postgres

lint: $(VENV)/.installed-test
	$(BIN)/ruff check $(CHECKED)
	$(BIN)/ruff format --check $(CHECKED)

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy server

test-sqlite: $(VENV)/.installed-test
	DIGISCRIPT_TEST_DB=sqlite $(BIN)/python -m pytest $(PYTEST_ARGS)

# Browser tests only prove the UI, which does not depend on the database: they run once, above.
test-postgres: $(VENV)/.installed-test
	DIGISCRIPT_TEST_DB=postgresql $(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

## make test-fast: SQLite only, no browser or fuzzing, stop at the first failure (for iterating)
test-fast: $(VENV)/.installed-test
	DIGISCRIPT_TEST_DB=sqlite $(BIN)/python -m pytest -x -m "not browser and not slow and not fuzz" $(PYTEST_ARGS)

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

## make bench: the performance benchmark (not part of make test)
bench: $(VENV)/.installed-test
	$(BIN)/python bench/bench_sessions.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
