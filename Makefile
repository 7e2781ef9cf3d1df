# The clinic site. `make` alone lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/sh

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
WITH_DB := $(PY) scripts/with_database.py
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: help install browser run test bench backup lint format clean gettext messages

help: ## Show this help
	@echo "Usage: make TARGET"
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || { python="$$(PYTHON="$(PYTHON)" scripts/find_python.sh)" && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV); }
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) ## Create .venv and install the pinned requirements

browser: install ## Make Chromium available for the browser tests
	@scripts/install_browser.sh $(PY)

.PHONY: nginx
nginx: ## Make nginx available for the test of the shipped proxy config
	@scripts/install_nginx.sh

gettext: ## Make GNU gettext available (for the translation catalogues)
	@scripts/install_gettext.sh

messages: install gettext ## Update each language's catalogue from the code, then compile it (README: translations)
	@DJANGO_ENV=$${DJANGO_ENV:-development} $(MANAGE) makemessages --all --no-obsolete --add-location file --ignore 'staticfiles/*' --ignore 'tests/*' --ignore 'scripts/*' --ignore 'templates/admin/*'
	@DJANGO_ENV=$${DJANGO_ENV:-development} $(MANAGE) compilemessages --ignore '.venv'

run: install ## Serve the site and its task worker on http://127.0.0.1:$$PORT (embedded PostgreSQL unless DATABASE_URL is set)
	@DJANGO_ENV=$${DJANGO_ENV:-development} PORT=$(PORT) $(WITH_DB) postgres -- $(PY) scripts/serve_dev.py

test: install browser nginx gettext lint ## Run every check and the whole test suite, browser tests included
	@DJANGO_ENV=test $(WITH_DB) postgres-test -- sh -c '\
	  $(MANAGE) makemigrations --check --dry-run >/dev/null || { echo "Model changes without a migration: run manage.py makemigrations" >&2; exit 1; }; \
	  $(MANAGE) collectstatic --noinput --verbosity 0 && \
	  $(PY) -m pytest $(PYTEST_ARGS)'

bench: install ## Load-test the production configuration on loopback against bare Django (needs wrk)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || { echo "Install wrk (apt-get install wrk, or brew install wrk)." >&2; exit 1; }
	@$(WITH_DB) postgres-bench -- $(PY) scripts/bench.py

.PHONY: first-paint
first-paint: install browser ## Time first paint of a guide and the consultation form on emulated slow 3G (production configuration)
	@$(WITH_DB) postgres-bench -- $(PY) scripts/first_paint.py --serve

backup: install ## Write a pg_dump of the database to backups/ (embedded PostgreSQL unless DATABASE_URL is set)
	@DJANGO_ENV=$${DJANGO_ENV:-development} $(WITH_DB) postgres -- $(MANAGE) backup_database

lint: install ## Check style with ruff (lint and format)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format: install ## Rewrite files with ruff's fixes and formatting
	@$(VENV)/bin/ruff check --fix .
	@$(VENV)/bin/ruff format .

clean: ## Remove the virtual environment, collected static files and local databases
	rm -rf $(VENV) staticfiles .data .pytest_cache .ruff_cache
