# Tỉnh Số — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PIP    := $(BIN)/pip --disable-pip-version-check -q

.PHONY: run test install migrate demo serve worker lint check messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install --upgrade pip setuptools wheel 2>&1 | grep -v '^WARNING: Location' || true
	$(PIP) install -e ".[test]" 2>&1 | grep -v '^WARNING: Location' || true
	$(BIN)/python -c "import tinhso, django, weasyprint, pyhanko, psycopg"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/tinhso migrate --no-input

demo: migrate
	$(BIN)/tinhso demo load

# Migrate, load the demo province, then run the web server and the task worker together.
run: demo
	$(BIN)/python -m tinhso.devserver --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src bench

# Imports point down the layers (import-linter contracts in pyproject.toml) and the domain packages
# type-check (mypy with django-stubs); docs/architecture.md "Checks".
check: install
	$(BIN)/lint-imports
	$(BIN)/mypy

# Refresh the English catalogue from the Vietnamese source strings, then compile it. Needs gettext
# (apt install gettext); commit both django.po and django.mo (docs/i18n.md).
messages: install
	cd src/tinhso && $(abspath $(BIN))/tinhso makemessages -l en --ignore "*/tests/*" --no-obsolete \
		&& $(abspath $(BIN))/tinhso compilemessages -l en

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var build *.egg-info
