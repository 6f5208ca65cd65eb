# Two commands on a fresh machine: `make run` and `make test`. Everything else is detail.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test install lint bench messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	test -f .env || printf '# Development settings (not used in production images)\nDEBUG=true\n' > .env
	touch $(STAMP)

install: $(STAMP)

## make run: migrate, load the demo data, print a staff login, start a Celery worker with
## beat and serve http://127.0.0.1:$(PORT) (links in e-mails follow the port). SQLite and no Redis unless DATABASE_URL /
## CELERY_BROKER_URL say otherwise.
run: export DEBUG ?= true
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py demo_login
	@set -e; \
	$(BIN)/celery -A leafspring worker --beat --loglevel=INFO --concurrency=1 \
		--schedule=var/celery/beat-schedule & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## make test: the whole suite (SQLite by default, PostgreSQL when DATABASE_URL is set).
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

## make messages: refresh the Dutch catalogues (project-wide in locale/, and per app) and
## compile them; needs GNU gettext (apt-get install gettext).
messages: export DEBUG = true
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l nl --no-obsolete -i ".venv/*" -i "var/*" \
		-i "requests_dsar/*" -i "retention/*" -i "tests/*" -i "bench/*"
	for app in requests_dsar retention; do \
		(cd $$app && $(abspath $(BIN))/python ../manage.py makemessages -l nl --no-obsolete) || exit 1; \
	done
	$(BIN)/python manage.py compilemessages -i ".venv"

clean:
	rm -rf $(VENV) var db.sqlite3
