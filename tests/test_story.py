"""Stages: source, site.

Media, routes and areas on events, checked and built with the real command: images
resized into media/ with content-hashed names and a srcset, their metadata gone, inline
in a single file; a missing file or alt, a remote image not allowed, an SVG, a non-image,
a bomb, a bad route or area each a `path:line` error with exit status 2."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from conftest import page_data, run_atlas

PLACES = """\
- {id: paris, name: Paris, kind: city, coordinates: [48.8566, 2.3522]}
- {id: versailles, name: Versailles, kind: city, coordinates: [48.8049, 2.1204]}
- id: silk-road
  name: A trade road
  kind: route
  via: [paris, [48.9, 2.6], [49.0, 3.0]]
"""
EVENT = """\
- id: march
  date: 1789-10-05
  title: March on Versailles
  places: [paris]
  sources: [{label: Britannica}]
"""


def write_atlas(folder: Path, event_extra: str = "", settings: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "atlas.yaml").write_text(f"title: Story\n{settings}", encoding="utf-8")
    (folder / "places.yaml").write_text(PLACES, encoding="utf-8")
    (folder / "periods.yaml").write_text("- {id: y1789, title: '1789', when: '1789'}\n", encoding="utf-8")
    (folder / "events.yaml").write_text(EVENT + event_extra, encoding="utf-8")
    return folder


def photo(path: Path, size: tuple[int, int] = (1800, 1200), exif: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, (180, 140, 90))
    for x in range(0, size[0], 50):  # something to compress
        image.paste((40, 30, 20), (x, 0, x + 10, size[1]))
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCamera"  # Make
        data[0x8825] = {2: (48.0, 51.0, 0.0)}  # GPS latitude: where the photo was taken
        image.save(path, exif=data.tobytes())  # as its name says: JPEG, or PNG
    else:
        image.save(path)
    return path


IMAGE = """\
  media:
    - file: images/march.jpg
      alt: "Women marching with pikes"
      caption: "The march <b>reaches</b> Versailles"
      credit: "Anonymous print, 1789; public domain"
    - {quote: "Du pain!", source: "the marchers"}
