# mpro. `make run` serves the portal with demo data; `make test` runs the tests.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint fmt messages translations-check bench worker clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	$(BIN)/python manage.py compilemessages_babel

compile: $(STAMP)
	$(BIN)/python manage.py compilemessages_babel

run: $(STAMP) compile
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP) compile
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract messages from the code into locale/*/django.po (needs GNU gettext's xgettext).
messages: $(STAMP)
	$(BIN)/python manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests
	$(BIN)/python manage.py makemessages --all --no-obsolete -d djangojs --ignore=.venv --ignore=staticfiles

translations-check: $(STAMP)
	$(BIN)/python manage.py check_translations

worker: $(STAMP)
	$(BIN)/celery -A mpro worker -l info

# Measured on PostgreSQL and Redis; by default the local servers, in a database of its own.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mpro_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/3
bench: $(STAMP)
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) TELEMATICS_LATENCY_MS=0 \
	  TELEMATICS_FAILURE_RATE=0 CELERY_QUEUE=bench $(BIN)/python manage.py bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
