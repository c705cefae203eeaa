# One entry point for the dev loop. Every target creates .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-test
RUN_STAMP := $(VENV)/.installed

.PHONY: run test check lint format bench docs schemas install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the project's metadata changes.
$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@ $(RUN_STAMP)

install: $(RUN_STAMP)

## make run: open the terminal UI on the assessments in ./assessments
run: $(RUN_STAMP)
	$(BIN)/readiness

## make test: lint, format check, type check, then the whole test suite
test: $(STAMP) check
	$(BIN)/python -m pytest -q

check: $(STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

## make bench: timings against the Python and Typer floors (never part of make test)
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

## make schemas: regenerate the fast validators from the JSON Schemas
schemas: $(STAMP)
	$(BIN)/python tools/compile_schemas.py

## make docs: regenerate the generated documentation (docs/sources.md)
docs: $(RUN_STAMP)
	$(BIN)/readiness trace checklists/migrants-in-crisis.toml -o docs/sources.md

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
