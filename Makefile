# Set-up, tests and the main job. Every target installs what it needs first, so a fresh clone
# needs only `make test` or `make run`.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup browser redis test lint run demo bench

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

# Debian's Chromium for the scrapy-playwright routes (`playwright install` cannot download here).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Debian's redis-server for the shared-state and distributed tests (tests/redis_server.py starts
# its own on a free loopback port; the system service is not used).
redis:
	@command -v redis-server >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq redis-server; }

test: setup browser redis lint
	$(BIN)/python -m pytest

run: setup
	$(BIN)/newswatch run

demo: setup
	$(BIN)/newswatch demo

# Benchmarks (~20 min; BENCH_ARGS=--quick for ~3 min); rewrites bench/RESULTS.md. Installs nginx.
bench: setup
	$(BIN)/python -m pip install --quiet py-spy
	$(BIN)/python -m bench $(BENCH_ARGS)
