# oferta: two set-up commands for a fresh machine (Python >= 3.11 and make): `make demo`, `make test`.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
# Use uv from PATH, or bootstrap it into .tools/ with the machine's Python.
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PYTEST_ARGS ?=

.PHONY: install demo test lint serve clean

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

install: $(if $(findstring .tools,$(UV)),.tools/bin/uv)
	$(UV) sync --frozen --quiet

demo: install
	.venv/bin/oferta setup --demo
	.venv/bin/oferta serve

test: install
	.venv/bin/python -m pytest -n auto $(PYTEST_ARGS)

lint: install
	.venv/bin/ruff check src tests
	.venv/bin/lint-imports

clean:
	rm -rf .venv .tools var/oferta.sqlite3*
