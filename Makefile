# The two commands a newcomer needs: `make demo` and `make test`.
.PHONY: setup setup-dev demo test test-fast bench lint check-scenarios clean

PY := .venv/bin/python

setup:
	@scripts/setup.sh

setup-dev:
	@scripts/setup.sh --dev

demo: setup
	@$(PY) manage.py demo

test: setup-dev
	@$(PY) manage.py makemigrations --check --dry-run >/dev/null || (echo "migrations are missing: run manage.py makemigrations"; exit 1)
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check . >/dev/null || (echo "code is not formatted: run .venv/bin/ruff format ."; exit 1)
	@$(PY) -m pytest -q
	@../shared/tools/check-scenarios

bench: setup-dev
	@$(PY) bench/search.py --json
	@$(PY) bench/packet.py --json
	@$(PY) bench/navigate.py --json
	@$(PY) bench/display.py --json
	@$(PY) bench/load.py --json
	@$(PY) bench/register_import.py --json

lint: setup-dev
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .

clean:
	rm -rf .venv var
