# 统筹 Tongchou — one entry point. `make run` for the demo, `make test` for the suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@HTTPS=0 $(VENV)/bin/tongchou migrate --noinput -v0
	@HTTPS=0 $(VENV)/bin/tongchou demo
	@echo ""
	@echo "统筹已启动 / Tongchou is running:  http://127.0.0.1:$(PORT)/   (Ctrl-C 停止 / to stop)"
	@echo ""
	@HTTPS=0 PORT=$(PORT) bash scripts/run.sh

test: $(STAMP)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	HTTPS=0 $(VENV)/bin/tongchou makemigrations --check --dry-run

bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b; done

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
