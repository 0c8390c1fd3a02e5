# One front door. `make demo` and `make test` are the README's two commands.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
UV_VERSION := 0.13.9
DATA   ?= data/synth
SCALE  ?= 0.05
YEARS  ?= 2015-2024
SEED   ?= 20190101

.PHONY: setup demo test test-fast check lint typecheck docs bench clean

$(BIN)/kansrijk: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@

setup: $(BIN)/kansrijk  ## create .venv with the locked dependencies and kansrijk installed

OUT    ?= out/monitor
EDITION ?= 2021
MONITOR_YEARS ?= 2016-2020

demo: setup  ## synthetic Netherlands -> calibration report -> validation -> monitor run
	$(BIN)/kansrijk synth --years $(YEARS) --scale $(SCALE) --seed $(SEED) --out $(DATA) --report --overwrite
	$(BIN)/kansrijk registry validate $(DATA)
	$(BIN)/kansrijk monitor run --data $(DATA) --edition $(EDITION) --years $(MONITOR_YEARS) --classification 2023 --out $(OUT)

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup
	$(BIN)/mypy

docs: setup  ## regenerate generated documentation (data contract, indicators)
	$(BIN)/kansrijk registry contract --out docs/data-contract.md
	$(BIN)/kansrijk monitor docs --out docs/indicators.md

check: lint typecheck

test: setup check  ## the whole test suite: lint, types, every test except benchmarks
	$(BIN)/pytest -m "not bench" -p no:cacheprovider

test-fast: setup
	$(BIN)/pytest -m "not slow and not bench" -x -q

bench: setup
	$(BIN)/pytest -m bench -s bench

lock:  ## re-resolve requirements.lock from pyproject.toml
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
