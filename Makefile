# Two entry points (see README): `make report` and `make test`.
# Both create .venv inside the repository when missing and install the package into it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report test validate clean-venv

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "cchc cần Python 3.11 trở lên (needs Python >= 3.11)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "Không tạo được môi trường ảo. Trên Debian/Ubuntu: sudo apt install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

report: $(STAMP)
	$(BIN)/cchc report --plan hai-duong-2024 --period 2024-Q2

validate: $(STAMP)
	$(BIN)/cchc validate --plan hai-duong-2024

test: $(STAMP)
	$(BIN)/python -m pytest

clean-venv:
	rm -rf $(VENV)
