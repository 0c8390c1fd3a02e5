# One front door. `make demo` and `make test` are the README's two commands.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
UV_VERSION := 0.13.9
DATA   ?= data/synth
SCALE  ?= 0.05
YEARS  ?= 2015-2024
SEED   ?= 20190101

# Some machines set PYTHONDONTWRITEBYTECODE: then every process (and every CLI call a test
# makes) compiles each imported module from source again. Let the first import write it.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: messages setup demo report-prereqs serve test test-fast test-prereqs check lint typecheck migrations docs bench assets clean
PG_URL ?= postgres://postgres@127.0.0.1:5432/kansrijk
# The second pass runs every web test on PostgreSQL; of the browser tests only the end-to-end
# care flow (the pages' rendering, charts and accessibility do not depend on the database and
# run in the first pass).
PG_BROWSER ?= tests/browser/test_care_flow.py
# pytest-xdist workers: one per core. worksteal hands the long tests out first and lets an
# idle worker take queued ones (the suite runs 19 min on one core of this machine).
JOBS ?= auto
XDIST = -n $(JOBS) --dist worksteal

$(BIN)/kansrijk: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m compileall -q -j 0 src
	@touch $@

setup: $(BIN)/kansrijk  ## create .venv with the locked dependencies and kansrijk installed

OUT    ?= out/monitor
EDITION ?= 2021
MONITOR_YEARS ?= 2016-2020

REPORTS ?= out/report
EXPORTS ?= out/export
MUNICIPALITY ?= GM0363
# The coalition platform's data for the demo: its programme indicators (1-6, 9) go into the
# national factsheet, the approved quotes of its experiences study into the factsheet and the
# local report ("Ervaringen").
WEB ?= data/web

demo: setup report-prereqs  ## synthetic Netherlands -> validation -> monitor run -> reports and exports
	$(BIN)/kansrijk synth --years $(YEARS) --scale $(SCALE) --seed $(SEED) --out $(DATA) --report --overwrite
	$(BIN)/kansrijk registry validate $(DATA)
	$(BIN)/kansrijk monitor run --data $(DATA) --edition $(EDITION) --years $(MONITOR_YEARS) --classification 2023 --out $(OUT)
	@if [ ! -f $(WEB)/kansrijk.sqlite3 ]; then \
	  KANSRIJK_DATA_DIR=$(WEB) $(BIN)/kansrijk manage migrate --verbosity 0 && \
	  KANSRIJK_DATA_DIR=$(WEB) $(BIN)/kansrijk manage load_demo; fi
	KANSRIJK_DATA_DIR=$(WEB) $(BIN)/kansrijk manage migrate --verbosity 0
	KANSRIJK_DATA_DIR=$(WEB) $(BIN)/kansrijk manage programme_publish
	KANSRIJK_DATA_DIR=$(WEB) $(BIN)/kansrijk manage experiences_publish
	$(BIN)/kansrijk report national --results $(OUT) --out $(REPORTS) --programme $(WEB)/results/programme --experiences $(WEB)/results/experiences
	$(BIN)/kansrijk report local --municipality $(MUNICIPALITY) --results $(OUT) --out $(REPORTS) --no-platform --experiences $(WEB)/results/experiences
	$(BIN)/kansrijk report export --results $(OUT) --out $(EXPORTS)

report-prereqs:  ## pango for the PDF reports, poppler-utils for their tests
	scripts/report-prereqs.sh

serve: setup  ## the coalition platform on http://127.0.0.1:8000/ (demo data on first start)
	$(BIN)/kansrijk serve

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup
	$(BIN)/mypy
	$(BIN)/mypy bench

docs: setup  ## regenerate generated documentation (data contract, indicators)
	$(BIN)/kansrijk registry contract --out docs/data-contract.md
	$(BIN)/kansrijk monitor docs --out docs/indicators.md
	$(BIN)/kansrijk programme docs --out docs/programme-indicators.md
	KANSRIJK_DATA_DIR=$$(mktemp -d) $(BIN)/kansrijk manage authorisation_docs --out docs/authorisation.md

migrations: setup  ## fail when a model change has no migration
	KANSRIJK_DATA_DIR=$$(mktemp -d) $(BIN)/kansrijk manage makemigrations --check --dry-run

check: lint typecheck migrations

test-prereqs:  ## chromium for the browser tests, a PostgreSQL server for the second web run
	scripts/test-prereqs.sh

test: setup check test-prereqs  ## everything but benchmarks: SQLite run, then the web tests on PostgreSQL
	$(BIN)/pytest -m "not bench" -p no:cacheprovider $(XDIST) --durations=25
	DATABASE_URL=$(PG_URL) $(BIN)/pytest tests/web $(PG_BROWSER) -m "not bench" -p no:cacheprovider $(XDIST) --durations=15

test-deep: setup  ## the property tests with the deep Hypothesis profile (1,000 random linked tables for the gate; hours)
	$(BIN)/pytest -m "not bench and not browser" -p no:cacheprovider --hypothesis-profile=deep tests/unit/publication

test-fast: setup
	$(BIN)/pytest -m "not slow and not bench and not browser" -x -q

bench: setup
	$(BIN)/pytest -m bench -s bench

lock:  ## re-resolve requirements.lock from pyproject.toml
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

messages: setup  ## update the Dutch catalogue from the code and compile it
	cd src/kansrijk/web && KANSRIJK_DATA_DIR=$$(mktemp -d) ../../../$(BIN)/kansrijk manage makemessages -l nl --no-obsolete --no-location --ignore "static/*"
	cd src/kansrijk/web && KANSRIJK_DATA_DIR=$$(mktemp -d) ../../../$(BIN)/kansrijk manage compilemessages -l nl

assets:  ## refresh the vendored NL Design System CSS and axe-core from the npm registry
	cd assets && npm ci --no-audit --no-fund
	cp assets/node_modules/@utrecht/component-library-css/dist/index.css src/kansrijk/web/static/vendor/utrecht-components.css
	cp assets/node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css src/kansrijk/web/static/vendor/voorbeeld-theme.css
	cp assets/node_modules/axe-core/axe.min.js tests/browser/vendor/axe.min.js

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
