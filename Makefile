# mpro. `make run` serves the portal with demo data; `make test` runs the tests.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint fmt messages translations-check bench bench-http worker clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# axe-core (accessibility rules the browser tests inject into pages) comes from the npm registry,
# pinned in package-lock.json; it is a test tool and is never served. Without npm the axe checks skip.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $(AXE); \
	else echo "npm not found: the accessibility (axe-core) browser checks will skip"; fi

install: $(STAMP) $(AXE)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	$(BIN)/python manage.py compilemessages_babel

compile: $(STAMP)
	$(BIN)/python manage.py compilemessages_babel

run: $(STAMP) compile
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	# The connected vans report once a minute from a second process (what beat does in
	# production); demo time runs 30 times faster so vans are seen moving. Stopped with the server.
	TELEMATICS_TIME_SCALE=$${TELEMATICS_TIME_SCALE:-30} $(BIN)/python manage.py emulator --loop & \
	  trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP) $(AXE) compile
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract messages from the code into locale/ and each app's own <app>/locale/ (needs GNU gettext's
# xgettext). No source locations, so that branches merge their catalogues cleanly.
messages: $(STAMP)
	$(BIN)/python manage.py extract_messages

translations-check: $(STAMP)
	$(BIN)/python manage.py check_translations

# One worker consuming every queue (mpro.celery.all_queues); production starts one per kind (README).
worker: $(STAMP)
	$(BIN)/celery -A mpro worker -l info -Q $$(DJANGO_SETTINGS_MODULE=mpro.settings $(BIN)/python -c "import django; django.setup(); \
	  from mpro.celery import all_queues; print(','.join(all_queues()))")

# Measured on PostgreSQL and Redis; by default the local servers, in a database of its own.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mpro_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/3
bench: $(STAMP)
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) TELEMATICS_LATENCY_MS=0 \
	  TELEMATICS_FAILURE_RATE=0 CELERY_QUEUE=bench $(BIN)/python manage.py bench $(BENCH_ARGS)

# The app under gunicorn (DEBUG=0, gunicorn.conf.py's workers) against a bare Django view, driven by wrk on
# 127.0.0.1 (16 connections, 10 s per endpoint); same database as `make bench`. wrk is Debian's.
bench-http: $(STAMP) compile
	@command -v wrk >/dev/null || (command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
	  && apt-get install -y -q wrk >/dev/null) || { echo "bench-http: wrk is missing and could not be \
	installed (apt-get install wrk); skipped"; exit 0; }; \
	command -v wrk >/dev/null || exit 0; \
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) TELEMATICS_LATENCY_MS=0 \
	  TELEMATICS_FAILURE_RATE=0 CELERY_QUEUE=bench $(BIN)/python manage.py bench_http $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 node_modules
