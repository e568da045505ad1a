"""What Linked Places (LPF) and its spreadsheet form (LP-TSV) share on the way in: names
as a title and its variants, links to other gazetteers as sources, years, ids, and the
count of what the atlas does not keep."""

from __future__ import annotations

import re
import urllib.parse
from collections import Counter
from typing import Any

from atlas.formats.common import Record, forms_record, source
from atlas.source.namefields import LANG_TAG

# The short prefixes WHG asks contributors to write for other gazetteers' records (the
# Linked Places README and LP-TSV spec, "links" and "matches"), as the addresses they stand for.
ALIASES = {"bnf": "https://data.bnf.fr/", "cerl": "https://data.cerl.org/thesaurus/",
           "dbp": "http://dbpedia.org/resource/", "gn": "http://www.geonames.org/", "gnd": "http://d-nb.info/gnd/",
           "gov": "http://gov.genealogy.net/", "loc": "http://id.loc.gov/authorities/subjects/",
           "pl": "https://pleiades.stoa.org/places/", "tgn": "http://vocab.getty.edu/page/tgn/",
           "viaf": "http://viaf.org/viaf/", "wd": "https://www.wikidata.org/wiki/", "wp": "https://wikipedia.org/wiki/"}
# Place types of Linked Places and LP-TSV (AAT labels, contributors' words) as the atlas's kinds.
KINDS = {"city": "city", "town": "town", "village": "town", "settlement": "town", "port": "port",
         "capital": "capital", "region": "region", "state": "state", "country": "state", "nation": "state",
         "province": "province", "railway": "railway", "river": "river", "site": "site", "station": "station"}
UNDETERMINED = "und"  # BCP 47's tag for a name of no stated language: listed, never the label
DEFAULT_LANGUAGE = "en"  # the language of an atlas atlas import makes (atlas.yaml's default)


class Left:
    """What an import leaves out, counted by place: `notes()` lists each with its count."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.examples: dict[str, list[str]] = {}
        self.seen: set[tuple[str, str]] = set()

    def add(self, what: str, example: str = "", place: str = "") -> None:
        """`place`: a place that may be counted for `what` more than once (each of its
        dates) is counted once, its examples each shown."""
        if not place or (what, place) not in self.seen:
            self.counts[what] += 1
        self.seen.add((what, place))
        if example and len(self.examples.setdefault(what, [])) < 3 and example not in self.examples[what]:
            self.examples[what].append(example)

    def notes(self) -> list[str]:
        found = []
        for what, count in sorted(self.counts.items()):
            shown = f" (e.g. {'; '.join(self.examples[what])})" if self.examples.get(what) else ""
            found.append(f"{count} place{'s' if count != 1 else ''}: {what}{shown}")
        return found


def split_tag(text: str) -> tuple[str, str]:
    """`Bern@de` as ("Bern", "de"); `Qanawat@` as ("Qanawat", ""); an `@` not followed by a
    language tag (an address) is part of the name."""
    name, at, tag = text.strip().rpartition("@")
    if at and name.strip() and (not tag.strip() or LANG_TAG.match(tag.strip())):
        return name.strip(), tag.strip()
    return text.strip(), ""


def variant_forms(title: str, title_lang: str, variants: list[tuple[str, str]]) -> Record:
    """Undated variants as `forms:` of the place's own name, by language (a name of no
    language under `und`). The title is written first, in its own language, where the
    file gives it one (a variant that is the title, with a language): never in a language
    it was not given. The map labels the place with its form in the atlas's language, so
    a title in another language beside a variant in the atlas's language is labelled by
    that variant (`relabelled` names such places for the import's notes)."""
    own = [(title, title_lang)] if title_lang else []
    kept = list(dict.fromkeys((text, tag or UNDETERMINED) for text, tag in own + variants
                              if text and (tag or text != title)))
    triples: list[tuple[str, str, str]] = []
    for tag in dict.fromkeys(tag for _, tag in kept):
        triples += [(tag, text, "") for text, other in kept if other == tag]
    return forms_record(triples)


def relabelled(title: str, forms: Record) -> str:
    """The form an import's map labels a place with instead of its title (its form in the
    language of an atlas an import makes, where the title is not in it), else ""."""
    for tag, written in forms.items():
        if tag == DEFAULT_LANGUAGE or tag.startswith(DEFAULT_LANGUAGE + "-"):
            texts = [written] if isinstance(written, str) else [item["name"] for item in written]
            return "" if title in texts else texts[0]
    return ""


def variant_list(cell: str) -> tuple[list[str], bool]:
    """A `variants` cell's names: `;`-separated, as the spec asks; a cell with no `;` but
    commas (as some real files write it) is read as comma-separated, and says so (True)."""
    if ";" not in cell and "," in cell:
        return [part.strip() for part in cell.split(",") if part.strip()], True
    return [part.strip() for part in cell.split(";") if part.strip()], False


def link_source(kind: str, identifier: Any) -> Record | None:
    """A link to another gazetteer's record (`closeMatch`, `gn:1628884`) as a source: its
    address spelled out when the prefix is one WHG knows."""
    text = str(identifier or "").strip()
    if not text:
        return None
    prefix, colon, rest = text.partition(":")
    url = ALIASES[prefix.lower()] + rest if colon and prefix.lower() in ALIASES and rest else text
    label = f"{kind}: {text}" if kind else text
    return source(label, url)


# Linked Places' link types (README, "links"; WHG's example adds seeAlso): a source made of
# one of them is a link to another gazetteer, and goes back out as a link.
LINK_TYPES = ("closeMatch", "exactMatch", "primaryTopicOf", "subjectOf", "seeAlso")
LINK_LABEL = re.compile(rf"({'|'.join(LINK_TYPES)}): (\S+)")


def link_of(label: str) -> tuple[str, str] | None:
    """A source `link_source` made, as the link it was: (type, identifier as written)."""
    found = LINK_LABEL.match(label)
    return (found[1], found[2]) if found else None


def last_part(uri: Any) -> str | None:
    """The id a record's URI ends in, percent-encoding decoded (`Z%C3%BCrich` is `Zürich`)."""
    if not isinstance(uri, str) or not uri.strip():
        return None
    return urllib.parse.unquote(re.split(r"[/#:=?]", uri.strip().rstrip("/#"))[-1]) or None


def geocode_hint(record: Record, toponym: str, ccodes: list[str]) -> None:
    """What `atlas import --geocode` asks for a place without a geometry: its toponym (not
    a title with a description in brackets), in its countries (the geocoder keeps to them)."""
    record["geocode"] = toponym
    codes = [code.strip().upper() for code in ccodes if re.fullmatch(r"\s*[A-Za-z]{2}\s*", str(code))]
    if codes:
        record["country"] = "; ".join(dict.fromkeys(codes))


def bare_toponym(title: str) -> str:
    """A title without what it adds in brackets: 'Abingdon (UK)' is asked as 'Abingdon'."""
    return re.sub(r"\s*[(\[][^)\]]*[)\]]\s*$", "", title).strip() or title


def default_kind(shape: dict[str, Any]) -> str:
    """The kind the atlas gives a place of this GeoJSON geometry when its record names none
    (as `atlas.source.entries` does for a shape): no type is written for it."""
    kind = str(shape.get("type") or "")
    return "region" if "Polygon" in kind else "line" if "LineString" in kind else "place"
