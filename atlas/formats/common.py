"""What every format shares: a draft of the atlas an import makes (source records, as
an author would write them), ids, plain text from HTML, and EDTF dates from parts."""

from __future__ import annotations

import csv
import html
import html.parser
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, ClassVar

from atlas.errors import AtlasError, printable
from atlas.source.dates import DateError, parse
from atlas.source.model import MEDIA_URL
from atlas.source.sanitize import parse_whole

Record = dict[str, Any]


class Unusable(AtlasError):
    """A file an import cannot read: where (a JSON pointer or a row) and why."""

    def __init__(self, shown: str, where: str, message: str) -> None:
        super().__init__(printable(f"{shown}:{where}: {message}"))


@dataclass
class Draft:
    """What an import brings: source records in our format, and what it left out and why."""

    title: str = ""
    subtitle: str = ""
    places: list[Record] = field(default_factory=list)
    events: list[Record] = field(default_factory=list)
    periods: list[Record] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # each: what was left out or changed, and why
    files: dict[str, str] = field(default_factory=dict)  # other files of the atlas folder (GeoJSON shapes)
    unplaced: list[Record] = field(default_factory=list)  # places without a usable geometry (for --geocode)
    settings: Record = field(default_factory=dict)  # atlas.yaml's fields, for a new atlas (our GeoJSON holds them)
    geocoded: dict[str, Record] = field(default_factory=dict)  # geocoded.json's answers, by place id
    categories: dict[str, str] = field(default_factory=dict)  # each category the events name → its label


@dataclass
class Exported:
    """An export: its text, and what the format could not hold."""

    text: str
    notes: list[str] = field(default_factory=list)


def slug(text: str, fallback: str = "item") -> str:
    """A lowercase slug of letters, digits and single hyphens (accents dropped)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    made = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return made[:60].strip("-") or fallback


class Ids:
    """Ids made unique across an atlas (places, events and periods share one space). An id
    the file gives that is taken already is a clash (reported, never renamed); an id made
    from a title gets a number instead."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken = set(taken or ())
        self.clashes: set[str] = set()
        # For each name, the number its next id tries: a thousand events of one title are
        # numbered in a thousand steps, not half a million.
        self.numbered: dict[str, int] = {}
        self.tried = 0  # ids looked up in `taken` while numbering (at most two an id, and one a taken id)
        # The dates (EDTF) of the periods of the atlas imported into, when it has any: an
        # event inside one of them is on a page already.
        self.periods: list[str] = []

    def make(self, preferred: str | None, title: str, fallback: str) -> str:
        given = slug(preferred, "") if preferred else ""
        if given:
            if given in self.taken:
                self.clashes.add(given)
            self.taken.add(given)
            return given
        base = slug(title, fallback)
        made, n = base, self.numbered.get(base, 2)
        self.tried += 1
        while made in self.taken:
            made, n = f"{base}-{n}", n + 1
            self.tried += 1
        self.numbered[base] = n
        self.taken.add(made)
        return made


class _Text(html.parser.HTMLParser):
    BREAKS: ClassVar[set[str]] = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(markup: str | None) -> str:
    """HTML as plain text: tags removed, entities decoded (once: `&amp;lt;` is the text
    `&lt;`), paragraphs kept (a blank line between)."""
    if not markup:
        return ""
    reader = _Text()
    parse_whole(reader, str(markup))
    text = "".join(reader.parts)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def shown_text(markup: str | None) -> str:
    """The text of a field TimelineJS strips of markup and then puts on its page as HTML
    (a slide's `group` and `display_date`): decoded as TimelineJS does, twice."""
    return plain_text(plain_text(markup))


def html_text(text: str) -> str:
    """Plain text as HTML that shows exactly it: escaped, a line break a `<br>`. Quotes are
    escaped too: TimelineJS's autolink copies text into single-quoted attributes."""
    return html.escape(text, quote=True).replace("\n", "<br>")


def html_paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs, one `<p>` for each run of lines between blank lines
    (TimelineJS and StoryMapJS wrap a text without paragraphs in one)."""
    paragraphs = [part.strip("\n") for part in re.split(r"\n[ \t]*\n", text)]
    return "".join(f"<p>{html_text(part)}</p>" for part in paragraphs if part.strip())


def html_twice(text: str) -> str:
    """Plain text for a field TimelineJS strips of markup and then puts on its page as HTML
    (`group`, `display_date`): escaped twice, so that what the stripping leaves is the text
    escaped once, which its page shows as written."""
    return html_text(html_text(text))


def year_text(year: int) -> str:
    """A year as EDTF writes it: four digits (BCE with a minus), longer years with Y."""
    if -9999 <= year <= 9999:
        return f"-{-year:04d}" if year < 0 else f"{year:04d}"
    return f"Y{year}"


def edtf(year: int, month: int | None = None, day: int | None = None) -> str:
    """An EDTF day, month or year from its parts (a month or day without the part above it is dropped)."""
    text = year_text(year)
    if month:
        text += f"-{month:02d}"
        if day:
            text += f"-{day:02d}"
    return text


def checked_date(text: str) -> str | None:
    """`text` if it is an EDTF date atlas reads, else None."""
    try:
        parse(text)
    except DateError:
        return None
    return text


def number(value: Any) -> int | None:
    """An integer from a JSON number or a spreadsheet cell ("1945", "1945.0", " -43 ")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    found = re.fullmatch(r"\s*(-?\d{1,18})(\.0+)?\s*", value) if isinstance(value, str) else None
    return int(found[1]) if found else None  # (more digits are no year, month or zoom)


