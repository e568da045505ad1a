"""LP-TSV (Linked Places' spreadsheet form, v0.5: LinkedPasts/linked-places-format,
tsv_0.5.md) into an atlas: one row a place.

`title` (`toponym@lang` split) is the name, first among its forms in its own language
(the title's tag, or a variant's that is the title; never one it was not given);
`variants` (`;`-separated, each `toponym@lang`) are other forms of it, by language (a
period's map in English is labelled by an English one, as the notes say); `start`/`end`
are its `when`: a start alone "indicates 'from'" (the spec), an end alone "until"; years are the spec's
("BCE years must be written as a negative integer, e.g. -320 for 320 BCE": historians'
numbering, no year 0), so −814 is EDTF `-0813`. `geowkt` (any of POINT, LINESTRING,
POLYGON, MULTI…) wins over `lon`/`lat`, as the spec says. `title_source`/`title_uri`,
`matches` and `geo_source`/`geo_id` are kept as sources; everything else is counted in the
import's notes. Written: a place's first source that is no link its `title_source`, its
links (and sources that are gazetteers' records) its `matches`, its kind its `types` (none
for a place of no kind)."""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from atlas.errors import AtlasError
from atlas.formats.common import (
    Draft,
    Exported,
    Ids,
    Record,
    Unusable,
    checked_date,
    csv_rows,
    places_unheld,
    plural,
    short,
    source,
    year_text,
)
from atlas.formats.lpshared import (
    ALIASES,
    KINDS,
    UNDETERMINED,
    Left,
    bare_toponym,
    default_kind,
    geocode_hint,
    link_of,
    link_source,
    relabelled,
    split_tag,
    variant_forms,
    variant_list,
)
from atlas.formats.shapes import add_place, usable
from atlas.formats.wkt import WktError, geometry
from atlas.formats.wkt import text as wkt_text
from atlas.source.dates import EdtfDate
from atlas.source.model import Atlas, Place
from atlas.source.readers import formula_like

RELABELLED = ("labelled on a period's map by their variant in English (the language of an atlas an import makes), not by "
              "their title, which is in another language or none")

# Columns the atlas reads; the others are counted as left out.
KEPT = {"id", "title", "title_source", "title_uri", "attestation_year", "start", "end", "variants", "types",
        "ccodes", "matches", "lon", "lat", "geowkt", "geo_source", "geo_id", "description"}
LEFT = {"aat_types": "aat_types left out (Getty AAT type ids)", "fclasses": "fclasses left out (GeoNames classes)",
        "parent_name": "parent_name/parent_id left out (the atlas has no containing place)",
        "parent_id": "parent_name/parent_id left out (the atlas has no containing place)",
        "approximation": "approximation left out"}


def read_tsv(shown: str, text: str, ids: Ids) -> Draft:
    draft, left = Draft(), Left()
    refused: list[str] = []
    rows = csv_rows(text, shown, delimiter="\t")
    for n, row in enumerate(rows, start=2):
        cells = {key.strip(): _unguarded(key.strip(), value or "") for key, value in row.items()
                 if key and isinstance(value, str)}
        if not any(cells.values()):
            continue  # a blank line between rows
        try:
            _row(draft, left, cells, shown, n, ids)
        except RecursionError:  # a geowkt of thousands of nested brackets
            refused.append(Unusable(shown, f"row {n}", "a value nested too deeply to read (geowkt?)").text)
        except Unusable as err:  # each bad row said, the others imported
            refused.append(err.text)
    if refused and not (draft.places or draft.unplaced):
        raise AtlasError("\n".join(refused))
    draft.notes += [f"row left out: {problem.removeprefix(shown + ':')}" for problem in refused]
    draft.notes += left.notes()
    return draft


