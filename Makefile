# Two commands: `make run` and `make test`. Both work on a fresh machine with Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint typecheck pytest migrate install system clean bench backup restore soak outage

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

system:
	scripts/system-packages.sh

install: $(VENV)/.installed-dev

migrate: install
	$(MANAGE) migrate --noinput
	$(MANAGE) migrate --database keys --noinput

run: migrate
	$(MANAGE) seed_demo --json var/demo-accounts.json
	@echo "ECD draait op http://localhost:8000 (stoppen met Ctrl-C; passkeys werken op localhost, niet op 127.0.0.1)"
	@sh -c '$(MANAGE) run_exports & worker=$$!; trap "kill $$worker" EXIT INT TERM; $(MANAGE) runserver 127.0.0.1:8000'


lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy accounts audit backups consent dossiers ecd keystore notifications portal practice

pytest: install system node_modules/.package-lock.json
	$(BIN)/pytest

test: lint typecheck pytest

# make backup; make restore FILE=var/backups/ecd-….main.age INTO=postgres://…/nieuwe_db IDENTITY=/media/usb/backup-identity.txt
backup: install
	$(MANAGE) backup

restore: install
	$(MANAGE) restore "$(FILE)" --into "$(INTO)" --identity "$(IDENTITY)"

soak: install
	$(BIN)/python bench/soak.py

outage: install
	$(BIN)/python bench/outage.py

bench: install system
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
