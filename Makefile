# Kaari developer entry points. `make demo` and `make test` work on a fresh clone.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# One pytest worker per core (pytest-xdist); each worker has its own test database.
PYTEST_ARGS ?= -n auto

.PHONY: demo test lint typecheck pytest serve clean bench-ingest bench-search bench-servers bench-gate bench-cds bench-compare bench-workspace

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kaari demo

serve: $(STAMP)
	$(BIN)/kaari serve

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy kaari tests scripts benchmarks

pytest: $(STAMP)
	KAARI_ENV=test $(BIN)/pytest $(PYTEST_ARGS)

bench-ingest: $(STAMP)
	$(BIN)/python -m benchmarks.ingest

bench-search: $(STAMP)
	$(BIN)/python -m benchmarks.search

bench-servers: $(STAMP)
	$(BIN)/python -m benchmarks.servers

bench-gate: $(STAMP)
	$(BIN)/python -m benchmarks.gate

bench-cds: $(STAMP)
	$(BIN)/python -m benchmarks.cds

bench-compare: $(STAMP)
	$(BIN)/python -m benchmarks.compare run

bench-workspace: $(STAMP)
	$(BIN)/python -m benchmarks.workspace

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache
