"""The atlas in its own words: places, events, periods, and the atlas that holds them.

Records are frozen: each pipeline stage returns new values rather than editing old ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from atlas.errors import Origin
from atlas.source.dates import EdtfDate
from atlas.util.packed import Packed

# Ids become file names and URL fragments: lowercase letters, digits, single hyphens.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
# A link to media elsewhere: a web address with nothing that could end an HTML attribute.
MEDIA_URL = re.compile(r"^https?://[^\s<>\"'`]+\Z")


@dataclass(frozen=True, slots=True)
class Source(Packed):
    """A citation a reader can look up."""

    label: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Form(Packed):
    """How a name is written in one language or script (a BCP 47 tag, as Linked Places
    uses: `zh-Hans`, `zh-Latn-pinyin`, `zh-Latn-wadegile`, `ru`, `en`), and, for an exonym
    or a spelling that changed, the years it was in use ("Canton" in English until 1979)."""

    text: str
    lang: str
    when: EdtfDate | None = None


@dataclass(frozen=True, slots=True)
class Name(Packed):
    """One name of a place, in force during `when` (always, when None): a real renaming
    ends one name and begins the next. `forms` are how the name is written in languages
    and scripts; a new form of the same name is a spelling, never a renaming."""

    name: str
    lang: str | None
    when: EdtfDate | None
    forms: tuple[Form, ...] = ()


@dataclass(frozen=True, slots=True)
class Role(Packed):
    """What a place is for a time: the capital of a state, the seat of a colony's
    government, a leased port, a puppet state. `role: capital` draws the capital symbol
    while it is in force."""

    role: str
    of: str = ""  # the state or power it is that for ("the Republic of China")
    when: EdtfDate | None = None
    said: str = ""  # the role in words, where they are given (a translation's: "中华民国首都")

    def text(self) -> str:
        """"Capital of the Republic of China", "Leased territory", "Seat of the Nationalist
        government" (a seat of government of a government is said once)."""
        if self.said:
            return self.said
        role = "seat" if self.role.lower() == "seat of government" and "government" in self.of.lower() else self.role
        said = f"{role} of {self.of}" if self.of else role
        return said[:1].upper() + said[1:]


@dataclass(frozen=True, slots=True)
class TimedValue(Packed):
    """A value of a time-varying attribute, such as who controlled a railway."""

    value: str
    when: EdtfDate | None


@dataclass(frozen=True, slots=True)
class Point(Packed):
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Geocoded:
    """A place to be found by a geocoder; its answer is read from geocoded.json."""

    query: str
    country: str | None = None
    near: str | None = None

    def hints(self, kind: str) -> dict[str, str]:
        """What, beside the query, a geocoder is told: an answer is valid only for these."""
        given = {"country": self.country, "near": self.near, "kind": kind}
        return {key: value for key, value in given.items() if value}


@dataclass(frozen=True, slots=True)
class Via:
    """A line drawn through other places, in order (a railway through its stations), or
    through points of its own (a trade route's waypoints)."""

    stops: tuple[str | Point, ...]


@dataclass(frozen=True, slots=True)
class Polygon:
    """A region's outer ring, latitude first as written."""

    ring: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class GeoJsonFile:
    """A region whose geometry is in a GeoJSON file beside the sources."""

    path: Path
    written: str = ""  # as the sources name it, relative to the atlas folder (however the folder was typed)
    origin: Origin | None = None  # the line that names it


Shape = Point | Geocoded | Via | Polygon | GeoJsonFile


@dataclass(frozen=True, slots=True)
class Media(Packed):
    """An image, a link to one elsewhere, or a quotation, shown with an event or a place.

    Exactly one of `file` (an image in the atlas folder), `url` (an image or page
    elsewhere, linked, never fetched) and `quote` is given."""

    origin: Origin
    file: str = ""  # as written, relative to the atlas folder
    url: str = ""
    quote: str = ""
    alt: str = ""  # what the image shows, for who cannot see it (required for a file)
    caption: str = ""
    credit: str = ""  # who made it and its licence
    source: str = ""  # where a quotation comes from


@dataclass(frozen=True, slots=True)
class Route(Packed):
    """A movement drawn on the map, from its first stop to its last: each stop a place id
    or a point."""

    stops: tuple[str | Point, ...]
    label: str = ""
    origin: Origin | None = None  # the line that gives it
    when: EdtfDate | None = None  # drawn only on the periods it overlaps (else on all of the event's)

    def shown_in(self, period: EdtfDate | None) -> bool:
        return self.when is None or period is None or self.when.overlaps(period)


@dataclass(frozen=True, slots=True)
class Place(Packed):
    id: str
    name: str
    kind: str
    shape: Shape
    origin: Origin
    names: tuple[Name, ...] = ()
    when: EdtfDate | None = None
    control: tuple[TimedValue, ...] = ()
    description: str = ""
    sources: tuple[Source, ...] = ()
    media: tuple[Media, ...] = ()
    forms: tuple[Form, ...] = ()  # how `name` is written, for a place whose name never changed
    roles: tuple[Role, ...] = ()
    outline_of: str = ""  # another outline of this state or region (its id): one state, not two
    note: str = ""  # for the author and fact-checkers; never on a reader's page (see notes.py)
    # The dates the maps draw it (`mapped:`), an author's choice that states nothing about the
    # place: a battlefield is drawn from its battle's period on, not on the maps of the 1920s.
    mapped: EdtfDate | None = None

    @property
    def changes(self) -> bool:
        """Whether the place can look different from one date to the next."""
        return bool(self.names or self.control or self.when is not None or self.roles or self.forms
                    or self.mapped is not None)


