# The shop's two commands: `make run` and `make test`. Everything else is a helper of those.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
INSTANCE := instance
ADMIN_EMAIL ?= admin@example.com
export SHOP_CONFIG ?= development

.PHONY: run serve test test-pg test-deps lint bench translations install install-dev chromium wrk nginx vnu axe migrate seed admin clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

translations: install
	$(PY) manage.py translate compile

migrate: install
	mkdir -p $(INSTANCE)
	$(PY) manage.py db upgrade heads

seed: migrate
	$(PY) manage.py seed-demo

# The demo administrator: a random password made once, kept in instance/ (not in git).
admin: migrate
	@mkdir -p $(INSTANCE)
	@if [ ! -s $(INSTANCE)/admin-password.txt ]; then \
	  $(PY) -c 'import secrets; print(secrets.token_urlsafe(12))' > $(INSTANCE)/admin-password.txt; \
	  chmod 600 $(INSTANCE)/admin-password.txt; fi
	@$(PY) manage.py create-admin $(ADMIN_EMAIL) --password "$$(cat $(INSTANCE)/admin-password.txt)" >/dev/null
	@echo "------------------------------------------------------------------"
	@echo " Back office: http://$${SHOP_HTTP:-127.0.0.1:8000}/admin/"
	@echo " Admin login: $(ADMIN_EMAIL)"
	@echo " Password:    $$(cat $(INSTANCE)/admin-password.txt)"
	@echo " Staff sign in with two factors: on the first login, scan the QR code"
	@echo " with an authenticator app (Google Authenticator, Aegis, FreeOTP...)"
	@echo " and enter the code it shows; then keep the recovery codes offered."
	@echo "------------------------------------------------------------------"

# The demo runs its background workers as uWSGI mules: the outbox sender (every 3 s; the
# development mail backend prints each email here) and the expiry of unpaid card orders.
run: translations seed admin
	@echo "Serving the shop on http://$${SHOP_HTTP:-127.0.0.1:8000} (Ctrl+C to stop)"
	@echo "Emails the shop sends are printed below within a few seconds."
	SHOP_MULES=$${SHOP_MULES-1} SHOP_MAIL_SEND_INTERVAL=$${SHOP_MAIL_SEND_INTERVAL:-3} \
	  $(BIN)/uwsgi --ini uwsgi.ini

# Chromium from Debian's packages for the browser tests (no browser download).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# nginx from Debian's packages: tests/ops checks deploy/nginx/lavka.conf with `nginx -t`.
nginx:
	@if [ ! -x /usr/sbin/nginx ] && ! command -v nginx >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx >/dev/null; \
	fi

# wrk (HTTP load generator) from Debian's packages for the benchmark and its CI run.
wrk:
	@if ! command -v wrk >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; \
	fi

# The W3C Nu HTML checker for tests/nu_checker.py: the official vnu.jar from the npm package
# vnu-jar (its postinstall script, which fetches a Java runtime, is skipped), run with Debian's
# Java. Kept in .venv/vnu; a new VNU_VERSION installs anew.
VNU_VERSION := 26.9.27
VNU_STAMP := $(VENV)/vnu/.installed-$(VNU_VERSION)

$(VNU_STAMP):
	@if ! command -v npm >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; \
	fi
	rm -rf $(VENV)/vnu
	npm install --prefix $(VENV)/vnu --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
	  vnu-jar@$(VNU_VERSION)
	test -s $(VENV)/vnu/node_modules/vnu-jar/build/dist/vnu.jar
	touch $@

# axe-core for the accessibility checks of the browser tests (tests/e2e/axe.py): the npm
# package's axe.min.js, injected into the page by Playwright. Kept in .venv/axe.
AXE_VERSION := 4.14.1
AXE_STAMP := $(VENV)/axe/.installed-$(AXE_VERSION)

$(AXE_STAMP): $(VNU_STAMP)
	rm -rf $(VENV)/axe
	npm install --prefix $(VENV)/axe --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
	  axe-core@$(AXE_VERSION)
	test -s $(VENV)/axe/node_modules/axe-core/axe.min.js
	touch $@

axe: $(AXE_STAMP)

vnu: $(VNU_STAMP)
	@if ! command -v java >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq default-jre-headless >/dev/null; \
	fi

# The benchmark (README, "Performance"): SQLite, or PostgreSQL with SHOP_BENCH_DATABASE_URL.
# BENCH_ARGS=--small for the quick CI size, --reuse to keep the database of the last run.
bench: translations wrk
	$(PY) bench/run.py $(BENCH_ARGS)

# Everything the tests need, installed once (CI installs it before running two passes at once).
test-deps: install-dev chromium wrk nginx vnu axe
	$(PY) manage.py translate compile

test: test-deps
	$(BIN)/pytest

# The suite against PostgreSQL in a throwaway database (needs a running server).
# PYTEST_ARGS narrows it (CI: -m 'not e2e', see .ci/run).
test-pg: test-deps
	bash .ci/with-postgres $(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