def _row(draft: Draft, left: Left, row: dict[str, str], shown: str, n: int, ids: Ids) -> None:
    title, title_lang = split_tag(row.get("title", ""))
    if not title:
        raise Unusable(shown, f"row {n}", "missing: every LP-TSV row has a title")
    given = urllib.parse.unquote(row.get("id", ""))  # `Z%C3%BCrich` is Zürich, not z-c3-bcrich
    record: Record = {"id": ids.make(given or None, title, "place"), "name": title}
    when = _span_of(row.get("start", ""), row.get("end", ""), shown, n)
    if when:
        record["when"] = when
    cells, commas = variant_list(row.get("variants", ""))
    if commas:
        left.add("variants separated by commas, not semicolons as LP-TSV asks: read as several names", title)
    variants = [split_tag(cell) for cell in cells]
    tagged = [title_lang] + [tag for text, tag in variants if text == title]
    forms = variant_forms(title, next((tag for tag in tagged if tag), ""), variants)
    if forms:
        record["forms"] = forms
        instead = relabelled(title, forms)
        if instead:
            left.add(RELABELLED, f"{title}: {instead}")
    kind = _kind(row.get("types", ""), left, title)
    if kind:
        record["kind"] = kind
    if row.get("description"):
        record["description"] = row["description"]
    sources = _sources(row)
    if sources:
        record["sources"] = sources
    _left_out(row, left, title, kind)
    shape = _tsv_geometry(row, shown, n)
    if shape is None:
        geocode_hint(record, bare_toponym(title), row.get("ccodes", "").split(";"))
    elif not kind and shape["type"] in ("LineString", "MultiLineString"):
        record["kind"] = "line"
    add_place(draft, record, shape)


def _kind(types: str, left: Left, title: str) -> str | None:
    labels = [label.strip() for label in types.split(";") if label.strip()]
    kind = next((KINDS[label.lower()] for label in labels if label.lower() in KINDS), None)
    if kind is None and labels and re.fullmatch(r"[a-z][a-z -]{0,30}", labels[0]):
        kind = labels[0]  # a kind of the atlas's own ("border", "territory"), as its export writes it
    used = next((label for label in labels if KINDS.get(label.lower(), label) == kind), None)
    others = [label for label in labels if label != used]
    if others:
        left.add("types beyond the kind left out (the atlas keeps one kind a place)", f"{title}: {', '.join(others)}")
    return kind


def _sources(row: dict[str, str]) -> list[Record]:
    found: list[Record] = []
    if row.get("title_source"):
        year = row.get("attestation_year")
        label = f"{row['title_source']} ({year})" if year else row["title_source"]
        found.append(source(label, row.get("title_uri") or None))
    for match in row.get("matches", "").split(";"):
        made = link_source("closeMatch", match)
        if made and made not in found:
            found.append(made)
    if row.get("geo_source") or row.get("geo_id"):
        found.append(source(f"Geometry: {row.get('geo_source') or row['geo_id']}", row.get("geo_id") or None))
    return found


def _left_out(row: dict[str, str], left: Left, title: str, kind: str | None) -> None:
    if row.get("ccodes"):
        left.add("ccodes left out (modern countries; a geocode query's country hint when the place has no "
                 "geometry)", f"{title}: {row['ccodes']}")
    for column, why in LEFT.items():
        if column == "fclasses" and kind:
            continue  # a coarser word for the kind the place has
        if row.get(column) and not (column == "parent_id" and row.get("parent_name")):
            left.add(why, f"{title}: {row[column]}")
    others = sorted(key for key, value in row.items() if value and key not in KEPT and key not in LEFT)
    if others:
        left.add("other columns left out", f"{title}: {', '.join(others)}")


def _span_of(start: str, end: str, shown: str, n: int) -> str | None:
    """`start` and `end` as one EDTF interval: a start alone is from then on, an end alone until then."""
    if not start and not end:
        return None
    first = tsv_date(start, shown, n, "start") if start else ".."
    last = tsv_date(end, shown, n, "end") if end else ".."
    text = first if first == last else f"{first}/{last}"
    if checked_date(text) is None:
        raise Unusable(shown, f"row {n}", f"start {short(start)} and end {short(end)} are not a span atlas "
                       "reads (is the end before the start?)")
    return text


def tsv_date(text: str, shown: str, n: int, column: str) -> str:
    """An LP-TSV date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`; BCE a negative year, −320 for 320
    BCE) as EDTF, whose years are astronomical (`-0319` is 320 BCE)."""
    found = re.fullmatch(r"(-?)(\d{1,4})((?:-\d\d){0,2})", text.strip())
    if not found or int(found[2]) == 0:
        raise Unusable(shown, f"row {n}", f"{column}: {short(text)} is not a year, year-month or day "
                       "(YYYY, YYYY-MM, YYYY-MM-DD; BCE as a negative year, e.g. -320 for 320 BCE; no year 0)")
    year = -int(found[2]) + 1 if found[1] else int(found[2])
    made = year_text(year) + found[3]
    if checked_date(made) is None:
        raise Unusable(shown, f"row {n}", f"{column}: {short(text)} is not a date atlas reads")
    return made


