"""Coverage-guided fuzzing of `atlas import`, every format (atheris, libFuzzer).

    make fuzz                       # a time-boxed run of each harness (FUZZ_SECONDS each)
    .venv/bin/python fuzz/fuzz_importers.py -max_total_time=600 fuzz/corpus/importers fuzz/seeds-importers

Each input is one file given to `atlas import` (its first byte says which format, and
whether it goes into a new atlas folder or is added to the good sample); the import and
`check` of what it wrote must pass, or raise an AtlasError whose every line says where
(see replay_importers.py). Anything else is a crash: libFuzzer writes the input to
.cache/fuzz-crashes/, and it belongs in tests/samples/fuzz-regressions/importers/
(tests/test_fuzz_regressions.py replays every file there in `make test`).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from replay_importers import replay


def one_input(data: bytes) -> None:
    replay(data)


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
