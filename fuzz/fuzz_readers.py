"""Coverage-guided fuzzing of everything that reads an author's files (atheris, libFuzzer).

    make fuzz                       # a time-boxed run (FUZZ_SECONDS, default 120)
    .venv/bin/python fuzz/fuzz_readers.py -max_total_time=600 fuzz/corpus/readers fuzz/seeds-readers

Each input is one file of an atlas (its first byte says which: atlas.yaml, places.yaml,
events.yaml, periods.yaml, events.csv, a GeoJSON region, geocoded.json or a lesson),
written over the good sample; `atlas.build.check` must then pass, or raise an
AtlasError whose every line is `path:line: message`. Anything else is a crash: libFuzzer
writes the input to .cache/fuzz-crashes/, and it belongs in tests/samples/fuzz-regressions/
(tests/test_fuzz_regressions.py replays every file there, with replay.py, in `make test`).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from replay import replay


def main() -> None:
    atheris.Setup(sys.argv, replay)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
