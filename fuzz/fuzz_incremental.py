"""Coverage-guided fuzzing of incremental builds (atheris, libFuzzer): each input is a new
events.yaml, built incrementally after the previous input's build and compared with a
full build (see replay_incremental.py).

    .venv/bin/python fuzz/fuzz_incremental.py -max_total_time=600 fuzz/corpus/incremental fuzz/seeds-incremental

A crash is written to .cache/fuzz-crashes/; keep it in
tests/samples/fuzz-regressions/incremental/ (replayed by tests/test_fuzz_regressions.py).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from replay_incremental import replay_edit


def main() -> None:
    atheris.Setup(sys.argv, replay_edit)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
