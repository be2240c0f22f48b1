# Fazhi — everything a developer or CI runs. `make run` and `make test` work on a fresh
# machine that has Python 3.11, RabbitMQ and PostgreSQL.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SERVICES := $(patsubst services/%/pyproject.toml,%,$(wildcard services/*/pyproject.toml))
STAMP := $(VENV)/.installed

.PHONY: install run stop status test lint bench clean

$(PY):
	python3 -m venv $(VENV)

# Reinstall when any package's pins change.
$(STAMP): $(PY) shared/pyproject.toml $(wildcard services/*/pyproject.toml services/*/contract/pyproject.toml) gateway/pyproject.toml tests/requirements.txt
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e 'shared[service,s3,test]' $(foreach s,$(SERVICES),-e services/$(s)/contract -e services/$(s)) -e gateway -r tests/requirements.txt
	touch $(STAMP)

install: $(STAMP)

## Set up and run the whole platform (all services + gateway + demo data); prints the URL.
run: install
	$(PY) deploy/local/stack.py up

stop:
	$(PY) deploy/local/stack.py down

status:
	$(PY) deploy/local/stack.py status

## The whole test suite: unit, service (real broker/DB), cross-service and end-to-end;
## the web clients' component tests (Vitest), then pytest, whose tests/test_web_browser.py
## builds web/ and drives Debian's Chromium against a platform it starts.
## The tests need RabbitMQ's management API: enabled here when it is off, or says how.
test: install web-install
	@$(PY) -c 'from fazhi_shared.service.testing import ensure_management_api; ensure_management_api()'
	cd web && npm test
	$(PY) -m pytest

## web/: npm ci when its lockfile changed (the committed package-lock.json).
.PHONY: web-install
web-install: web/node_modules/.package-lock.json
web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund

## Static checks: undefined names, unused imports, syntax errors.
lint: install
	$(VENV)/bin/ruff check --select F,E9 shared services gateway tests deploy

## Throughput and latency through the gateway, then whether org's event loop stays
## responsive (ping p95) under logins and large imports (each starts its own processes).
bench: install
	$(PY) tests/bench/bench_gateway.py
	$(PY) tests/bench/bench_responsiveness.py

clean: stop
	rm -rf $(VENV) .run

## Add a service from deploy/service-template: make new-service NAME=<name> (see docs/adding-a-service.md).
.PHONY: new-service
new-service:
	@test -n "$(NAME)" || { echo "usage: make new-service NAME=<name> [TITLE_ZH=…] [TITLE_EN=…]" >&2; exit 2; }
	$(if $(wildcard $(PY)),$(PY),python3) deploy/new_service.py "$(NAME)" \
	  $(if $(TITLE_ZH),--title-zh "$(TITLE_ZH)") $(if $(TITLE_EN),--title-en "$(TITLE_EN)")
