# spplus: one command to run the platform, one to run every test. Each installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PROJECTS := libs/chassis $(sort $(dir $(wildcard services/*/pyproject.toml))) $(dir $(wildcard gateway/pyproject.toml))
STAMP  := $(VENV)/.installed

.PHONY: install run test eval-assistants bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 ou plus est nécessaire" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python $(addsuffix pyproject.toml,$(addsuffix /,$(patsubst %/,%,$(PROJECTS))))
	$(BIN)/python -m pip install --quiet $(foreach p,$(PROJECTS),-e $(p)) -e 'libs/chassis[test]'
	@touch $(STAMP)

install: $(STAMP)

## Start every service (api + worker) and the gateway, with demo data, on http://127.0.0.1:8000
run: install
	$(BIN)/spplus-run

## Every test (unit, integration, cross-service, browser) against real PostgreSQL and RabbitMQ
test: install
	$(BIN)/python tools/test_servers.py --check
	$(BIN)/python -m pytest -n $${PYTEST_WORKERS:-4} --dist loadfile -q -m "not exclusive" $(PYTEST_ARGS)
	$(BIN)/python -m pytest -q -m exclusive $(PYTEST_ARGS)

## Precision and recall of the moderation assistants on the labelled evaluation set
eval-assistants: install
	$(BIN)/python -m spplus.moderation.analysis.evaluate

## The platform's benchmarks (each prints its measure next to its target)
bench: install
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var
