# wirecount: every command a newcomer needs, each working from a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test test-unit test-integration eval eval-real lint typecheck bench clean screenshots

setup: $(STAMP)  ## create .venv and install pinned dependencies

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

# The place gazetteer's index, built once here from the GeoNames data the wheels ship: a worker
# that built it itself would keep the memory building took (about 540 MB instead of 200 MB).
GAZETTEER := .wirecount/gazetteer.built
$(GAZETTEER): $(STAMP)
	$(PY) -c "from services.extractor.logic import load_entities; from shared.settings import load_settings; load_entities(load_settings().cache_dir)"
	touch $(GAZETTEER)

run: setup $(GAZETTEER)  ## start broker + workers, publish the examples, keep running until Ctrl-C
	$(PY) -m services --publish examples

test: setup  ## the whole test suite (unit and end-to-end on the embedded broker)
	$(PY) -m pytest -q

test-unit: setup
	$(PY) -m pytest -q -m "not integration"

test-integration: setup
	$(PY) -m pytest -q -m integration

GOLD ?= tests/fixtures/gold_small.jsonl
eval: setup  ## score the casualty extractor on a gold file: make eval GOLD=path
	$(PY) -m services.extractor eval --gold $(GOLD)

# Real reports annotated by two people, kept beside the project (not in it): the measure that counts.
CORPUS ?= ../shared/corpus
eval-real: setup  ## score every *.jsonl gold file in CORPUS (default ../shared/corpus); errors grouped by class
	@if [ -d "$(CORPUS)" ] && ls "$(CORPUS)"/*.jsonl >/dev/null 2>&1; then \
		$(PY) -m services.extractor eval --by-class --max-errors $${MAX_ERRORS:-25} --gold "$(CORPUS)"; \
	else \
		echo "eval-real: skipped: no gold files in $(CORPUS) (the real corpus lives beside a checkout, in ../shared/corpus; set CORPUS=DIR)"; \
	fi

# The browser test saves the view's three pages as it goes: run it after changing the view.
screenshots: setup  ## refresh docs/view-*.png with the browser test (Debian chromium and chromium-driver)
	WIRECOUNT_SCREENSHOTS=docs $(PY) -m pytest -q tests/integration/test_view_browser.py

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy shared services

# Real news pages with their marked article text, kept beside the project: measured when present.
PAGES ?= ../shared/pages
bench: setup  ## real pages (when PAGES is there), stage costs, machine limit, throughput, latency, scaling (minutes)
	$(PY) -m tools.bench --pages "$(PAGES)"

clean:
	rm -rf .wirecount .pytest_cache .mypy_cache .ruff_cache

# Real events reported by several outlets, kept beside the project: do they become one incident each?
CLUSTERS ?= ../shared/incidents/clusters-dev.jsonl
EXPECTED ?= ../shared/incidents/clusters-dev.expected.json
.PHONY: eval-incidents
eval-incidents: setup  ## publish real multi-outlet reports through the workers, score the incidents per event
	$(PY) -m tools.eval_incidents --clusters "$(CLUSTERS)" --expected "$(EXPECTED)" $(if $(ANSWER),--answer "$(ANSWER)")

# --- deployment with Docker (deploy/, docs/operations.md) ---
COMPOSE ?= docker compose
COMPOSE_FILES := -f deploy/docker-compose.yml --env-file deploy/.env

deploy/.env:
	cp deploy/.env.example deploy/.env

.PHONY: up down logs
up: deploy/.env  ## build the image, start Kafka, the workers, Prometheus and Grafana (http://localhost:3000)
	$(COMPOSE) $(COMPOSE_FILES) up -d --build

down: deploy/.env  ## stop and remove the containers; data volumes are kept (docs/operations.md: resetting state)
	$(COMPOSE) $(COMPOSE_FILES) down

logs: deploy/.env  ## follow every service's logs (one service: make logs S=parser)
	$(COMPOSE) $(COMPOSE_FILES) logs -f --tail=100 $(S)

# --- reliability (docs/reliability.md) ---
.PHONY: chaos
CHAOS_ARGS ?=
chaos: setup  ## kill -9 workers while 500 articles flow, compare with a fault-free run, then a soak; JSON summary last
	$(PY) -m tools.chaos $(CHAOS_ARGS)