def _tsv_geometry(row: dict[str, str], shown: str, n: int) -> dict[str, Any] | None:
    """The row's geometry: `geowkt` (which the spec says supersedes lon and lat), else the point."""
    if row.get("geowkt"):
        try:
            shape = geometry(row["geowkt"])
        except WktError as err:
            raise Unusable(shown, f"row {n}", f"geowkt: {err}") from err
        if shape is not None and not usable(shape):
            raise Unusable(shown, f"row {n}", f"geowkt {short(row['geowkt'])} is not a shape on the Earth "
                           "(longitude first, from -180 to 180; latitude from -90 to 90; rings closed)")
        if shape is not None:
            return shape
    if row.get("lon") and row.get("lat"):
        try:
            point = {"type": "Point", "coordinates": [float(row["lon"]), float(row["lat"])]}
        except ValueError as err:
            raise Unusable(shown, f"row {n}", f"lon and lat should be numbers: {short(row['lon'])}, "
                           f"{short(row['lat'])}") from err
        if not usable(point):
            raise Unusable(shown, f"row {n}", f"[{short(row['lon'])}, {short(row['lat'])}] is not on the Earth")
        return point
    return None


NAME = "lptsv"
COLUMNS = ["id", "title", "title_source", "title_uri", "fclasses", "start", "end", "variants", "types", "matches",
           "lon", "lat", "geowkt", "description"]
# The GeoNames feature class each kind of place is (LP-TSV v0.5 asks for one a row).
FCLASSES = {"city": "P", "town": "P", "port": "P", "capital": "P", "place": "P", "station": "S", "site": "S",
            "railway": "R", "line": "R", "river": "H", "region": "A", "state": "A", "territory": "A", "border": "A"}
PLAIN_SIDE = re.compile(r"(-?)(\d{4})((?:-\d\d){0,2})([~?%]?)")


def sniff(name: str, text: str) -> bool:
    first = text.lstrip("\ufeff").split("\n", 1)[0].lower().split("\t")
    return name.lower().endswith(".tsv") and "title" in [cell.strip() for cell in first]


def read(shown: str, text: str, ids: Ids) -> Draft:
    return read_tsv(shown, text, ids)


def write(atlas: Atlas, shapes: dict[str, Any]) -> Exported:
    """Every place with a geometry as an LP-TSV row; what LP-TSV cannot hold, counted."""
    left = Left()
    lines = ["\t".join(COLUMNS)]
    for place in atlas.places:
        if place.id in shapes:
            row = _row_of(place, shapes[place.id], atlas, left)
            lines.append("\t".join(_cell(row.get(column, ""), column) for column in COLUMNS))
    notes = [f"{plural(count, noun)} {what}" for noun, what, count in (
        ("event", "left out: LP-TSV holds places only", len(atlas.events)),
        ("period", "left out: LP-TSV holds places only", len(atlas.periods)),
        ("place", "left out: they have no geometry yet (run atlas geocode)",
         sum(1 for place in atlas.places if place.id not in shapes))) if count]
    return Exported("\n".join(lines) + "\n", notes + left.notes() + places_unheld(atlas.places))


