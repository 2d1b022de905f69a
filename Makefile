# Dropline: `make demo` to try it, `make test` to check it. Needs only Python 3.11.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_ENV := DROPLINE_DEMO=1 DROPLINE_PROVIDER_NAME="Riverbend Broadband" TIME_ZONE=America/Chicago \
	DROPLINE_SUPPORT_PHONE="+13195550100" DROPLINE_FCC_FRN="0031234567" \
	DROPLINE_SUPPORT_HOURS="Mon–Sat 8 am–8 pm Central" \
	DROPLINE_SUPPORT_HOURS_ES="lun.–sáb., 8 a. m.–8 p. m., hora del Centro" \
	DROPLINE_SUPPORT_ADDRESS="410 River Street, Riverbend, IA 52240"

.PHONY: demo test install install-dev lint typecheck migrations-check pytest serve clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found); set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
	$(BIN)/python -m dropline.i18n

install-dev: $(VENV)/.installed-dev
	$(BIN)/python -m dropline.i18n

demo: install
	$(DEMO_ENV) $(BIN)/dropline migrate --no-input
	$(DEMO_ENV) $(BIN)/dropline createcachetable
	$(DEMO_ENV) $(BIN)/dropline collectstatic --no-input --verbosity 0
	$(DEMO_ENV) $(BIN)/dropline seed demo
	$(DEMO_ENV) $(BIN)/dropline serve --port $(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install-dev
	$(BIN)/mypy dropline tests bench

migrations-check: install-dev
	SECRET_KEY=migrations-check-only-not-a-real-secret-key-000 DROPLINE_HTTPS=0 ALLOWED_HOSTS=localhost \
		$(BIN)/dropline makemigrations --check --dry-run

pytest: install-dev
	$(BIN)/pytest

test: lint typecheck migrations-check pytest

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
