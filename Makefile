# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install system-deps run test lint typecheck contracts migrations-check unit bench screenshot fmt clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,mpxj]'
	@rm -f $(VENV)/.installed-*
	@touch $@

# The leveling's genetic search in C; optional (see scripts/build-native.sh).
NATIVE := src/steerco/engine/rcpsp/_native_ga.so
$(NATIVE): src/steerco/engine/rcpsp/native_ga.c scripts/build-native.sh
	@bash scripts/build-native.sh

install: $(STAMP) $(NATIVE)

# Debian packages the tests need (PostgreSQL, Chromium, fonts); a no-op when present.
system-deps:
	@bash scripts/system-deps.sh

run: install
	$(BIN)/steerco init
	$(BIN)/steerco demo
	$(BIN)/steerco serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy

contracts: install
	$(BIN)/lint-imports

migrations-check: install
	$(BIN)/python -m steerco.storage.migrate check

test: install system-deps lint typecheck contracts migrations-check
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: install
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# Retakes the README's Gantt screenshot (docs/img/gantt.png) from the browser test.
screenshot: install system-deps
	STEERCO_UPDATE_SCREENSHOT=1 $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/e2e/browser/test_new_user.py -k screenshot

fmt: install
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build dist src/*.egg-info $(NATIVE)