"""


def test_an_image_is_resized_named_by_content_and_stripped(tmp_path: Path) -> None:
    source = write_atlas(tmp_path / "src", IMAGE)
    photo(source / "images" / "march.jpg", exif=True)
    out = tmp_path / "out"
    result = run_atlas("build", source, "-o", out)
    assert result.returncode == 0, result.stderr
    made = sorted(path.name for path in (out / "media").iterdir())
    assert [re.sub(r"\.[0-9a-f]{10}-", ".HASH-", name) for name in made] == [
        "march.HASH-1600.webp", "march.HASH-480.webp", "march.HASH-960.webp"]
    for name in made:
        with Image.open(out / "media" / name) as image:
            assert image.format == "WEBP"
            assert image.width == int(name.rsplit("-", 1)[1].split(".")[0])
            assert not image.getexif()  # no camera, no GPS position
        assert b"SecretCamera" not in (out / "media" / name).read_bytes()
    html = (out / "periods" / "y1789.html").read_text(encoding="utf-8")
    assert 'alt="Women marching with pikes"' in html
    assert re.search(r'srcset="\.\./media/march\.[0-9a-f]{10}-480\.webp 480w, \.\./media/march\.[0-9a-f]{10}-960\.webp '
                     r'960w, \.\./media/march\.[0-9a-f]{10}-1600\.webp 1600w"', html)
    assert "The march &lt;b&gt;reaches&lt;/b&gt; Versailles" in html and "<b>reaches" not in html
    assert "<blockquote><p>Du pain!</p></blockquote>" in html
    media = next(f for f in page_data(html)["layers"][-1]["features"] if f["id"] == "march")["properties"]["media"]
    assert media[0]["alt"] == "Women marching with pikes" and media[0]["src"].startswith("../media/march.")
    assert media[1] == {"kind": "quote", "quote": "Du pain!", "source": "the marchers", "caption": ""}


def test_a_small_image_is_never_enlarged(tmp_path: Path) -> None:
    source = write_atlas(tmp_path / "src", IMAGE)
    photo(source / "images" / "march.jpg", size=(300, 200))
    out = tmp_path / "out"
    assert run_atlas("build", source, "-o", out).returncode == 0
    assert [name.rsplit("-", 1)[1] for name in sorted(p.name for p in (out / "media").iterdir())] == ["300.webp"]


def test_a_changed_image_gets_a_new_name(tmp_path: Path) -> None:
    source = write_atlas(tmp_path / "src", IMAGE)
    photo(source / "images" / "march.jpg")
    out = tmp_path / "out"
    assert run_atlas("build", source, "-o", out).returncode == 0
    before = {p.name for p in (out / "media").iterdir()}
    photo(source / "images" / "march.jpg", size=(1700, 1100))  # the same name, other content
    assert run_atlas("build", source, "-o", out).returncode == 0
    after = {p.name for p in (out / "media").iterdir()}
    assert before.isdisjoint(after)
    html = (out / "periods" / "y1789.html").read_text(encoding="utf-8")
    assert all(name in html for name in after)


def test_a_single_file_carries_its_images_inline(tmp_path: Path) -> None:
    source = write_atlas(tmp_path / "src", IMAGE)
    photo(source / "images" / "march.jpg")
    out = tmp_path / "out"
    assert run_atlas("build", source, "-o", out, "--single-file").returncode == 0
    assert not (out / "media").exists()
    html = (out / "periods" / "y1789.html").read_text(encoding="utf-8")
    found = re.search(r'<img src="data:image/webp;base64,([A-Za-z0-9+/=]+)"', html)
    assert found and "srcset" not in html.split(found.group(0))[1].split(">")[0]
    import base64

    with Image.open(io.BytesIO(base64.b64decode(found.group(1)))) as image:
        assert image.width == 960
    assert html.count(found.group(1)) == 1  # once, in the list: its popup takes it from there
    embed = (out / "embed" / "y1789.html").read_text(encoding="utf-8")
    assert embed.count(found.group(1)) == 1  # a map alone has no list: its popup carries it


@pytest.mark.parametrize(("extra", "settings", "expected"), [
    ("  media:\n    - {file: images/none.jpg, alt: A}\n", "",
     "events.yaml:7: image file 'images/none.jpg' not found in the atlas folder"),
    ("  media:\n    - {file: images/march.jpg, credit: C}\n", "",
     "events.yaml:7: image 'images/march.jpg' needs `alt`"),
    ("  media:\n    - {file: images/logo.svg, alt: A}\n", "",
     "events.yaml:7: image file 'images/logo.svg' should be a JPEG, PNG, GIF, WebP or AVIF image"),
    ("  media:\n    - {file: ../outside.jpg, alt: A}\n", "",
     "events.yaml:7: image file '../outside.jpg' lies outside the atlas folder"),
    ("  media:\n    - {url: 'https://example.org/a.jpg', alt: A}\n", "",
     "events.yaml:7: media from other sites is off in this atlas"),
    ("  media:\n    - {url: 'javascript:alert(1)', alt: A}\n", "media: {remote: true}\n",
     "events.yaml:7: media url 'javascript:alert(1)' cannot be linked: it should start with http:// or https://"),
    ("  media:\n    - {alt: A}\n", "", "events.yaml:7: a media item needs exactly one of file"),
    ("  media:\n    - {file: images/fake.jpg, alt: A}\n", "",
     "events.yaml:7: 'images/fake.jpg' is not an image atlas can read"),
    ("  media:\n    - {file: images/huge.png, alt: A}\n", "",
     "events.yaml:7: image 'images/huge.png' has more than the 50 million pixels"),
    ("  route: [paris]\n", "", "events.yaml:6: a route should be a list of at least two stops"),
    ("  route: [paris, nowhere]\n", "", "events.yaml:6: a route of event 'march' goes through unknown place 'nowhere'"),
    ("  route: [paris, [91, 2]]\n", "", "events.yaml:6: latitude 91 is out of range"),
    ("  route: [paris, versailles]\n  routes: [[paris, versailles]]\n", "",
     "an event has `route` (one line) or `routes` (several), not both"),
    ("  area: shapes/none.geojson\n", "", "events.yaml:6: GeoJSON file 'shapes/none.geojson' not found"),
    ("  area: 5\n", "", "events.yaml:6: an area should be a polygon"),
    ("  media: images/march.jpg\n", "", "events.yaml:6: 'media' should be a list"),
    ("  area: shapes/line.geojson\n", "", "events.yaml:6: the area of event 'march' should be a Polygon"),
])
def test_mistakes_in_media_routes_and_areas_name_their_line(tmp_path: Path, extra: str, settings: str,
                                                            expected: str) -> None:
    source = write_atlas(tmp_path / "src", extra, settings)
    photo(source / "images" / "march.jpg")
    (source / "images" / "logo.svg").write_text("<svg onload='alert(1)'/>", encoding="utf-8")
    (source / "images" / "fake.jpg").write_text("not an image", encoding="utf-8")
    Image.new("1", (20000, 20000)).save(source / "images" / "huge.png")  # 50 kB on disk, 400 megapixels
    (tmp_path / "outside.jpg").write_bytes((source / "images" / "march.jpg").read_bytes())
    (source / "shapes").mkdir()
    (source / "shapes" / "line.geojson").write_text('{"type": "LineString", "coordinates": [[2, 48], [3, 49]]}',
                                                    encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("the previous build", encoding="utf-8")
    result = run_atlas("build", source, "-o", out)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "keep.txt").read_text(encoding="utf-8") == "the previous build"  # nothing lost
    assert run_atlas("check", source).returncode == 2


def test_remote_media_when_allowed_is_linked_never_fetched(tmp_path: Path) -> None:
    extra = "  media:\n    - {url: 'https://example.org/march.jpg', caption: The march, credit: Museum}\n"
    source = write_atlas(tmp_path / "src", extra, "media: {remote: true}\n")
    out = tmp_path / "out"
    result = run_atlas("build", source, "-o", out)
    assert result.returncode == 0, result.stderr
    html = (out / "periods" / "y1789.html").read_text(encoding="utf-8")
    assert '<a href="https://example.org/march.jpg" rel="noopener noreferrer">The march (elsewhere on the web)</a>' in html
    assert '<img src="https://example.org' not in html


def test_routes_areas_and_route_places_are_drawn_data(tmp_path: Path) -> None:
    extra = ("  routes:\n    - {label: There, via: [paris, [48.83, 2.25], versailles]}\n    - [versailles, paris]\n"
             "  area: [[48.86, 2.36], [48.85, 2.375], [48.845, 2.36]]\n")
    source = write_atlas(tmp_path / "src", extra)
    out = tmp_path / "out"
    result = run_atlas("build", source, "-o", out, "--strict")
    assert result.returncode == 0, result.stderr
    html = (out / "periods" / "y1789.html").read_text(encoding="utf-8")
    feature = next(f for f in page_data(html)["layers"][-1]["features"] if f["id"] == "march")
    routes = feature["properties"]["routes"]
    assert routes[0] == {"label": "There", "geometry": {"type": "LineString",
                                                        "coordinates": [[2.3522, 48.8566], [2.25, 48.83], [2.1204, 48.8049]]}}
    assert routes[1]["geometry"]["coordinates"] == [[2.1204, 48.8049], [2.3522, 48.8566]]
    assert feature["properties"]["area"]["coordinates"][0][0] == feature["properties"]["area"]["coordinates"][0][-1]
    assert "Routes: There" in html
    assert "Movement (the arrow shows its direction)" in html and "Area of an event" in html  # the legend
    assert ">Route</li>" in html.replace("\n", "").replace("  ", "") or "Route</li>" in html  # the trade road's kind


def test_an_event_drawn_only_by_its_route_is_not_warned_of(tmp_path: Path) -> None:
    source = write_atlas(tmp_path / "src")
    (source / "events.yaml").write_text(EVENT.replace("  places: [paris]\n", "  route: [paris, versailles]\n"),
                                        encoding="utf-8")
    result = run_atlas("check", source, "--strict")
    assert result.returncode == 0, result.stderr


def test_awkward_images_come_out_right(tmp_path: Path) -> None:
    """A tall scan, a 16-bit greyscale scan, a transparent RGB PNG and an image used twice."""
    extra = ("  media:\n    - {file: images/tall.png, alt: A tall scroll, credit: C}\n"
             "    - {file: images/grey16.png, alt: A grey scan, credit: C}\n"
             "    - {file: images/clear.png, alt: A transparent logo, credit: C}\n"
             "- id: again\n  date: 1789-11\n  title: Again\n  places: [paris]\n  sources: [{label: S}]\n"
             "  media: [{file: images/tall.png, alt: The same scroll, credit: C}]\n")
    source = write_atlas(tmp_path / "src", extra)
    (source / "images").mkdir()
    Image.new("RGB", (1000, 20000), (200, 100, 50)).save(source / "images" / "tall.png")
    Image.new("I;16", (600, 400), 30000).save(source / "images" / "grey16.png")
    clear = Image.new("RGB", (600, 400), (0, 0, 0))
    clear.paste((255, 255, 255), (0, 0, 300, 400))
    clear.info["transparency"] = (0, 0, 0)
    clear.save(source / "images" / "clear.png", transparency=(0, 0, 0))
    out = tmp_path / "out"
    result = run_atlas("build", source, "-o", out)
    assert result.returncode == 0, result.stderr
    made = {path.name: path for path in (out / "media").iterdir()}
    tall = [name for name in made if name.startswith("tall.")]
    assert len(tall) == 1  # 4,000 pixels high at most: 200 wide, written once for both events
    with Image.open(made[tall[0]]) as image:
        assert image.size == (200, 4000)
    grey = next(path for name, path in made.items() if name.startswith("grey16."))
    with Image.open(grey) as image:
        level = image.convert("L").getpixel((10, 10))
        assert isinstance(level, int) and 110 <= level <= 125  # 30000 of 65535, not clipped to white
    logo = next(path for name, path in made.items() if name.startswith("clear."))
    with Image.open(logo) as image:
        clear_pixel, white_pixel = image.getpixel((500, 10)), image.getpixel((10, 10))
        assert isinstance(clear_pixel, tuple) and isinstance(white_pixel, tuple)
        assert image.mode == "RGBA" and clear_pixel[3] == 0 and white_pixel[3] == 255


def test_a_damaged_image_fails_check_not_only_build(tmp_path: Path) -> None:
    source = write_atlas(tmp_path / "src", IMAGE)
    photo(source / "images" / "march.jpg")
    whole = (source / "images" / "march.jpg").read_bytes()
    (source / "images" / "march.jpg").write_bytes(whole[:len(whole) // 3])  # cut off in transit
    result = run_atlas("check", source)
    assert result.returncode == 2 and "events.yaml:7: image 'images/march.jpg' is damaged" in result.stderr, result.stderr


def test_the_index_shows_events_drawn_by_their_area_alone(tmp_path: Path) -> None:
    (tmp_path / "src" / "shapes").mkdir(parents=True)
    (tmp_path / "src" / "shapes" / "zone.geojson").write_text(
        '{"type": "Polygon", "coordinates": [[[2, 48], [3, 48], [3, 49], [2, 48]]]}', encoding="utf-8")
    source = write_atlas(tmp_path / "src", "- id: zone\n  date: 1789-12\n  title: A zone\n  area: shapes/zone.geojson\n"
                                           "  sources: [{label: S}]\n")
    out = tmp_path / "out"
    assert run_atlas("build", source, "-o", out, "--strict").returncode == 0
    index = page_data((out / "index.html").read_text(encoding="utf-8"))
    zone = next(f for f in index["layers"][-1]["features"] if f["id"] == "zone")
    assert zone["properties"]["area"]["type"] == "Polygon"


def test_editing_an_event_with_an_image_or_area_builds_incrementally_and_exactly(tmp_path: Path) -> None:
    """However the folder is typed: the area file is known by its name in the sources."""
    from conftest import tree_digest

    (tmp_path / "src" / "shapes").mkdir(parents=True)
    (tmp_path / "src" / "shapes" / "zone.geojson").write_text(
        '{"type": "Polygon", "coordinates": [[[2, 48], [3, 48], [3, 49], [2, 48]]]}', encoding="utf-8")
    source = write_atlas(tmp_path / "src", IMAGE + "  area: shapes/zone.geojson\n"
                         "- id: other\n  date: 1789-11\n  title: Other\n  places: [paris]\n  sources: [{label: S}]\n")
    photo(source / "images" / "march.jpg")
    out = tmp_path / "out"
    assert run_atlas("build", "src", "-o", "out", cwd=tmp_path).returncode == 0
    events = source / "events.yaml"
    for old, new in (("title: Other", "title: Another"), ("title: March on Versailles", "title: The march")):
        events.write_text(events.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        result = run_atlas("build", source, "-o", "out", cwd=tmp_path)  # the folder typed another way
        assert result.returncode == 0 and "(incremental" in result.stdout, result.stdout + result.stderr
    full = tmp_path / "full"
    assert run_atlas("build", source, "-o", full).returncode == 0
    assert tree_digest(out) == tree_digest(full)
    assert '"area"' in (out / "periods" / "y1789.html").read_text(encoding="utf-8")


def test_a_dated_route_is_drawn_only_on_the_periods_it_overlaps(tmp_path: Path) -> None:
    extra = ("  date: 1789-10-05/1790-07\n  routes:\n"
             "    - {label: Out, via: [paris, versailles], when: 1789-10-05}\n"
             "    - {label: A year on, via: [versailles, paris], when: 1790-07}\n")
    source = write_atlas(tmp_path / "src")
    (source / "events.yaml").write_text(EVENT.replace("  date: 1789-10-05\n", extra), encoding="utf-8")
    (source / "periods.yaml").write_text("- {id: y1789, title: '1789', when: '1789'}\n"
                                         "- {id: y1790, title: '1790', when: '1790'}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_atlas("build", source, "-o", out, "--strict").returncode == 0
    for period, label in (("y1789", "Out"), ("y1790", "A year on")):
        html = (out / "periods" / f"{period}.html").read_text(encoding="utf-8")
        feature = next(f for f in page_data(html)["layers"][-1]["features"] if f["id"] == "march")
        assert [route["label"] for route in feature["properties"]["routes"]] == [label]
        assert f"Routes: {label}</p>" in html
