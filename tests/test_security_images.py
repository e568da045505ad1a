"""Stages: source, site.

Images in an atlas folder may come from anyone (issue 21): only the formats a page shows
are decoded (JPEG, PNG, GIF, WebP, AVIF), chosen by content and by name together, never by
a reader that starts another program (EPS → Ghostscript); the size, frames and scans a file
declares are checked before it is decoded; every damaged or hostile file is a `path:line:`
message with exit status 2, at `atlas check` and `atlas build` alike.

Every file here is a real one, made by Pillow or written byte by byte, put in an atlas from
`atlas new` and checked and built with the real command.
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from atlas.source.images import reads_avif

from conftest import ROOT, SAMPLES, run_atlas

sys.path.insert(0, str(ROOT / "fuzz"))
import replay_images

AVIF = reads_avif()
PICTURE = Image.new("RGB", (40, 30), (200, 100, 50))


def saved(fmt: str, image: Image.Image = PICTURE, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header claims `width`×`height` pixels, with one tiny row of data: a
    decoder would fail on it as damaged, so refusing it for its size shows the header was
    checked before any decoding."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 16))
            + chunk(b"IEND", b""))


def tiff_with_a_float_strip_offset() -> bytes:
    """A 1×1 greyscale TIFF whose StripOffsets tag is a FLOAT (type 11): Pillow's TIFF
    reader raised a traceback on it."""
    entries = [(256, 3, 1, 1), (257, 3, 1, 1), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
               (273, 11, 1, struct.unpack("<I", struct.pack("<f", 8.5))[0]), (278, 3, 1, 1), (279, 4, 1, 1)]
    ifd = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHII", *entry) for entry in entries)
    return b"II*\0" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0) + b"\x80"


def animation(fmt: str, count: int) -> bytes:
    """`count` frames, each unlike the one before (an encoder merges frames alike)."""
    frames = [Image.new("RGB", (2, 2), (255 * (number % 2), number * 7 % 256, 0)) for number in range(count)]
    return saved(fmt, frames[0], save_all=True, append_images=frames[1:], duration=20, lossless=True)


def progressive_jpeg_scans(repeats: int) -> bytes:
    """A progressive JPEG whose scans are repeated: each one is decoded again over the whole
    image, so a file of many small scans keeps the decoder busy for as long as it likes."""
    data = saved("JPEG", Image.new("L", (400, 400), 128), progressive=True)
    first = data.index(b"\xff\xda")  # the first scan
    return data[:first] + data[first:-2] * repeats + b"\xff\xd9"


def avif_with_its_pixels_zeroed() -> bytes:
    """An AVIF whose coded pixels are zeros: its decoder raised RuntimeError, a traceback."""
    data = saved("AVIF")
    start = data.index(b"mdat") + 4
    return data[:start] + bytes(len(data) - start)


def cut(data: bytes) -> bytes:
    return data[: len(data) // 3]


def photo(fmt: str) -> Callable[[], bytes]:
    return lambda: saved(fmt, Image.effect_noise((300, 200), 60).convert("RGB"))


MAKERS: dict[str, Callable[[], bytes]] = {
    "avif": lambda: saved("AVIF"),
    "dds": lambda: saved("DDS"),
    "blp": lambda: saved("BLP", PICTURE.convert("P")),
    "spider": lambda: saved("SPIDER", PICTURE.convert("F")),
    "im": lambda: saved("IM"),
    "eps": lambda: saved("EPS"),
    "tiff": tiff_with_a_float_strip_offset,
    "svg": lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>',
    "cut-jpeg": lambda: cut(photo("JPEG")()),
    "cut-png": lambda: cut(photo("PNG")()),
    "bomb-png": lambda: png_declaring(100_000, 100_000),
}

REFUSED_AS_OWN = "should be a JPEG, PNG, GIF, WebP or AVIF image"
NOT_READ = "is not an image atlas can read (JPEG, PNG, GIF, WebP or AVIF)"
# Each file, by the name it has in the atlas, and what the message about it must say.
CASES: dict[str, tuple[str, str]] = {
    "avif.jpg": ("avif", "is an AVIF image, but its name ends in .jpg: rename it to end in .avif"),
    "dds.jpg": ("dds", "is really a DDS texture, not a JPEG image"),
    "dds.dds": ("dds", REFUSED_AS_OWN),
    "blp.jpg": ("blp", "is really a BLP texture, not a JPEG image"),
    "blp.blp": ("blp", REFUSED_AS_OWN),
    "spider.jpg": ("spider", NOT_READ),
    "spider.spi": ("spider", REFUSED_AS_OWN),
    "im.jpg": ("im", "is really an IM image, not a JPEG image"),
    "im.im": ("im", REFUSED_AS_OWN),
    "eps.jpg": ("eps", "is really a PostScript (EPS) file, not a JPEG image"),
    "eps.eps": ("eps", REFUSED_AS_OWN),
    "tiff.jpg": ("tiff", "is really a TIFF image, not a JPEG image: atlas does not read TIFF; convert it to PNG "
                 "(or JPEG, for a photograph)"),
    "tiff.tif": ("tiff", "is a TIFF image, which atlas does not read: convert it to PNG (or JPEG, for a photograph)"),
    "svg.jpg": ("svg", "is really an SVG drawing, not a JPEG image"),
    "svg.svg": ("svg", "should be a JPEG, PNG, GIF, WebP or AVIF image (SVG is refused: it can carry script)"),
    "cut.jpg": ("cut-jpeg", "is damaged"),
    "cut.png": ("cut-png", "is damaged"),
    "cut-png.jpg": ("cut-png", "is a PNG image, but its name ends in .jpg: rename it to end in .png"),
    "bomb.jpg": ("bomb-png", "is a PNG image, but its name ends in .jpg"),
}


def starter_with_images(tmp_path: Path, names: list[str]) -> tuple[Path, dict[str, int]]:
    """An atlas from `atlas new` whose first event shows each of `names` (files in images/),
    and the line of events.yaml that names each."""
    source = tmp_path / "src"
    assert run_atlas("new", source).returncode == 0
    events = source / "events.yaml"
    items = "".join(f"    - {{file: images/{name}, alt: A picture, credit: Someone}}\n" for name in names)
    text = events.read_text(encoding="utf-8")
    anchor = "  summary: Crowds in Paris seize the Bastille fortress and prison.\n"
    assert anchor in text
    events.write_text(text.replace(anchor, anchor + "  media:\n" + items, 1), encoding="utf-8")
    lines = events.read_text(encoding="utf-8").splitlines()
    at = {name: next(number for number, line in enumerate(lines, 1) if f"images/{name}," in line) for name in names}
    (source / "images").mkdir()
    return source, at


def check_and_build(source: Path, tmp_path: Path) -> list[str]:
    """`atlas check` and `atlas build` both refuse the atlas (exit status 2, every line a
    `path:line:` message, the previous build kept); what each of them said."""
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    (out / "keep.txt").write_text("the previous build", encoding="utf-8")
    checked, built = run_atlas("check", source), run_atlas("build", source, "-o", out)
    for result in (checked, built):
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        assert all(re.match(r"\S+:\d+: ", line) for line in result.stderr.splitlines()), result.stderr
    assert (out / "keep.txt").read_text(encoding="utf-8") == "the previous build"
    assert sorted(os.listdir(out)) == ["keep.txt"]
    return [checked.stderr, built.stderr]


def assert_refused(tmp_path: Path, cases: dict[str, tuple[Callable[[], bytes], str]]) -> None:
    """Each file, by its name in the atlas, is refused with its message at its own line."""
    source, at = starter_with_images(tmp_path, list(cases))
    for name, (maker, _) in cases.items():
        (source / "images" / name).write_bytes(maker())
    for stderr in check_and_build(source, tmp_path):
        lines = stderr.splitlines()
        for name, (_, expected) in cases.items():
            found = [line for line in lines if f"events.yaml:{at[name]}: " in line and f"images/{name}'" in line]
            assert found, f"nothing said about {name} at line {at[name]}:\n{stderr}"
            assert expected in found[0], found[0]


@pytest.mark.filterwarnings("ignore:IM image format is deprecated:DeprecationWarning")
def test_only_the_formats_a_page_shows_are_read_by_content_and_name(tmp_path: Path) -> None:
    assert_refused(tmp_path, {name: (MAKERS[kind], expected) for name, (kind, expected) in CASES.items()
                              if AVIF or kind != "avif"})


TOO_LARGE = "has more than the 50 million pixels atlas reads"
LIMITS: dict[str, tuple[Callable[[], bytes], str]] = {
    "bomb.png": (lambda: png_declaring(100_000, 100_000), TOO_LARGE),  # ten billion: Pillow's own guard
    "large.png": (lambda: png_declaring(10_000, 6_000),  # sixty million: past ours, short of Pillow's
                  "is 10000×6000 pixels, more than the 50 million pixels atlas reads"),
    "frames.gif": (lambda: animation("GIF", 1_200), "is an animation of more than 1000 frames"),
    "frames.png": (lambda: animation("PNG", 1_200), "is an animation of more than 1000 frames"),
    "frames.webp": (lambda: animation("WEBP", 1_200), "is an animation of more than 1000 frames"),
    "scans.jpg": (lambda: progressive_jpeg_scans(150), "is a progressive JPEG of more than 100 scans"),  # 900
}


def test_size_frames_and_scans_are_limited_before_decoding(tmp_path: Path) -> None:
    assert_refused(tmp_path, LIMITS)


@pytest.mark.skipif(not AVIF, reason="this Pillow reads no AVIF")
def test_whatever_a_decoder_raises_is_a_located_message(tmp_path: Path) -> None:
    assert_refused(tmp_path, {"zeroed.avif": (avif_with_its_pixels_zeroed, "is damaged")})


def test_an_animation_within_the_limit_is_shown_by_its_first_frame(tmp_path: Path) -> None:
    source, _ = starter_with_images(tmp_path, ["moving.gif"])
    (source / "images" / "moving.gif").write_bytes(animation("GIF", 1_000))
    result = run_atlas("build", source, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    [made] = (tmp_path / "out" / "media").iterdir()
    with Image.open(made) as image:
        assert image.size == (2, 2) and getattr(image, "n_frames", 1) == 1
        assert image.convert("RGB").getpixel((0, 0)) == (0, 0, 0)  # the first frame's colour


def fake_ghostscript(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `gs` first on PATH (Ghostscript may not be installed here) that notes each time it
    is started in a file, whose path it returns."""
    tools = tmp_path / "bin"
    tools.mkdir()
    marker = tmp_path / "ghostscript-was-started"
    fake = tools / "gs"
    fake.write_text(f"#!/bin/sh\necho \"$@\" >> '{marker}'\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    return marker


@pytest.mark.parametrize("name", ["poster.jpg", "poster.png", "poster.eps", "poster.ps"])
def test_an_eps_file_never_starts_ghostscript(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = fake_ghostscript(tmp_path, monkeypatch)
    source, at = starter_with_images(tmp_path, [name])
    (source / "images" / name).write_bytes(MAKERS["eps"]())
    for stderr in check_and_build(source, tmp_path):
        assert f"events.yaml:{at[name]}: " in stderr, stderr
    assert not marker.exists(), marker.read_text(encoding="utf-8")


def test_the_fake_ghostscript_would_have_been_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The proof above can fail: Pillow, let read EPS, starts the `gs` first on PATH."""
    marker = fake_ghostscript(tmp_path, monkeypatch)
    (tmp_path / "poster.eps").write_bytes(MAKERS["eps"]())
    script = "import sys\nfrom PIL import Image\ntry:\n    Image.open(sys.argv[1]).load()\nexcept Exception:\n    pass\n"
    subprocess.run([sys.executable, "-c", script, str(tmp_path / "poster.eps")], check=True, timeout=120)
    assert marker.exists()


@pytest.mark.skipif(not AVIF, reason="this Pillow reads no AVIF")
def test_an_avif_image_under_its_own_name_is_shown(tmp_path: Path) -> None:
    source, _ = starter_with_images(tmp_path, ["photo.avif"])
    (source / "images" / "photo.avif").write_bytes(saved("AVIF", Image.effect_noise((300, 200), 60).convert("RGB")))
    result = run_atlas("build", source, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    made = sorted((tmp_path / "out" / "media").iterdir())
    assert [path.name.split(".")[0] for path in made] == ["photo"]
    with Image.open(made[0]) as image:
        assert image.format == "WEBP" and image.size == (300, 200)


@pytest.mark.parametrize("name", ["photo.jpg", "photo.jpeg", "photo.PNG", "photo.gif", "photo.webp"])
def test_each_allowed_format_under_its_own_name_is_shown(tmp_path: Path, name: str) -> None:
    fmt = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}[name.rsplit(".")[1].lower()]
    source, _ = starter_with_images(tmp_path, [name])
    (source / "images" / name).write_bytes(photo(fmt)())
    result = run_atlas("build", source, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out" / "media").iterdir())) == 1  # 300 pixels wide: one width


def test_a_build_leaves_the_decompression_bomb_guard_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The relief is cut in this very process (an empty cache), as under `atlas serve`; then
    an atlas image of ten billion pixels is still stopped by Pillow's own guard, before our
    limit could name its size."""
    from atlas.building.pipeline import build, check
    from atlas.errors import AtlasError

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    guard = Image.MAX_IMAGE_PIXELS
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", guard)  # put back after the test, whatever the build did
    source, at = starter_with_images(tmp_path, ["photo.jpg"])
    (source / "images" / "photo.jpg").write_bytes(photo("JPEG")())
    build(source, tmp_path / "out")
    assert list((tmp_path / "cache" / "atlas").glob("basemap-*.webp"))  # cut here, not taken from a cache
    assert guard == Image.MAX_IMAGE_PIXELS
    (source / "images" / "photo.jpg").unlink()
    (source / "images" / "photo.png").write_bytes(png_declaring(100_000, 100_000))
    events = source / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("images/photo.jpg", "images/photo.png"),
                      encoding="utf-8")
    with pytest.raises(AtlasError) as refused:
        check(source)
    assert f"events.yaml:{at['photo.jpg']}: image 'images/photo.png' {TOO_LARGE}" in str(refused.value)
    assert "100000×100000" not in str(refused.value)  # what our own limit says, had Pillow's guard been off


SEEDS = sorted((ROOT / "fuzz" / "seeds-images").glob("*.bin"))
FOUND = sorted((SAMPLES / "fuzz-regressions" / "images").glob("*.bin"))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.stem)
def test_the_image_fuzzing_seeds_are_shown_or_refused_as_named(seed: Path) -> None:
    """Each seed of fuzz/fuzz_images.py: a small image of a format atlas reads is shown; one
    named `refused-…` is refused, with a located message (replay_images checks where)."""
    said = replay_images.replay(seed.read_bytes())
    if "refused" in seed.stem or ("avif" in seed.stem and not AVIF):
        assert len(said) == 1, said
    else:
        assert said == []


@pytest.mark.parametrize("case", FOUND, ids=lambda path: path.stem)
def test_an_image_fuzzing_find_stays_fixed(case: Path) -> None:
    replay_images.replay(case.read_bytes())
