# wirecount: every command a newcomer needs, each working from a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test test-unit test-integration eval lint typecheck clean

setup: $(STAMP)  ## create .venv and install pinned dependencies

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

run: setup  ## start broker + workers, publish the examples, keep running until Ctrl-C
	$(PY) -m shared.supervisor --publish examples

test: setup  ## the whole test suite (unit and end-to-end on the embedded broker)
	$(PY) -m pytest -q

test-unit: setup
	$(PY) -m pytest -q -m "not integration"

test-integration: setup
	$(PY) -m pytest -q -m integration

GOLD ?= tests/fixtures/gold_small.jsonl
eval: setup  ## score the casualty extractor on a gold file: make eval GOLD=path
	$(PY) -m services.extractor eval --gold $(GOLD)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy shared services

clean:
	rm -rf .wirecount .pytest_cache .mypy_cache .ruff_cache
