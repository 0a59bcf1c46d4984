# Entry points. The README's Quick start names two: `make report` and `make test`.
#   make report  runtime dependencies only (pip install -e .), then the sample report
#   make test    adds the test extras (pip install -e '.[test]'), then every test
#   make check   the fast tests (no slow, notebook or browser test)
#   make lint    adds the dev extras (ruff, pre-commit), then ruff check + format check
# Each creates .venv inside the repository when it is missing; nothing is installed elsewhere.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed
TESTDEPS := $(VENV)/.installed-test
DEVDEPS := $(VENV)/.installed-dev
FAST := not slow and not notebook and not browser

.PHONY: report test check lint format validate clean-venv

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "cchc cần Python 3.11 trở lên (needs Python >= 3.11)")'
	@$(PYTHON) -m venv $(VENV) || { \
	  echo "Không tạo được môi trường ảo. Trên Debian/Ubuntu: sudo apt install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(TESTDEPS): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(RUNTIME)

$(DEVDEPS): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(RUNTIME)

report: $(RUNTIME)
	$(BIN)/cchc report --plan hai-duong-2024 --period 2024-Q2

validate: $(RUNTIME)
	$(BIN)/cchc validate --plan hai-duong-2024

test: $(TESTDEPS)
	$(BIN)/python -m pytest

check: $(TESTDEPS)
	$(BIN)/python -m pytest -q -m "$(FAST)"

lint: $(DEVDEPS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEVDEPS)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean-venv:
	rm -rf $(VENV)
