# make run   installs what is missing, migrates, seeds and serves http://127.0.0.1:5000,
#            with the job worker (mail, delivery packs, periodic jobs) beside it
# make test  installs what is missing and runs the checks and the whole test suite
# make bench           times letter rendering against bare WeasyPrint (a report, not a test)
# make bench-delivery  times the delivery pack of 1,000,000 signatures (target: 3 min, 500 MB)
# make bench-signing   the sign POST on gunicorn + PostgreSQL + Redis against a bare INSERT
# make bench-reads     counts, pages and signatures.csv with 1,000,000 confirmed signatures

VENV    := .venv
PYTHON  := $(VENV)/bin/python
FLASK   := FLASK_APP=app $(VENV)/bin/flask
STAMP   := $(VENV)/.installed

.PHONY: run test lint typecheck setup bench bench-delivery bench-signing bench-reads clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt scripts/install-system-packages tests/browser/package-lock.json
	scripts/install-system-packages
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	# The app's requirements and the test and lint tools, every file checked
	# against its pinned hash; production installs requirements.txt alone.
	$(PYTHON) -m pip install --quiet --require-hashes -r requirements-dev.txt
	# axe-core for the browser tests (Playwright's own browser download is never used:
	# the tests drive Debian's chromium)
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $(STAMP)

run: setup
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) seed
	$(FLASK) facts verify
	scripts/run-with-worker

lint: setup typecheck
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

# mypy on app/ and config.py (settings in pyproject.toml); part of `lint`.
typecheck: setup
	$(VENV)/bin/mypy

test: lint
	$(VENV)/bin/python -m pytest

bench: setup
	$(PYTHON) bench/letters.py

bench-delivery: setup
	$(PYTHON) bench/delivery_pack.py

bench-signing: setup
	$(PYTHON) bench/signing.py

bench-reads: setup
	$(PYTHON) bench/reads.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache tests/browser/node_modules artifacts
