# The commands the README shows. Everything installs from files in this repository.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_SCALE ?= 0.2

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

## Install, load the demo regency into SQLite (first time only), and start the app.
# Jemput defaults to production (refuses the development secret); the demo asks for
# development explicitly.
run: export JEMPUT_ENVIRONMENT := development
run: $(VENV)/.installed
	$(BIN)/jemput demo load --if-empty --scale $(DEMO_SCALE)
	$(BIN)/jemput users create-demo --reset-passwords
	$(BIN)/jemput coverage
	$(BIN)/jemput serve

## Install and run every test: on SQLite, then on PostgreSQL (required when CI=true).
test: $(VENV)/.installed
	scripts/test

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: export JEMPUT_ENVIRONMENT := development
bench: $(VENV)/.installed
	$(BIN)/python benchmarks/registry.py

clean:
	rm -rf $(VENV) var
