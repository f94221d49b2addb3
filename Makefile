# Two entry points for a fresh machine with Python 3.11, git and make:
#   make demo   set up, then run the kit's main job offline for the dev stack
#   make test   set up, then run every check: lint, types, tests
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
STACK ?= dev

.PHONY: setup demo test lint typecheck unit bench schemas clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --progress-bar off -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

demo: setup
	$(BIN)/claude-access demo --stack $(STACK)

test: setup lint typecheck unit

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

unit:
	$(BIN)/pytest

bench: setup
	$(BIN)/python bench/run.py

schemas: setup
	$(BIN)/claude-access schema config > schemas/stack-config.schema.json
	$(BIN)/claude-access schema manifest > schemas/claude-paths.v1.schema.json
	$(BIN)/claude-access schema plan > schemas/plan.v1.schema.json

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
