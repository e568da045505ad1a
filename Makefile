# `make atlas` builds the default atlas; `make test` runs every test. Both set up
# .venv on first use, with nothing but Python 3.11+ and make on the machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core, the accessibility checker the browser tests run, from the npm registry.
AXE := .cache/npm/node_modules/axe-core/axe.min.js
AXE_VERSION := 4.14.1
# TimelineJS, in which the browser tests open our TimelineJS export, from the npm registry.
TIMELINEJS := .cache/npm/node_modules/@knight-lab/timelinejs/dist/js/timeline.js
TIMELINEJS_VERSION := 3.9.11

.PHONY: atlas test bench fuzz clean
FUZZ_SECONDS ?= 120

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

atlas: $(STAMP)
	$(BIN)/atlas build places -o build
	@echo "Open $(CURDIR)/build/index.html"

$(AXE):
	npm install --silent --no-audit --no-fund --prefix .cache/npm axe-core@$(AXE_VERSION)

$(TIMELINEJS):
	npm install --silent --no-audit --no-fund --prefix .cache/npm @knight-lab/timelinejs@$(TIMELINEJS_VERSION)

test: $(STAMP) $(AXE) $(TIMELINEJS)
	$(BIN)/ruff check atlas tests benchmarks fuzz places/tools
	$(BIN)/mypy
	$(BIN)/python -m pytest

clean:
	rm -rf build

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_yaml.py

# Coverage-guided fuzzing (atheris), time-boxed, not part of `make test`: FUZZ_SECONDS for each
# target in turn (the readers of an atlas's files, atlas import in every format, image
# decoding, incremental builds against full ones). Each grows its corpus in fuzz/corpus/TARGET
# (kept in the repository: commit what a run adds) from fuzz/seeds-TARGET. A crash is written
# to .cache/fuzz-crashes/TARGET-…; keep it in tests/samples/fuzz-regressions/ (a reader's),
# or its importers/, images/ or incremental/ folder, where make test replays it.
FUZZ_TARGETS := readers importers images incremental
# And each importer alone (fuzz/fuzz_import.py), from its own seeds in fuzz/seeds-import/NAME
# and the sample files of every format.
FUZZ_IMPORTS := timeline.json timeline.csv story.json gazetteer.json gazetteer.tsv places.geojson events.csv

fuzz: $(STAMP)
	$(BIN)/python -m pip install --quiet atheris
	mkdir -p .cache/fuzz-crashes
	for target in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/corpus/$$target; \
		$(BIN)/python fuzz/fuzz_$$target.py -max_total_time=$(FUZZ_SECONDS) -timeout=60 \
			-artifact_prefix=.cache/fuzz-crashes/$$target- fuzz/corpus/$$target fuzz/seeds-$$target || exit 1; \
	done
	for name in $(FUZZ_IMPORTS); do \
		mkdir -p fuzz/corpus/import-$$name; \
		ATLAS_FUZZ_IMPORT=$$name $(BIN)/python fuzz/fuzz_import.py -max_total_time=$(FUZZ_SECONDS) -timeout=60 \
			-artifact_prefix=.cache/fuzz-crashes/import-$$name- fuzz/corpus/import-$$name \
			fuzz/seeds-import/$$name tests/samples/formats || exit 1; \
	done
