# Advocacy Portal: `make run` starts everything on embedded defaults; `make test` runs the suite.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run test test-boundaries lint format bench demo-data clean

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

# Parallel over the machine's cores (pytest-xdist; tests/environment.py gives each worker its own files
# and Redis databases). PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL = -n $(PYTEST_WORKERS) --dist loadgroup
# More pytest arguments, e.g. PYTEST_ARGS='-m "not privacy_corpus"' (CI's services leg).
PYTEST_ARGS ?=

test: install
	$(PY) -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

# The suite (without the browser and real-worker tests, whose other processes keep the real clock, and
# without the API fuzzing and the privacy guard's corpus figures, which read no clock and would only repeat
# themselves)
# with the whole clock moved to each instant: Monday 1 January just after midnight UTC, 29 February,
# and the 2027 US daylight-saving changes (07:30 UTC spring forward, 06:30 UTC fall back).
TEST_BOUNDARIES ?= 2029-01-01T00:05:00Z 2028-02-29T00:05:00Z 2027-03-14T07:30:00Z 2027-11-07T06:30:00Z
test-boundaries: install
	@set -e; for instant in $(TEST_BOUNDARIES); do \
	  echo "--- suite clock at $$instant (TEST_NOW)"; \
	  TEST_NOW=$$instant $(PY) -m pytest $(PYTEST_PARALLEL) -m "not browser and not services and not fuzz and not privacy_corpus"; \
	done

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
