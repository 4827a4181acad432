# unionportal developer entry points.
#   make run    - install, migrate, seed demo data, start task worker + dev server
#   make test   - install, then pytest (extra args: make test PYTEST_ARGS="-k members -x")
#   make lint   - ruff check + ruff format --check
#   make typecheck - mypy with django-stubs over the product code (tests and migrations excepted)
#   make format - ruff check --fix + ruff format
# A fresh machine needs nothing but `make run` / `make test`.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV        := .venv
PY          := $(VENV)/bin/python
RUFF        := $(VENV)/bin/ruff
# The stamp holds the sha256 of requirements.txt last installed into the venv.
STAMP       := $(VENV)/.requirements.sha256
PYTEST_ARGS ?=
RUNSERVER_ADDR ?= 127.0.0.1:8000
# Optional: PYTHON=/path/to/python3.12+ forces the interpreter used to create the venv.
PYTHON      ?=

# Prints the path of the first interpreter that really runs and is >= 3.12.
# Order: $(PYTHON), python3.13 / python3.12 on PATH (pyenv shims fail without
# PYENV_VERSION, which the probe catches), then pyenv's versions directly
# (newest first), then plain python3.
define FIND_PYTHON
ok() { "$$1" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }; \
pyroot="$$(pyenv root 2>/dev/null || echo "$${PYENV_ROOT:-$$HOME/.pyenv}")"; \
for c in $(PYTHON) python3.13 python3.12 \
         $$(ls -d "$$pyroot"/versions/3.1[2-9]*/bin/python3.1[2-9] 2>/dev/null | sort -rV) \
         python3; do \
  p="$$(command -v "$$c" 2>/dev/null)" || continue; \
  if ok "$$p"; then echo "$$p"; exit 0; fi; \
done; exit 1
endef

.PHONY: help install run test lint typecheck format clean

help:
	@echo "Targets: install run test lint typecheck format clean"
	@echo "  make test PYTEST_ARGS='-m \"not browser\" -x'    (arguments passed to pytest)"

install:
	@if [ -x "$(PY)" ] && "$(PY)" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then \
	  :; \
	else \
	  py="$$( $(FIND_PYTHON) )" || { \
	    echo "ERROR: no Python >= 3.12 found (tried: $(PYTHON) python3.13, python3.12 on PATH," >&2; \
	    echo "       \$$(pyenv root)/versions/3.1[2-9]*/bin/python3.1x, python3)." >&2; \
	    echo "       Install Python 3.12+ (with venv) or run: make install PYTHON=/path/to/python3.12" >&2; \
	    exit 1; }; \
	  if [ -e "$(VENV)" ]; then echo "Removing $(VENV): missing or older than Python 3.12"; rm -rf "$(VENV)"; fi; \
	  echo "Creating $(VENV) with $$py ($$("$$py" -c 'import sys; print(sys.version.split()[0])'))"; \
	  "$$py" -m venv "$(VENV)"; \
	fi
	@want="$$(sha256sum requirements.txt | cut -d' ' -f1)"; \
	if [ "$$(cat "$(STAMP)" 2>/dev/null)" != "$$want" ]; then \
	  echo "Installing requirements.txt into $(VENV)"; \
	  "$(PY)" -m pip install --disable-pip-version-check -r requirements.txt; \
	  echo "$$want" > "$(STAMP)"; \
	fi

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	@# Task worker in the background, stopped whenever the dev server stops (Ctrl-C, error, exit).
	@$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null || true; wait $$worker 2>/dev/null || true' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; \
	echo "Task worker started (pid $$worker); server on http://$(RUNSERVER_ADDR)/"; \
	$(PY) manage.py runserver $(RUNSERVER_ADDR)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	@rc=0; \
	$(RUFF) check . || rc=1; \
	$(RUFF) format --check . || rc=1; \
	exit $$rc

typecheck: install
	$(VENV)/bin/mypy

format: install
	$(RUFF) check --fix .
	$(RUFF) format .

clean:
	rm -rf staticfiles .pytest_cache .ruff_cache test-artifacts
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
