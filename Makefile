# Chalk's entry points. Targets install what they need (as root on Debian/Ubuntu) and use .venv/.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# System packages: those the app needs are listed once, in packages.txt (Streamlit Community
# Cloud reads it; so does the Dockerfile); the browser, Prometheus and Caddy only the tests use.
APT_PACKAGES := $(shell cat packages.txt) chromium prometheus caddy
PYTEST_ARGS ?=

.PHONY: help run test lint typecheck bench system venv services clean

help:
	@echo "make run    start the web app at http://localhost:8501"
	@echo "make test   install what is missing, then run the whole test suite"
	@echo "make lint   ruff, mypy, import contracts;  make bench   run the benchmarks"

# System packages: installed only when one is missing, so repeat runs are fast.
system:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing system packages:$$missing"; \
		if [ "$$(id -u)" != 0 ]; then echo "run as root (or install:$$missing)"; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $@

venv: system $(VENV)/.installed

# The web app on embedded defaults (SQLite, local media, inline worker pool, offline
# templates): no Redis or PostgreSQL needed. Settings come from CHALK_* variables or .env.
run: venv
	$(BIN)/streamlit run streamlit_app.py --server.address 0.0.0.0 --server.port 8501 \
		--server.headless true

# Redis and PostgreSQL for the integration tests: started when installed but not running.
services:
	@if command -v pg_ctlcluster >/dev/null && ! pg_isready -h 127.0.0.1 -q; then \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -1) main start; fi
	@if command -v redis-server >/dev/null && ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then \
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; fi

# The ten slowest tests are listed after every run, so a slow one is seen when it arrives.
test: venv lint services
	$(BIN)/pytest -n 2 --dist loadgroup --durations=10 $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check app jobs tests bench examples pages streamlit_app.py
	$(BIN)/ruff format --check app jobs tests bench examples pages streamlit_app.py
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

bench: venv services
	$(BIN)/python bench/render_latency.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/cache.py
	$(BIN)/python bench/fairness.py
	$(BIN)/python bench/layout_fix.py
	$(BIN)/python bench/generate_latency.py
	$(BIN)/python bench/unused_parts.py
	$(BIN)/python bench/analytics.py
	$(BIN)/python bench/fuzz.py
	$(BIN)/python bench/refine.py
	$(BIN)/python bench/lesson.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/formula_conversion.py
	$(BIN)/python bench/svg_copies.py
	$(BIN)/python bench/warm_start.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
