"""Stage: source.

Categories and control values declared in atlas.yaml, their colours and labels, and the
changes each period's page lists since the one before."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from atlas.building.pipeline import check
from atlas.site.changes import changes_in
from atlas.site.legend import CONTROL_COLOURS, EVENT_COLOURS, palette_for, stable_index
from atlas.site.views import period_views
from atlas.source.declared import one_typo_apart
from atlas.source.model import Atlas

from conftest import ROOT, SAMPLES, run_atlas

DECLARED = """\
categories:
  war: {label: War, colour: "#D55E00"}
  diplomacy: {label: Diplomacy}
controls:
  Japanese: {label: Japanese control, colour: "#882255"}
  Sino-Soviet: {label: Sino-Soviet}
"""


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return shutil.copytree(SAMPLES / "good", tmp_path / "src")


def declare(source: Path, text: str = DECLARED) -> None:
    with (source / "atlas.yaml").open("a", encoding="utf-8") as file:
        file.write(text)


def test_an_undeclared_category_is_an_error_with_its_line_and_a_suggestion(source: Path, tmp_path: Path) -> None:
    declare(source)
    events = source / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("category: war", "category: wra", 1), encoding="utf-8")
    result = run_atlas("check", "src", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("src/events.yaml:5: event category 'wra' is not declared in atlas.yaml's categories "
                             "(did you mean 'war'?)\n")


def test_an_undeclared_control_value_is_an_error(source: Path, tmp_path: Path) -> None:
    declare(source)
    places = source / "places.yaml"
    text = places.read_text(encoding="utf-8")
    assert "value: Japanese" in text
    places.write_text(text.replace("value: Japanese", "value: Japnese", 1), encoding="utf-8")
    result = run_atlas("check", "src", cwd=tmp_path)
    assert result.returncode == 2
    line = next(number for number, row in enumerate(places.read_text(encoding="utf-8").splitlines(), 1) if "Japnese" in row)
    assert result.stderr == (f"src/places.yaml:{line}: control value 'Japnese' is not declared in atlas.yaml's "
                             "controls (did you mean 'Japanese'?)\n")


def test_a_bad_colour_is_an_error(source: Path, tmp_path: Path) -> None:
    declare(source, 'categories:\n  war: {label: War, colour: "red; background: url(x)"}\n')
    result = run_atlas("check", "src", cwd=tmp_path)
    assert result.returncode == 2
    assert "colour 'red; background: url(x)' should be a hex colour" in result.stderr


def test_without_declarations_a_lone_near_typo_is_a_warning(source: Path, tmp_path: Path) -> None:
    events = source / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8") + """\
- id: third
  date: 1932
  title: Third
  places: [mukden]
  category: wra
  sources: [{label: "Britannica"}]
""", encoding="utf-8")
    result = run_atlas("check", "src", cwd=tmp_path)
    assert result.returncode == 0
    assert re.search(r"src/events\.yaml:\d+: warning: category 'wra' is used once; did you mean 'war'\?", result.stderr)
    assert run_atlas("check", "src", "--strict", cwd=tmp_path).returncode == 2


@pytest.mark.parametrize(("a", "b", "close"), [
    ("politcs", "politics", True), ("war", "wra", True), ("war", "wars", True), ("war", "wax", True), ("war", "law", False),
    ("war", "peace", False), ("party", "parts", True), ("economy", "economy", False), ("ab", "ba", True), ("abc", "cab", False)])
def test_one_typo_apart(a: str, b: str, close: bool) -> None:
    assert one_typo_apart(a, b) is close


def load(folder: Path) -> Atlas:
    return check(folder)[0]


def test_colours_stay_put_when_values_are_added(source: Path) -> None:
    before = palette_for(load(source))
    events = source / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("category: war", "category: aardvark", 1)
                      + events.read_text(encoding="utf-8").replace("id: ", "id: more-").replace("war", "war"),
                      encoding="utf-8")
    after = palette_for(load(source))
    assert after.category("war").colour == before.category("war").colour
    assert set(after.categories) == {"war", "aardvark"}
    assert EVENT_COLOURS[stable_index("war") % len(EVENT_COLOURS)] == before.category("war").colour


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_default_colour_passes_wcag_aa_for_graphics_and_no_colour_means_two_things() -> None:
    atlas = load(ROOT / "places")
    palette = palette_for(atlas)
    events = {symbol.colour.upper() for symbol in palette.categories.values()}
    controls = {symbol.colour.upper() for symbol in palette.controls.values()}
    for colour in [*EVENT_COLOURS, *CONTROL_COLOURS, *events, *controls]:
        assert contrast(colour, "#ffffff") >= 3.0, colour  # WCAG 1.4.11: 3:1 against the white ring or paper
    assert not events & controls
    assert len(events) == len(palette.categories) and len(controls) == len(palette.controls)
    # The default atlas declares every category and control value it uses, with a label.
    assert {e.category for e in atlas.events} == {d.value for d in atlas.info.categories}
    assert {c.value for p in atlas.places for c in p.control} == {d.value for d in atlas.info.controls}
    assert palette.category("military-cooperation").label == "Military cooperation"


def test_the_legend_speaks_in_labels(default_site: Path) -> None:
    page = (default_site / "periods" / "war-against-japan.html").read_text(encoding="utf-8")
    legend = page[page.index('<div class="legend">'):page.index("</div>", page.index('<div class="legend">'))]
    texts = [re.sub(r"\s+", " ", t).strip() for t in re.findall(r"</svg>([^<]*)</li>", legend)]
    assert "Railway control: Japanese" in texts and "Military cooperation" in texts
    assert "Area under Japanese control" in texts and "State" in texts and "Capital" in texts
    assert not any("-" in t and " " not in t for t in texts)  # no ids such as military-cooperation
    assert "(line)" not in legend and "(area)" not in legend


def test_the_changes_since_the_previous_period(default_site: Path) -> None:
    atlas, _geometry = check(ROOT / "places")
    periods = {view.period.id: view for view in period_views(atlas)}
    found = changes_in(atlas, periods["war-against-japan"], periods["soviet-invasion-and-civil-war"],
                       palette_for(atlas))
    texts = {c.text: c for c in found}
    assert texts["Hsinking → Changchun"].date == "August 1945" and texts["Hsinking → Changchun"].kind == "renamed"
    ended = [c for c in found if c.kind == "ended" and c.place == "manchukuo"]
    assert ended and ended[0].date == "18 August 1945"
    assert any(c.kind == "control" and c.place == "chinese-eastern-railway" and "Japanese → Sino-Soviet" in c.text
               for c in found), texts
    page = (default_site / "periods" / "soviet-invasion-and-civil-war.html").read_text(encoding="utf-8")
    assert "Changes since War against Japan" in page
    assert '<button type="button" data-feature="changchun">Hsinking → Changchun</button> ' \
           '<span class="change-date">August 1945</span>' in page
    # Manchukuo is not on this map (its day is 30 September 1949): the entry names it without a link to it.
    assert "<span>Manchukuo (Empire of Manchuria) ended</span> <span class=\"change-date\">18 August 1945</span>" in page
    # Each change is listed once: Manchukuo's end is not repeated on the next period's page.
    later = changes_in(atlas, periods["soviet-invasion-and-civil-war"], periods["sino-soviet-alliance"],
                       palette_for(atlas))
    assert not [c for c in later if c.place == "manchukuo"]
    first = (default_site / "periods" / f"{atlas.periods[0].id}.html").read_text(encoding="utf-8")
    assert "Changes since" not in first and "Changes during the period" in first
