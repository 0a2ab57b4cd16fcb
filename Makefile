# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/revenge
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: run test setup lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.prod-installed: requirements/base.txt requirements/prod.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/prod.txt
	touch $@

$(VENV)/.dev-installed: requirements/base.txt requirements/prod.txt requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@ $(VENV)/.prod-installed

## setup: install, migrate, collect static files, create the admin user when none exists.
setup: $(VENV)/.prod-installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py setup_roles
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py ensure_admin

## run: the whole platform (web, worker, beat) on the embedded default; Ctrl-C stops it.
run: setup
	@echo "Revenge on http://127.0.0.1:$${REVENGE_PORT:-8000}/  (admin: /admin/, API docs: /api/docs/)"
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile

## test: lint, format check, then the tests against PostgreSQL and Redis with the coverage gate.
test: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" \
	REVENGE_SECRET_KEY="$${REVENGE_SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	REVENGE_DATA_DIR="$$(mktemp -d)" \
		$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .coverage htmlcov .pytest_cache .ruff_cache
