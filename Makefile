# The two commands of the README: `make demo` and `make test`. Each creates .venv when needed
# and installs what it needs, Debian packages included (with apt, when missing). Python packages
# come from requirements.lock, at the exact versions the tests run with; `make lock` re-pins it
# after a change to pyproject.toml's dependencies (nothing else ever rewrites it).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# WeasyPrint's libraries and a font; poppler-utils turns PDFs into text and pictures for tests.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
# Browser tests drive Debian's chromium through Playwright (never `playwright install`).
TEST_SYSTEM_PACKAGES := chromium
PYTEST_ARGS ?=

.PHONY: demo test bench lint lock system-deps test-system-deps install clean

demo: system-deps install
	$(BIN)/auditor demo --out out

test: system-deps test-system-deps install
	$(BIN)/ruff check auditor tests bench
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

# every figure of bench/README.md but the 1M-admission Scale row (`bench/scale.py` alone) and the
# against-the-code-before runs, which need another tree; prints, writes nothing (--readme writes)
bench: system-deps install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/validate.py
	$(BIN)/python bench/evaluate.py
	$(BIN)/python bench/shuffled.py
	$(BIN)/python bench/render.py --facilities 40
	$(BIN)/python bench/peers.py  # frictionless's row only when it is installed
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/scale.py --sizes 10000,100000
	$(BIN)/python bench/web.py
	$(BIN)/python bench/imports.py  # skips when ../shared/realdata is absent

lint: install
	$(BIN)/ruff check auditor tests bench

install: $(VENV)/.installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $@

# Re-pin requirements.lock from pyproject.toml (runtime and test dependencies), keeping every pin
# that still fits; `make lock LOCK_ARGS=--upgrade` moves them all to the newest that fit.
LOCK_ARGS ?=
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra test --strip-extras --no-emit-index-url --no-emit-find-links \
	  $(LOCK_ARGS) --output-file requirements.lock pyproject.toml

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
