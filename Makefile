# Two commands for a fresh machine with python3 and make: `make run`, `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run test install lint messages clean loadtest bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs the pinned versions CI tested (constraints.txt); re-runs only when they change.
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	@touch $@

install: $(VENV)/.installed

run: export DEBUG ?= 1
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) compile_translations
	$(MANAGE) import_seeds
	@echo ""
	@echo "  Site:  http://127.0.0.1:$(PORT)/  (English: http://127.0.0.1:$(PORT)/en/)"
	@echo "  Admin: http://127.0.0.1:$(PORT)/admin/"
	@echo "  First staff account: $(MANAGE) createsuperuser"
	@echo "  (then add people to the Editor or Publisher group in the admin)"
	@echo ""
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# 64 concurrent clients for 30 s on the main public pages against gunicorn (bench/loadtest.py); fails on any error.
loadtest: install
	$(BIN)/python bench/loadtest.py $(LOADTEST_ARGS)

lint: install
	$(BIN)/python -m ruff check .

# Developers: refresh the catalogs after changing UI strings (needs GNU gettext).
messages: install
	DEBUG=1 $(MANAGE) makemessages --locale vi --locale en --ignore ".venv/*" --no-obsolete
	DEBUG=1 $(MANAGE) compile_translations

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache

# The archive-scale benchmark (issue #5): bench/run.py, results in bench/results/. See README "Benchmark".
bench: install
	@command -v wrk >/dev/null || (apt-get install -y wrk || sudo apt-get install -y wrk)
	$(BIN)/python -m bench.run
	@# Two gunicorn servers on one PostgreSQL and one Redis: a publish through one is seen through the other.
	@if $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2); socket.create_connection(('127.0.0.1', 6379), 2)" 2>/dev/null; \
	then $(BIN)/python bench/scaleout.py; else echo "scale-out demo skipped: needs PostgreSQL on 5432 and Redis on 6379"; fi