def _row_of(place: Place, shape: dict[str, Any], atlas: Atlas, left: Left) -> dict[str, str]:
    """A place as a row: its first source that is no link its title_source, its links to
    other gazetteers (and sources that are gazetteers' records) its matches."""
    cited = [s for s in place.sources if link_of(s.label) is None]
    first = cited[0] if cited else None
    row = {"id": place.id, "title": place.name, "title_source": first.label if first else atlas.info.title,
           "title_uri": first.url or "" if first else "", "fclasses": FCLASSES.get(place.kind, "P"),
           "types": place.kind if place.kind != default_kind(shape) else "", "variants": _variants(place, left),
           "description": place.description}
    if place.when:
        row["start"], row["end"] = _sides(place.when, left, place.name)
    if shape["type"] == "Point":
        row["lon"], row["lat"] = (repr(float(n)).removesuffix(".0") for n in shape["coordinates"])
    else:
        row["geowkt"] = wkt_text(shape)
    links = [found[1] for found in map(link_of, (s.label for s in place.sources)) if found]
    matches = [_alias(s.url) for s in cited[1:] if s.url and _alias(s.url)]
    if links or matches:
        row["matches"] = ";".join(dict.fromkeys(links + matches))
    words = [place.name, *(name.name for name in place.names), *(form.text for form in place.forms),
             *(form.text for name in place.names for form in name.forms)]
    odd = [word for word in words if "@" in word or ";" in word]
    if odd:
        left.add("names holding '@' or ';', LP-TSV's separators: written as they are, they do not read back so",
                 odd[0])
    if len(cited) > 1 + len(matches):
        left.add("sources beyond the first left out (LP-TSV has one title_source, and matches for gazetteers)",
                 place.name)
    for what, has in (("roles left out (LP-TSV has no types in time)", place.roles),
                      ("control left out (who held the place): LP-TSV has no such column", place.control),
                      ("media left out", place.media), ("outline_of left out", place.outline_of)):
        if has:
            left.add(what, place.name)
    return row


def _variants(place: Place, left: Left) -> str:
    """The place's forms and names as `toponym@lang` variants (undated: LP-TSV dates only the row)."""
    found = [(form.text, form.lang) for form in place.forms]
    for name in place.names:
        found += [(name.name, name.lang or "")] + [(form.text, form.lang) for form in name.forms]
    if place.names or any(form.when for form in place.forms):
        left.add("names and forms in time written as undated variants (LP-TSV dates only the whole row)", place.name)
    cells = dict.fromkeys(f"{text}@{tag}" if tag and tag != UNDETERMINED else text
                          for text, tag in found if text != place.name or tag)
    return "; ".join(cells)


def _sides(when: EdtfDate, left: Left, title: str) -> tuple[str, str]:
    """An EDTF date as LP-TSV's start and end: astronomical years as historians' (-0813 is
    -814), an open side empty; qualifiers and unspecified digits have no place there."""
    sides = when.text.split("/")
    found = []
    for side, day in ((sides[0], when.start), (sides[-1], when.end)):
        plain = PLAIN_SIDE.fullmatch(side)
        if side in ("", "..") or day is None:
            found.append("")
        elif plain:
            year = int(plain[2]) * (-1 if plain[1] else 1)
            found.append(f"{year - 1 if year <= 0 else year}{plain[3]}")
            if plain[4]:
                left.add("qualifiers (~ ? %) of dates left out: LP-TSV has none", f"{title}: {when.text}")
        else:
            found.append(f"{day.year - 1 if day.year <= 0 else day.year}-{day.month:02d}-{day.day:02d}")
            left.add("dates LP-TSV cannot write (unspecified digits, seasons) written as the days they cover",
                     f"{title}: {when.text}")
    if len(sides) == 1:
        return found[0], found[1] if found[1] != found[0] else ""
    return found[0], found[1]



def _alias(url: str) -> str:
    """A gazetteer's address as WHG's short form (`gn:2661552`); "" for any other address."""
    for prefix, base in ALIASES.items():
        if url.startswith(base) and len(url) > len(base):
            return f"{prefix}:{url[len(base):].rstrip('/')}"
    return ""


# Columns of numbers and dates, which WHG reads as they are: never guarded (a BCE year is -814).
VALUES = frozenset({"start", "end", "lon", "lat", "geowkt", "attestation_year"})


def _cell(text: str, column: str) -> str:
    """A cell as LP-TSV writes it: no quotes, so no tab or line break inside; a text a
    spreadsheet would run as a formula (=HYPERLINK(…)) guarded by an apostrophe, as our CSV
    export does (`_unguarded` reads it back)."""
    cell = re.sub(r"[\t\r\n]+", " ", text).strip()
    return f"'{cell}" if column not in VALUES and formula_like(cell) else cell


def _unguarded(column: str, text: str) -> str:
    cell = text.strip()
    return cell[1:] if column not in VALUES and cell[:1] == "'" and formula_like(cell[1:]) else cell
