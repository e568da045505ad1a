"""One image-fuzzing input, replayed: the property the decoding of an atlas's images keeps.

The first byte names the file: `images/poster` with one of the suffixes atlas reads, or
`.tif`, which it refuses by name; the rest is the file's bytes, shown by the first event
of the starter atlas (`atlas new`). `atlas check` (media.problems) and `atlas build`
(media.make_pictures, for pages or a single file) decode it with the same code: each must
make WebP pictures, or say what is wrong in `path:line: message` problems naming the
image, and both must say the same. Anything else is a crash.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import warnings
from pathlib import Path

from PIL import Image

from atlas.cli import STARTER
from atlas.errors import Problem
from atlas.site import media
from atlas.source import images, readers, validate
from atlas.source.model import Atlas

SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".tif")
REFUSED = ".tif"  # a name atlas does not read: refused whatever the bytes
LINE = re.compile(r"^[^\n]+/events\.yaml:\d+: [^\n]*'images/poster\.[a-z]+'[^\n]*$")
ANCHOR = "  summary: Crowds in Paris seize the Bastille fortress and prison.\n"
WORK = Path(tempfile.mkdtemp(prefix="atlas-fuzz-images-"))


def _atlas(suffix: str) -> Atlas:
    """The starter atlas whose first event shows `images/poster<suffix>`, read and checked once."""
    source = WORK / suffix.lstrip(".")
    shutil.copytree(STARTER, source)
    events = source / "events.yaml"
    media_item = f"  media:\n    - {{file: images/poster{suffix}, alt: A poster, credit: Someone}}\n"
    events.write_text(events.read_text(encoding="utf-8").replace(ANCHOR, ANCHOR + media_item), encoding="utf-8")
    (source / "images").mkdir()
    (source / "images" / f"poster{suffix}").write_bytes(b"")  # its bytes are each input's
    atlas, problems = validate.validate(readers.read_folder(source))
    assert not [problem for problem in problems if not problem.warning], problems
    assert len(media.first_uses(atlas)) == 1
    return atlas


ATLASES = {suffix: _atlas(suffix) for suffix in SUFFIXES if suffix != REFUSED}


def replay(data: bytes) -> list[str]:
    """What check and build say about the image (nothing when they show it)."""
    if not data:
        return []
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    single_file = data[0] // len(SUFFIXES) % 2 == 1
    if suffix == REFUSED:
        return [_refused(data[1:])]
    atlas = ATLASES[suffix]
    (atlas.source_dir / "images" / f"poster{suffix}").write_bytes(data[1:])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would be printed without a `path:line`
        checked = media.problems(atlas)
        pictures, written, built = media.make_pictures(atlas, single_file)
    _located(checked)
    assert [str(problem) for problem in checked] == [str(problem) for problem in built]
    if not built:
        assert len(pictures) == 1 and bool(written) != single_file
        for _, webp in written:
            with Image.open(io.BytesIO(webp), formats=["WEBP"]) as picture:
                assert picture.width >= 1 and picture.height >= 1
    return [problem.message for problem in built]


def _refused(data: bytes) -> str:
    try:
        images.decode(data, f"images/poster{REFUSED}")
    except images.Undecodable as err:
        assert str(err).startswith(f"image file 'images/poster{REFUSED}' is a TIFF image"), err
        return str(err)
    raise AssertionError(f"an image named {REFUSED} was decoded")


def _located(problems: list[Problem]) -> None:
    assert len(problems) <= 1, problems  # one image, one message
    for problem in problems:
        if not LINE.match(str(problem)) or problem.warning:
            raise AssertionError(f"not a path:line message about the image: {problem}")

