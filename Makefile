# giamngheo — developer and demo entry points. Everything installs itself: a fresh machine needs only
# Python >= 3.11, git and make.

PORT ?= 8000
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
HOUSEHOLDS ?= 1000000
# The PostgreSQL run shares its cache (and login throttling) through this Redis database unless REDIS_URL is set.
TEST_REDIS_URL ?= redis://127.0.0.1:6379/5

.PHONY: setup secret-key chromium libreoffice pdf-libs axe messages demo test test-sqlite test-postgres lint bench clean help

help:
	@echo "make demo   — set up and serve the Kông Chro demo on http://127.0.0.1:$(PORT) (gunicorn and the job worker)"
	@echo "make test   — the whole suite on SQLite (and on PostgreSQL when DATABASE_URL names one)"
	@echo "make lint   — ruff and mypy"
	@echo "make bench  — the classification benchmark (HOUSEHOLDS=$(HOUSEHOLDS))"

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv>=0.5"

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	UV_PYTHON=$(PYTHON) $(UV) sync --locked --quiet
	touch $@

setup: $(VENV)/.installed

# The settings refuse to load without SECRET_KEY (giamngheo/server/secret_key.py). Tools that load them outside
# `giamngheo demo` and pytest (mypy's Django plugin, makemessages) use the data folder's key, made here once unless
# SECRET_KEY or SECRET_KEY_FILE is set.
secret-key: setup
	@$(BIN)/python -m giamngheo.server.secret_key >/dev/null

# The browser tests drive Debian's chromium through Playwright (no browser download); install it when missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || [ -n "$$CHROMIUM" ] || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get install -y -q chromium >/dev/null 2>&1 || \
	  { $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q chromium >/dev/null; }; }

# The Excel reports are checked against the screen through headless LibreOffice (tests/decisions/
# test_excel_libreoffice.py); install Debian's Calc without its GUI (about 300 MB) when `soffice` is missing.
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { \
	  echo "Installing Debian's LibreOffice Calc (headless) for the Excel tests"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  APT="$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get"; \
	  $$APT install -y -q libreoffice-calc-nogui >/dev/null 2>&1 || \
	  { $$APT update -q >/dev/null && $$APT install -y -q libreoffice-calc-nogui >/dev/null; }; }

# The browser tests check accessibility with axe-core from npm (tests/browser/axe, locked); Debian's npm installs it.
AXE := tests/browser/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/axe/package.json tests/browser/axe/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian's npm for the accessibility checks"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  APT="$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get"; \
	  $$APT install -y -q npm >/dev/null 2>&1 || { $$APT update -q >/dev/null && $$APT install -y -q npm >/dev/null; }; }
	cd tests/browser/axe && npm ci --no-audit --no-fund --silent
	@touch $@

axe: $(AXE)

# WeasyPrint (certificates and letters as PDF) needs Pango and a font with Vietnamese letters from Debian.
pdf-libs:
	@{ ldconfig -p | grep -q libpangoft2-1.0 && fc-list 2>/dev/null | grep -qi dejavu; } || { \
	  echo "Installing Debian's Pango and DejaVu fonts for the PDF documents"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  APT="$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get"; \
	  $$APT install -y -q libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fontconfig >/dev/null 2>&1 || \
	  { $$APT update -q >/dev/null && $$APT install -y -q libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
	    fontconfig >/dev/null; }; }

demo: setup pdf-libs
	$(BIN)/giamngheo demo --serve --port $(PORT)

test: setup chromium libreoffice pdf-libs axe test-sqlite
	@if [ -n "$$DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "DATABASE_URL is not set: the PostgreSQL run is skipped (.ci/run always sets it)."; fi

test-sqlite: setup chromium libreoffice pdf-libs axe
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: setup chromium libreoffice pdf-libs axe
	@echo "== test suite on $$(echo $$DATABASE_URL | sed 's#//[^@]*@#//#'), cache on $${REDIS_URL:-$(TEST_REDIS_URL)} =="
	REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" $(BIN)/pytest

# Refresh the English catalogue from the Vietnamese source strings and compile it (needs GNU gettext:
# `apt-get install gettext`). The compiled .mo is committed, so running the project does not need gettext.
messages: secret-key
	cd giamngheo && ../$(BIN)/python ../manage.py makemessages -l en --no-obsolete --no-location \
	  -i "engine/*" -i "survey/*" -i "lib/*" -i "static/*"
	cd giamngheo && ../$(BIN)/python ../manage.py compilemessages -l en

lint: secret-key
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy giamngheo

bench: secret-key
	env -u DATABASE_URL $(BIN)/python benchmarks/classify.py --households $(HOUSEHOLDS)
	@if [ -n "$$DATABASE_URL" ]; then $(BIN)/python benchmarks/classify.py --households $(HOUSEHOLDS); fi

clean:
	rm -rf $(VENV) $(TOOLS) var .pytest_cache .mypy_cache .ruff_cache
