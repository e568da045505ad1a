"""Coverage-guided fuzzing of the decoding of an atlas's images (atheris, libFuzzer).

    .venv/bin/python fuzz/fuzz_images.py -max_total_time=600 fuzz/corpus/images fuzz/seeds-images

Each input is an image file of an atlas, its first byte choosing its name (see
replay_images.py): `atlas check` and `atlas build` must make its pictures, or say what is
wrong in located messages. Anything else is a crash: libFuzzer writes the input to
.cache/fuzz-crashes/, and it belongs in tests/samples/fuzz-regressions/images/
(tests/test_security_images.py replays every file there).
"""

from __future__ import annotations

import contextlib
import importlib
import sys

import atheris

with atheris.instrument_imports():
    # Pillow's readers of the formats atlas decodes are Python too: imported here to be
    # instrumented, so that the fuzzer learns its way through their headers.
    for plugin in ("Image", "ImageOps", "JpegImagePlugin", "PngImagePlugin", "GifImagePlugin", "WebPImagePlugin",
                   "AvifImagePlugin"):
        with contextlib.suppress(ImportError):  # an older Pillow has no AVIF reader
            importlib.import_module(f"PIL.{plugin}")
    from replay_images import replay


def main() -> None:
    atheris.Setup(sys.argv, replay)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
