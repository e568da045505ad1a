"""Coverage-guided fuzzing of one importer alone (atheris, libFuzzer): a target a format.

    make fuzz                       # every target in turn, FUZZ_SECONDS each
    ATLAS_FUZZ_IMPORT=story.json .venv/bin/python fuzz/fuzz_import.py -max_total_time=600 \\
        fuzz/corpus/import-story.json fuzz/seeds-import/story.json

ATLAS_FUZZ_IMPORT names the file an input is (timeline.json, timeline.csv, story.json,
gazetteer.json, gazetteer.tsv, places.geojson or events.csv: `replay_importers.TARGETS`);
each input is the whole file, imported into a new atlas folder (an input of odd length is
added to the good sample instead), then checked, with the property fuzz_importers.py
keeps (see replay_importers.py). Fuzzing one format at a time spends the whole budget on
its reader, where fuzz_importers.py shares it among seven. A crash is written to
.cache/fuzz-crashes/import-NAME-…: keep it in tests/samples/fuzz-regressions/importers/
with the target's first byte before it (`replay_importers.first_byte`), where make test
replays it.
"""

from __future__ import annotations

import os
import sys

import atheris

with atheris.instrument_imports():
    from replay_importers import first_byte, replay

NAME = os.environ.get("ATLAS_FUZZ_IMPORT", "")


def one_input(data: bytes) -> None:
    replay(bytes([first_byte(NAME, existing=len(data) % 2 == 1)]) + data)


def main() -> None:
    first_byte(NAME, existing=False)  # an unknown name stops here, before fuzzing
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
