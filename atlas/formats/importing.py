"""`atlas import`: files of other tools' formats into an atlas source folder.

Each file is read by its format (atlas/formats/) into a draft of source records; the
drafts are checked against the folder's ids, then written as YAML an author can read and
edit (a new folder gets an atlas.yaml; an existing atlas has the records added to the
end of its files). An import with events but no periods gets one period spanning them
all, so that the result builds at once. Nothing is written unless everything can be:
a file that cannot be read, or ids that clash, stop the import before any file changes.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from atlas import formats
from atlas.errors import AtlasError, display_path, printable
from atlas.formats.common import Draft, Ids, Record, Unusable, plural, remote_media, year_text
from atlas.formats.precheck import accepted, allows_remote, refuse_errors
from atlas.formats.whole import geocoded_text, new_settings
from atlas.formats.yamltext import records_text
from atlas.geo.geocache import Cache
from atlas.source.dates import parse
from atlas.source.readers import parse_yaml, read_folder, records_of
from atlas.source.records import Record as SourceRecord
from atlas.util import files


@dataclass
class Imported:
    folder: Path
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        made = ", ".join(plural(n, what[:-1]) for what, n in self.counts.items())
        lines = [f"Imported into {display_path(self.folder)}: {made}"]
        lines += [f"  - {printable(note)}" for note in self.notes]  # (a note quotes the file's text)
        return "\n".join(lines)


def import_files(paths: list[Path], folder: Path, name: str | None = None, geocode: bool = False) -> Imported:
    existing = _existing_ids(folder)
    taken = {key for ids in existing.values() for key in ids}
    ids = Ids(taken)
    ids.periods = _existing_periods(folder) if existing["periods"] else []
    draft = Draft()
    for path in paths:
        shown = display_path(path)
        try:
            text = files.read_text(path.parent, path, encoding="utf-8-sig")
        except files.Unreadable as err:
            raise AtlasError(f"{shown}: {err}") from err
        module = formats.FORMATS.get(name) if name else formats.guess(path.name, text)
        if module is None:
            known = ", ".join(formats.FORMATS)
            raise AtlasError(f"{shown}: not a format atlas knows ({known}); give one with --format"
                             if not name else f"--format {name}: not one of {known}")
        try:
            part = module.read(shown, text, ids)
        except (RecursionError, ValueError, TypeError, KeyError, AttributeError) as err:
            if isinstance(err, AtlasError):
                raise
            raise Unusable(shown, "1", f"not a {module.NAME} file atlas can read ({type(err).__name__}: {err})") \
                from err
        _merge(draft, part, shown)
    clashes = sorted(ids.clashes)
    if clashes:
        raise AtlasError("\n".join(f"{display_path(folder)}: id '{key}' is used already (or twice in the import); "
                                   "rename it in the file, or import into another folder" for key in clashes))
    result = Imported(folder)
    _place_or_drop(draft, geocode, result)
    _known_places_only(draft, existing["places"], result)
    if not (draft.places or draft.events or draft.periods):
        said = "; ".join([*draft.notes, *result.notes]) or "the files hold no place, event or era"
        raise AtlasError(printable(f"{', '.join(display_path(path) for path in paths)}: nothing atlas can import, "
                                   f"so nothing was written ({said})"))
    spanning = _spanning(draft, ids) if not draft.periods and not existing["periods"] else None
    if spanning is not None:
        draft.periods.append(spanning)
        result.notes.append(f"one period '{draft.periods[0]['id']}' ({draft.periods[0]['when']}) spans everything "
                            "imported: divide it in periods.yaml")
    unplaced = sum(1 for record in draft.events if not record.get("places"))
    if unplaced:
        result.notes.append(f"{plural(unplaced, 'event')} {'has' if unplaced == 1 else 'have'} no place: listed in "
                            "their period but not on the map (add `places:` to them in events.yaml)")
    settings = None
    if (folder / "atlas.yaml").exists():  # what the atlas takes, as its atlas.yaml says
        path = _target(folder, folder / "atlas.yaml")
        settings, notes = accepted(files.read_text(folder, path), display_path(path), draft)
        result.notes += notes
    elif remote_media(draft.events) and not allows_remote(draft.settings):
        linking = plural(remote_media(draft.events), "event links", "events link")
        result.notes.append(f"{linking} media elsewhere, so atlas.yaml says "
                            "`media: {remote: true}`: they are shown as links, never fetched; remove it (and the "
                            "links) to refuse them")
    _note_categories(folder, draft, result)
    _write(folder, draft, settings)
    result.counts = {"places": len(draft.places), "events": len(draft.events), "periods": len(draft.periods)}
    result.notes = draft.notes + result.notes
    return result


def _existing_ids(folder: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {"places": set(), "events": set(), "periods": set()}
    if not folder.exists():
        return found
    if not (folder / "atlas.yaml").exists():
        if any(folder.iterdir()):
            raise AtlasError(f"{display_path(folder)}: is not an atlas folder (no atlas.yaml) and not empty; "
                             "choose a new folder or an atlas")
        return found
    sources = read_folder(folder)
    errors = [p for p in sources.problems if not p.warning]
    if errors:
        raise AtlasError(errors)
    try:  # read as `atlas check` reads it: an atlas broken before is the author's to mend first
        Cache.load(folder)
    except ValueError as err:
        raise AtlasError(f"{display_path(folder / 'geocoded.json')}: {err}; nothing was imported (mend it first: "
                         "atlas check says how)") from err
    for what in found:
        records: list[SourceRecord] = getattr(sources, what)
        found[what] = {str(record.values.get("id")) for record in records}
    return found


def _merge(draft: Draft, part: Draft, shown: str) -> None:
    draft.title = draft.title or part.title
    draft.subtitle = draft.subtitle or part.subtitle
    draft.places += part.places
    draft.events += part.events
    draft.periods += part.periods
    draft.unplaced += part.unplaced
    draft.files.update(part.files)
    draft.settings = draft.settings or part.settings
    draft.geocoded.update(part.geocoded)
    draft.notes += [f"{shown}: {note}" for note in part.notes]
    draft.categories = {**part.categories, **draft.categories}


def _place_or_drop(draft: Draft, geocode: bool, result: Imported) -> None:
    """Places without a geometry: kept as geocode queries with --geocode, else left out
    (and the events' references to them with them)."""
    if not draft.unplaced:
        return
    if geocode:
        for record in draft.unplaced:
            record.setdefault("geocode", record["name"])  # a format may ask for its toponym (and a country)
            draft.places.append(record)
        result.notes.append(f"{len(draft.unplaced)} places have no geometry: kept as geocode queries "
                            "(run `atlas geocode` before building: it says which matches it doubts)")
        return
    gone = {record["id"] for record in draft.unplaced}
    for record in draft.events:
        if record.get("places"):
            record["places"] = [ref for ref in record["places"] if ref not in gone]
            if not record["places"]:
                del record["places"]
    names = ", ".join(record["name"] for record in draft.unplaced[:5]) + (" …" if len(draft.unplaced) > 5 else "")
    result.notes.append(f"{len(draft.unplaced)} places left out: no usable geometry ({names}); "
                        "import with --geocode to keep them as geocode queries")


def _known_places_only(draft: Draft, existing: set[str], result: Imported) -> None:
    """Events name only places the atlas will have (a CSV may name places of another atlas)."""
    known = existing | {record["id"] for record in draft.places}
    unknown: set[str] = set()
    for record in draft.events:
        if record.get("places"):
            unknown |= {ref for ref in record["places"] if ref not in known}
            record["places"] = [ref for ref in record["places"] if ref in known]
            if not record["places"]:
                del record["places"]
    if unknown:
        shown = ", ".join(sorted(unknown)[:8]) + (" …" if len(unknown) > 8 else "")
        result.notes.append(f"{len(unknown)} places the events name are not in the atlas, and were left out of "
                            f"them: {shown} (add them to places.yaml, then to the events)")


def _spanning(draft: Draft, ids: Ids) -> Record | None:
    """One period over every date the import's events bring; None when none has a date (a
    gazetteer, or undated events only): nothing is invented, and its index shows them all."""
    dates = [parse(record["date"]) for record in draft.events if record.get("date")]
    firsts = [d.start.year for d in dates if d.start] + [d.end.year for d in dates if d.end and not d.start]
    lasts = [d.end.year for d in dates if d.end] + [d.start.year for d in dates if d.start and not d.end]
    if not dates:
        return None
    if not firsts:
        when = "0001/9999"  # open at both ends: every time
    elif min(firsts) == max(lasts):
        when = year_text(firsts[0])
    else:
        when = f"{year_text(min(firsts))}/{year_text(max(lasts))}"
    title = draft.title or "All the events"
    return {"id": ids.make(None, title, "period"), "title": title, "when": when}


def _write(folder: Path, draft: Draft, settings: str | None = None) -> None:
    """Every file's new text made first, then each put in place whole (never half-written);
    `settings`: an existing atlas's atlas.yaml as the import changes it."""
    named: dict[str, str] = {}  # the new texts of atlas.yaml and the lists, checked before anything is written
    new = not (folder / "atlas.yaml").exists()
    if new or settings is not None:
        named["atlas.yaml"] = settings if settings is not None else new_settings(folder.name, draft)
    for what, records in (("places", draft.places), ("events", draft.events), ("periods", draft.periods)):
        path = _target(folder, folder / f"{what}.yaml")
        if path.exists():
            if records:
                named[f"{what}.yaml"] = _added(path, files.read_text(folder, path), records, what)
        else:
            named[f"{what}.yaml"] = records_text(records) if records else "[]\n"
    refuse_errors(folder, named, set(draft.files))
    texts = {_target(folder, folder / name): text for name, text in named.items()}
    answers = _own_answers(draft)
    if answers:
        path = _target(folder, folder / "geocoded.json")
        texts[path] = geocoded_text(files.read_text(folder, path) if path.exists() else None, answers)
    for relative, text in draft.files.items():
        target = _target(folder, folder / relative)
        if target.exists() or target.is_symlink():  # another place's shape: never replaced
            raise AtlasError(f"{display_path(folder / relative)}: is in the atlas already, and atlas import replaces "
                             f"no file; rename the place '{Path(relative).stem}' in the file, or import into another "
                             "folder")
        texts[target] = text
    _put(folder, texts)


def _own_answers(draft: Draft) -> dict[str, Record]:
    """The geocoder answers for the `geocode:` places the import brings, and only those:
    an answer to any other id would replace the atlas's own (move its places), so it is
    left out and said to be."""
    own = {str(record["id"]) for record in draft.places if "geocode" in record}
    others = sorted(key for key in draft.geocoded if key not in own)
    if others:
        shown = ", ".join(others[:8]) + (" …" if len(others) > 8 else "")
        draft.notes.append(f"{len(others)} geocoder answers for places the file does not bring left out "
                           f"(an import never changes the atlas's own places): {shown}")
    return {key: answer for key, answer in draft.geocoded.items() if key in own}


def _added(path: Path, before: str, records: list[Record], what: str) -> str:
    """A YAML list of records with `records` added at its end: an empty list is replaced
    (its comments kept); a block list (`- id: …` entries, however indented) is extended.
    The new text is read before anything is written, so that a list written another way
    (one `[ … ]`, several documents) is refused rather than broken."""
    count = _count(path, before, what)
    if count is None:
        raise _unextendable(path, what)
    lines = before.splitlines(keepends=True)
    if not count:
        text = "".join(_comments(lines)) + records_text(records)
    else:
        first = next((line for line in lines if line.strip() and not line.lstrip().startswith(("#", "---", "%"))), "")
        indent = first[: len(first) - len(first.lstrip(" "))]
        ending = "" if before.endswith("\n") else "\n"
        text = before + ending + "".join(indent + line if line.strip() else line
                                        for line in records_text(records).splitlines(keepends=True))
    if _count(path, text, what) != count + len(records):
        raise _unextendable(path, what)
    return text


def _comments(lines: list[str]) -> list[str]:
    """The comments of an empty list's file, each a line of its own (one after `[]` too;
    the last line may lack its line end)."""
    found = []
    for line in lines:
        text = line.strip()
        comment = text if text.startswith("#") else re.search(r"\s(#.*)$", text)
        if comment:
            found.append((comment if isinstance(comment, str) else comment[1]) + "\n")
    return found


def _unextendable(path: Path, what: str) -> AtlasError:
    return AtlasError(f"{display_path(path)}:1: atlas import adds {what} to the end of a list of `- id: …` "
                      "entries, and this file is written another way (as one [ … ] list?): rewrite it as such "
                      "a list, or import into another folder")


def _count(path: Path, text: str, what: str) -> int | None:
    """How many records a YAML list holds (None: it is not one)."""
    read = records_of(parse_yaml(text, display_path(path)), path, what)
    return None if read.problems or read.records is None else len(read.records)


def _target(folder: Path, path: Path) -> Path:
    """Where a file of the import is written: `path` with its links followed, which must
    lead inside the atlas folder (a `shapes` linked to another folder would be written
    there). Checked for every file before any is written."""
    if not folder.exists():
        return path  # a new folder: the import makes it and everything in it
    present = path
    while not (present.exists() or present.is_symlink()):
        present = present.parent
    shown = display_path(present)
    try:
        resolved = present.resolve(strict=True)
    except (OSError, RuntimeError) as err:  # a link to nothing, a loop of links
        raise AtlasError(f"{shown}: cannot write the import there: a link that leads nowhere ({err})") from err
    root = folder.resolve()
    if resolved != root and root not in resolved.parents:
        raise AtlasError(f"{shown}: leads outside the atlas folder (to {resolved}); atlas import writes only "
                         "inside it: remove the link, or import into another folder")
    wanted = "file" if present == path else "folder"
    if not (resolved.is_file() if wanted == "file" else resolved.is_dir()):
        raise AtlasError(f"{shown}: cannot write the import there: it should be a {wanted}")
    return resolved / path.relative_to(present)


def _put(folder: Path, texts: dict[Path, str]) -> None:
    """Each file staged beside its place, then all put in place (never half-written)."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in texts.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
            staged.append((Path(name), path))
    except OSError as err:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise AtlasError(f"{display_path(folder)}: cannot write the import: {err.strerror or err}") from err
    for temporary, path in staged:
        # A file the atlas had keeps its permissions (a private places.yaml stays private).
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temporary, path)


def _note_categories(folder: Path, draft: Draft, result: Imported) -> None:
    """Categories the imported events keep that an existing atlas's atlas.yaml does not
    declare (it declares none: one that does takes only its own, see precheck): named with
    their labels, for the author to declare (a new atlas declares them)."""
    if not draft.categories or not (folder / "atlas.yaml").exists():
        return
    info = read_folder(folder).info
    declared = info.values.get("categories") if info else None
    known = set(declared.values) if isinstance(declared, SourceRecord) else set()
    used = {str(record["category"]) for record in draft.events if "category" in record}
    new = [key for key in draft.categories if key in used and key not in known]
    if new:
        shown = ", ".join(f"{key} ({draft.categories[key]})" for key in new[:8]) + (" …" if len(new) > 8 else "")
        result.notes.append(f"{len(new)} categories are new to the atlas: declare them in atlas.yaml's categories "
                            f"to give them their labels: {shown}")


def _existing_periods(folder: Path) -> list[str]:
    """The dates of the periods of the atlas at `folder` (already read without errors)."""
    return [str(record.texts.get("when", record.values["when"])) for record in read_folder(folder).periods
            if record.values.get("when") is not None]