def short(value: Any) -> str:
    """A value as a message shows it: its repr, cut short (a 400-digit number is not repeated)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def csv_rows(text: str, shown: str, delimiter: str = ",") -> list[dict[str, Any]]:
    """A spreadsheet's rows, each by its header's names (a byte-order mark dropped)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as err:  # a cell over the csv module's limit (128 KB), a stray quote in strict mode
        raise Unusable(shown, f"row {reader.line_num + 1}", f"cannot be read as a spreadsheet: {err}") from err


def load_json(text: str, shown: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise Unusable(shown, str(err.lineno), f"not JSON: {err.msg} (column {err.colno})") from err
    except ValueError as err:  # an integer of more digits than Python reads
        raise Unusable(shown, "1", "a number in it has too many digits") from err


def obj(value: Any) -> dict[str, Any]:
    """A JSON object, or an empty one for anything else (a missing or mistyped member)."""
    return value if isinstance(value, dict) else {}


def source(label: str, url: Any = None) -> Record:
    """A source as the atlas cites it: its address kept only if the atlas takes it (a web
    address, http or https); any other is kept in the label, as text."""
    if isinstance(url, str) and re.fullmatch(r"https?://\S+", url):
        return {"label": label, "url": url}
    return {"label": f"{label} ({url})"} if url else {"label": label}


def media_in(value: Any) -> Record | None:
    """A TimelineJS or StoryMapJS media object as an atlas media item: a quotation (a
    `<blockquote>` given as its url), or a link to the image or page elsewhere (which the
    atlas shows as a link, never fetching it)."""
    media = obj(value)
    url = str(media.get("url") or "").strip()
    credit, caption = plain_text(media.get("credit")), plain_text(media.get("caption"))
    if url.lower().startswith("<blockquote"):
        item: Record = {"quote": plain_text(url)}
        if credit:
            item["source"] = credit
    elif MEDIA_URL.match(url):
        item = {"url": url}
        if credit:
            item["credit"] = credit
        alt = plain_text(media.get("alt"))
        if alt:
            item["alt"] = alt
    else:
        return None
    if caption:
        item["caption"] = caption
    return item


def media_out(items: Any) -> tuple[Record | None, int]:
    """An event's first quotation or link, as a TimelineJS or StoryMapJS media object (its
    quotation, credit and caption are HTML in both), and
    how many of its media it leaves out (the others, and images in the atlas folder, which
    have no web address until the atlas is published)."""
    chosen: Record | None = None
    for item in items:
        if chosen is not None or item.file:
            continue
        if item.quote:
            chosen = {"url": f"<blockquote>{html_text(item.quote)}</blockquote>"}
            if item.source:
                chosen["credit"] = html_text(item.source)
        else:
            chosen = {"url": item.url, **({"credit": html_text(item.credit)} if item.credit else {})}
        if item.caption:
            chosen["caption"] = html_text(item.caption)
    return chosen, len(items) - (chosen is not None)


def remote_media(events: list[Record]) -> int:
    """How many imported events link media elsewhere (the atlas must allow it)."""
    return sum(1 for event in events if any("url" in item for item in event.get("media", [])))


def story_left_out(events: Any, why: str, media: bool = True) -> list[str]:
    """What an export leaves out of the events' stories: their media, routes and areas."""
    counts = {"media": sum(1 for e in events if e.media) if media else 0,
              "routes": sum(1 for e in events if e.routes), "areas": sum(1 for e in events if e.area is not None)}
    return [f"{count} events' {what} left out: {why}" for what, count in counts.items() if count]


def notes_left_out(records: Any, kind: str) -> list[str]:
    """The author's notes an export for readers leaves out: a note is never shown to them."""
    count = sum(1 for record in records if record.note.strip())
    return [f"{count} {kind}' notes left out: notes are for the author, not for readers"] if count else []


def places_unheld(places: Any) -> list[str]:
    """What a gazetteer leaves out of the author's places: notes, and when the maps draw them."""
    mapped = sum(1 for place in places if place.mapped is not None)
    return notes_left_out(places, "places") + (
        [f"{plural(mapped, 'place')}' `mapped:` left out: a gazetteer does not say when a map draws a place"]
        if mapped else [])


def forms_record(forms: list[tuple[str, str, str]]) -> Record:
    """`forms:` as an author writes it, from (language tag, text, when) triples: a tag
    that is not a language tag is left out (it would be a key of the file written)."""
    from atlas.source.namefields import LANG_TAG

    found: dict[str, list[tuple[str, str]]] = {}
    for tag, text, when in forms:
        if LANG_TAG.match(tag) and text.strip():
            found.setdefault(tag, []).append((text.strip(), when))
    record: Record = {}
    for tag, written in found.items():
        if len(written) == 1 and not written[0][1]:
            record[tag] = written[0][0]
        else:
            record[tag] = [{"name": text, **({"when": when} if when else {})} for text, when in written]
    return record


def plural(n: int, word: str, words: str | None = None) -> str:
    """A count and its noun, agreeing: "1 place", "2 places" (`words` for another plural)."""
    return f"{n} {word if n == 1 else words or word + 's'}"
