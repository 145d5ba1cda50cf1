# The commands the README shows. Everything installs from files in this repository.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_SCALE ?= 0.2
# Browser libraries come from the npm registry at the versions package-lock.json pins
# and are copied into our own static files: pages never load anything from a CDN.
VENDOR := src/jemput/static/vendor
LEAFLET := $(VENDOR)/leaflet/leaflet.js

.PHONY: run test lint bench clean vendor check-install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

## Copy Leaflet (npm, pinned by package-lock.json) into src/jemput/static/vendor/leaflet/.
vendor: $(LEAFLET)

$(LEAFLET): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	rm -rf $(VENDOR)/leaflet
	mkdir -p $(VENDOR)/leaflet
	cp -R node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
	  node_modules/leaflet/dist/images node_modules/leaflet/LICENSE $(VENDOR)/leaflet/
	touch $@

## Install, load the demo regency and its campaign settings into SQLite (first time only),
## and start the app.
# Jemput defaults to production (refuses the development secret); the demo asks for
# development explicitly.
run: export JEMPUT_ENVIRONMENT := development
run: $(VENV)/.installed $(LEAFLET)
	$(BIN)/jemput demo load --if-empty --scale $(DEMO_SCALE)
	$(BIN)/jemput users create-demo --reset-passwords
	# The office's campaign resources (calendar, holidays, programmes, teams), loaded as the
	# demo operator through the same checks as the pages; skipped once any exist.
	$(BIN)/jemput campaigns load-settings --as demo-operator --if-empty
	$(BIN)/jemput coverage
	$(BIN)/jemput serve

## Install and run every test: on SQLite, then on PostgreSQL (required when CI=true).
test: $(VENV)/.installed $(LEAFLET)
	scripts/test

## The Debian install path in a temp folder, on the local PostgreSQL: install, migrate,
## start with the systemd unit's ExecStart, check, stop (README, "Production install").
check-install: $(LEAFLET)
	deploy/ci-check-install

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: export JEMPUT_ENVIRONMENT := development
bench: $(VENV)/.installed
	$(BIN)/python benchmarks/registry.py
	$(BIN)/python benchmarks/web.py

clean:
	rm -rf $(VENV) var node_modules $(VENDOR)
