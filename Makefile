# The two commands of the README: `make demo` and `make test`. Each creates .venv when needed
# and installs what it needs, Debian packages included (with apt, when missing).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# WeasyPrint's libraries and a font; poppler-utils turns PDFs into text and pictures for tests.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
# Browser tests drive Debian's chromium through Playwright (never `playwright install`).
TEST_SYSTEM_PACKAGES := chromium
PYTEST_ARGS ?=

.PHONY: demo test bench lint system-deps test-system-deps install clean

demo: system-deps install
	$(BIN)/auditor demo --out out

test: system-deps test-system-deps install
	$(BIN)/ruff check auditor tests bench
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

bench: system-deps install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/evaluate.py
	$(BIN)/python bench/render.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/web.py
	$(BIN)/python bench/imports.py  # skips when ../shared/realdata is absent

lint: install
	$(BIN)/ruff check auditor tests bench

install: $(VENV)/.installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

system-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(SYSTEM_PACKAGES)"

test-system-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(TEST_SYSTEM_PACKAGES)"

apt-install:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

clean:
	rm -rf $(VENV) out build dist .pytest_cache .ruff_cache
