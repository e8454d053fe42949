# Advocacy Portal: `make run` starts everything on embedded defaults; `make test` runs the suite.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run test lint format bench demo-data clean

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

demo-data: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

run: demo-data
	PATH="$(abspath $(VENV))/bin:$$PATH" DEBUG=1 honcho start

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Needs PostgreSQL (DATABASE_URL=postgres://...) seeded with `manage.py seed_demo --clinicians ... --activities ...`.
# BENCH_ARGS passes options, e.g. BENCH_ARGS="--activities 1000000".
bench: install
	@command -v wrk >/dev/null || apt-get install -y wrk
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf var/celery-broker var/screenshots
