# codedrill task runner: `make run` serves, `make test` runs the whole suite (lint included).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export PORT

.PHONY: run test lint format check-python browser sandbox mutate clean

$(BIN)/python:
	@$(MAKE) --no-print-directory check-python
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing python3-venv (Debian/Ubuntu) ..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; \
	    $(PYTHON) -m venv $(VENV); \
	  else echo "Cannot create a virtual environment: install python3-venv (sudo apt-get install python3-venv)."; exit 1; fi; }
	@$(BIN)/pip install -q --upgrade pip

$(VENV)/.run-deps: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e ".[postgres]"
	@touch $@

$(VENV)/.dev-deps: $(VENV)/.run-deps
	$(BIN)/pip install -q -e ".[dev,postgres]"
	@touch $@

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "codedrill needs Python 3.11 or newer (found: $$($(PYTHON) --version 2>&1))."; exit 1; }

## run: install, migrate, publish the bundled content and serve on http://127.0.0.1:$(PORT)
run: $(VENV)/.run-deps
	$(BIN)/codedrill migrate --noinput -v0
	$(BIN)/codedrill collectstatic --noinput -v0
	$(BIN)/codedrill publish
	$(BIN)/codedrill serve

## browser: make sure the Chromium the browser tests drive is installed
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing chromium for the browser tests ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "Browser tests need Chromium at /usr/bin/chromium: run 'sudo apt-get install chromium'."; \
	  echo "Until then they are skipped (and fail under CI=true)."; \
	fi

## sandbox: make sure bubblewrap, which runs proofs, lab runs and learners' code, is installed
sandbox:
	@if command -v bwrap >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing bubblewrap for the sandbox ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; \
	else \
	  echo "The sandbox needs bubblewrap: run 'sudo apt-get install bubblewrap'."; \
	  echo "Until then its tests are skipped (and fail under CI=true)."; \
	fi

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-deps
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## test: lint, then the whole suite (SQLite, or DATABASE_URL if set)
# In TEST_WORKERS processes, a test file each at a time: the tests mostly wait on servers,
# browsers and sleeps, so three share 2 cores well. Files go out in collection order (not
# xdist's largest-first), so the bundled proofs, the longest, start first (tests/conftest.py).
TEST_WORKERS ?= 3
test: $(VENV)/.dev-deps browser sandbox lint
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

## mutate: mutation testing of the rule modules, by hand (not in CI); the rates are in
## benchmarks/README.md. Mutants and their results live in mutants/. MUTATE_TESTS narrows the
## tests mutmut runs to a pytest -k expression, e.g. a module against its fast in-process tests
## only: make mutate MUTANTS='codedrill.quiz.answers.*' MUTATE_TESTS=test_answers.py
MUTANTS ?= codedrill.attempts.rules.* codedrill.quiz.answers.* codedrill.learning.drills.* \
  codedrill.review.queue.* codedrill.accounts.backends.* codedrill.accounts.models.xǁLoginFailureǁ* \
  codedrill.sqlite.*
MUTATE_TESTS ?=
MUTATE_CHILDREN ?= 2
mutate: $(VENV)/.dev-deps
	-$(if $(MUTATE_TESTS),PYTEST_ADDOPTS="-k '$(MUTATE_TESTS)'") \
	  $(BIN)/mutmut run --max-children $(MUTATE_CHILDREN) $(MUTANTS)
	$(BIN)/python benchmarks/mutation_rate.py $(MUTANTS)

clean:
	rm -rf $(VENV) data mutants