@dataclass(frozen=True, slots=True)
class Event(Packed):
    id: str
    date: EdtfDate | None  # None: undated (listed as such, on no period's map; nothing is invented)
    title: str
    places: tuple[str, ...]
    origin: Origin
    summary: str = ""
    category: str = ""
    sources: tuple[Source, ...] = ()
    view: View | None = None  # where a presentation's slide shows it (else fitted to its places)
    media: tuple[Media, ...] = ()
    routes: tuple[Route, ...] = ()
    area: Polygon | GeoJsonFile | None = None  # a front, an occupied zone, a battlefield
    note: str = ""  # for the author and fact-checkers; never on a reader's page (see notes.py)


@dataclass(frozen=True, slots=True)
class View:
    lat: float
    lon: float
    zoom: int


@dataclass(frozen=True, slots=True)
class Period(Packed):
    id: str
    title: str
    when: EdtfDate
    origin: Origin
    summary: str = ""
    view: View | None = None
    map_date: str = ""  # "start", "end" or an EDTF day: the date the map names places at ("": the atlas's)
    note: str = ""  # for the author and fact-checkers; never on a reader's page (see notes.py)


@dataclass(frozen=True, slots=True)
class Declared:
    """An event category or a control value as atlas.yaml declares it: its label, and
    optionally its colour (otherwise a stable one from the default palette)."""

    value: str
    label: str
    colour: str | None = None


@dataclass(frozen=True, slots=True)
class Convention:
    """The atlas's own way of writing names from a date on: the forms a label takes, in
    order of preference, and what the atlas tells its readers of the change."""

    start: EdtfDate | None  # None: from the beginning
    forms: tuple[str, ...]
    note: str = ""
    told: bool = True  # whether the change panel says that the convention changed (see namefields.rule_in)


@dataclass(frozen=True, slots=True)
class NameRule:
    """atlas.yaml's `names:`: how a place's label is chosen at a date. A label takes the
    first form, in the order of the convention in force, that the place's name in force
    has then; else the name as written. With `modern`, the label is the place's latest
    name in those forms, with the form of the time in brackets where it differs:
    "Guangzhou (Canton)"."""

    conventions: tuple[Convention, ...] = ()
    modern: tuple[str, ...] = ()
    # Forms in a script used only from a date (simplified Chinese characters from 1956):
    # before it, such a form is not shown, however the form is dated.
    since: tuple[tuple[str, EdtfDate], ...] = ()
    map_date: str = "end"  # the date a period's map names places at: "start" or "end" of the period

    def forms_at(self, first_day: float) -> tuple[str, ...]:
        forms: tuple[str, ...] = ()
        for convention in self.conventions:
            if convention.start is None or convention.start.first <= first_day:
                forms = convention.forms
        return forms


@dataclass(frozen=True, slots=True)
class AtlasInfo:
    """What atlas.yaml says about the whole atlas."""

    title: str
    subtitle: str = ""
    language: str = "en"  # the language of the pages being made (the main one, or one of `languages`)
    languages: tuple[str, ...] = ()  # every language the atlas is written in, its main language first
    credits: str = ""
    view: View | None = None
    lesson_html: bool = False  # lessons may contain raw HTML (off: it is shown as text)
    # The atlas's own templates run outside Jinja's sandbox: the builder's choice (atlas build
    # --trust-templates), set by build(), never by atlas.yaml.
    templates_trusted: bool = False
    base_url: str = ""  # the atlas's public address, ending in "/": for embed codes and links
    # "offline" (Natural Earth relief, no network) and/or label-free tile providers by
    # their xyzservices name; with both, the offline layer shows wherever tiles fail.
    basemaps: tuple[str, ...] = ("offline",)
    # atlas.yaml's `categories` and `controls`: once declared, no other value is allowed.
    categories: tuple[Declared, ...] = ()
    controls: tuple[Declared, ...] = ()
    remote_media: bool = False  # media may link images elsewhere (`media: {remote: true}`)
    # The author's notes on a page of their own, notes.html (`notes: {teacher_page: true}`):
    # for a teacher preparing a lesson, linked from the index's footer; no other page shows a note.
    teacher_notes: bool = False
    names: NameRule = field(default_factory=NameRule)

    @property
    def main_language(self) -> str:
        return self.languages[0] if self.languages else self.language

    @property
    def others(self) -> tuple[str, ...]:
        """The atlas's languages besides the main one: each has a site of its own, `<lang>/`."""
        return self.languages[1:]


@dataclass(frozen=True, slots=True)
class MapEmbed:
    """A lesson's map: a period's embed page, optionally marking one of its events, fitted
    to that event and to the places its questions ask about (`places`), which it names first."""

    period: str
    event: str | None
    height: int
    origin: Origin
    places: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Lesson:
    """A Markdown page that embeds maps; `parts` alternate Markdown text and maps."""

    id: str
    title: str
    origin: Origin
    parts: tuple[str | MapEmbed, ...]


@dataclass(frozen=True, slots=True)
class Atlas:
    """A validated atlas: every reference resolves and every date parses."""

    info: AtlasInfo
    places: tuple[Place, ...]
    events: tuple[Event, ...]
    periods: tuple[Period, ...]
    source_dir: Path
    lessons: tuple[Lesson, ...] = ()
    place_by_id: dict[str, Place] = field(default_factory=dict, compare=False)
    # The places with dated names, control or existence: the only ones that look different
    # from one period to the next.
    changing_places: list[Place] = field(default_factory=list, compare=False)

    def __post_init__(self) -> None:
        self.place_by_id.update((place.id, place) for place in self.places)
        self.changing_places.extend(p for p in self.places if p.changes)
