# cchc: administrative-reform (CCHC) reports. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: help setup setup-dev reports test test-fast lint format bench clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed ## create/update the virtual environment (runtime)

setup-dev: $(VENV)/.installed-dev ## create/update the virtual environment (runtime + tests)

reports: setup ## produce the four official 2022 reports from the bundled data into output/
	$(BIN)/cchc run --all parameters/

test: setup-dev ## run the whole test suite
	$(BIN)/python -m pytest -q

test-fast: setup-dev ## the quick loop: no kernels, PDFs or generated workbooks; few examples
	$(BIN)/python -m pytest -q -m "not slow" --hypothesis-profile=fast tests

lint: setup-dev ## ruff lint and format check, mypy type check
	$(BIN)/ruff check cchc_lib tests bench tools
	$(BIN)/ruff format --check cchc_lib tests bench tools
	$(BIN)/mypy

format: setup-dev ## ruff format and autofix
	$(BIN)/ruff format cchc_lib tests bench tools
	$(BIN)/ruff check --fix cchc_lib tests bench tools

bench: setup-dev ## run the benchmarks (see README, Performance)
	$(BIN)/python bench/single_report.py
	$(BIN)/python bench/batch.py
	$(BIN)/python bench/ingestion.py
	$(BIN)/python bench/breakdown.py
	$(BIN)/python bench/dossiers.py

clean: ## remove generated outputs (keeps the virtual environment)
	rm -rf output/20* output/logs .pytest_cache
