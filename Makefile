# `make atlas` builds the default atlas; `make test` runs every test. Both set up
# .venv on first use, with nothing but Python 3.11+ and make on the machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: atlas test bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

atlas: $(STAMP)
	$(BIN)/atlas build places -o build
	@echo "Open $(CURDIR)/build/index.html"

test: $(STAMP)
	$(BIN)/ruff check atlas tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

clean:
	rm -rf build

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py
