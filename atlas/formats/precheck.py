"""An import's files checked before any is written, as `atlas check` will read them; and
what an existing atlas takes of an import, as its atlas.yaml says.

The importers make records of fields atlas knows, but a file can still bring what the
atlas refuses: our GeoJSON's records as someone edited them, an event's category that
the atlas's atlas.yaml does not declare. The new texts of atlas.yaml and the list files
are read as the sources reader reads files, beside the atlas's other records, and
validated; an error stops the import with nothing written (the messages name the lines
of the files as they would have been written). The files the import adds beside them
(shapes, geocoded.json) are not there yet: their absence is no error here, and the
command checks the whole atlas again once it is written.
"""

from __future__ import annotations

from pathlib import Path

from atlas.errors import AtlasError, Problem, display_path
from atlas.formats.common import Draft, plural, remote_media
from atlas.source.readers import Sources, parse_yaml, read_folder, records_of
from atlas.source.records import Record
from atlas.source.records import Record as Written
from atlas.source.validate import validate

LISTS = ("places", "events", "periods")


def refuse_errors(folder: Path, named: dict[str, str], added: set[str]) -> None:
    """`named`: the new texts by file name (atlas.yaml, places.yaml, …); `added`: the other
    files the import writes, relative to the folder. Raises AtlasError with every error."""
    sources = read_folder(folder) if (folder / "atlas.yaml").exists() else Sources(folder, None, [], [], [], [])
    problems: list[Problem] = []
    if "atlas.yaml" in named:
        read = parse_yaml(named["atlas.yaml"], display_path(folder / "atlas.yaml"))
        problems += read.problems
        sources.info = read.top if isinstance(read.top, Record) else None
    for what in LISTS:
        text = named.get(f"{what}.yaml")
        if text is None:
            continue
        path = folder / f"{what}.yaml"
        read = records_of(parse_yaml(text, display_path(path)), path, what)
        problems += read.problems
        others = [r for r in getattr(sources, what) if not r.origin.path.endswith(f"{what}.yaml")]  # events.csv
        setattr(sources, what, [*(read.records or []), *others])
    sources.problems = [p for p in sources.problems if p.warning or not _about(p, named)] + problems
    _, found = validate(sources)
    errors = [p for p in found if not p.warning and not any(f"'{name}' not found" in p.message for name in added)]
    if errors:
        raise AtlasError("\n".join([f"{display_path(folder)}: atlas import wrote nothing: what it would write is not "
                                    "an atlas that `atlas check` accepts (lines as they would be written):",
                                    *(str(p) for p in sorted(errors))]))


def _about(problem: Problem, named: dict[str, str]) -> bool:
    """Whether a problem of the folder as it is concerns a file the import rewrites."""
    return any(problem.origin.path.endswith(name) for name in named)


def accepted(before: str, shown: str, draft: Draft) -> tuple[str | None, list[str]]:
    """What an existing atlas, whose atlas.yaml reads `before`, takes of the draft: its
    events' categories that atlas.yaml declares (when it declares any), and links to media
    elsewhere only where it allows them. Gives atlas.yaml's new text (None: unchanged) and
    notes of what changed or was left out."""
    top = parse_yaml(before, shown).top
    notes = _declared_categories_only(top, draft)
    if draft.settings:
        notes.append("the file's atlas settings (title, categories, names, …) were not merged: this atlas keeps "
                     "its own atlas.yaml")
    elif draft.title or draft.subtitle:
        named = " / ".join(repr(text) for text in (draft.title, draft.subtitle) if text)
        notes.append(f"the file's title ({named}) not imported: this atlas keeps its own title")
    linked = remote_media(draft.events)
    if not linked or allows_remote(top):
        return None, notes
    if isinstance(top, Written) and "media" not in top.values:
        text = before + ("\n" if before and not before.endswith("\n") else "") + (
            "# Added by atlas import: imported events link images elsewhere, shown as links, never fetched.\n"
            "media: {remote: true}\n")
        after = parse_yaml(text, shown)
        if not after.problems and allows_remote(after.top):
            linking = plural(linked, "event links", "events link")
            return text, [*notes, f"{linking} media elsewhere, so `media: {{remote: true}}` was added to atlas.yaml: "
                          "they are shown as links, never fetched; remove it (and the links) to refuse them"]
    for record in draft.events:
        kept = [item for item in record.get("media", []) if "url" not in item]
        if kept:
            record["media"] = kept
        else:
            record.pop("media", None)
    links = plural(linked, "event's link", "events' links")
    return None, [*notes, f"{links} to media elsewhere left out: this atlas's atlas.yaml does not allow them "
                  "(`media: {remote: true}`)"]


def _declared_categories_only(top: object, draft: Draft) -> list[str]:
    """An atlas that declares its categories takes no other: an imported event's category it
    does not declare is left out (and said), rather than the import refused."""
    declared = top.values.get("categories") if isinstance(top, Written) else None
    if not isinstance(declared, Written) or not declared.values:
        return []
    left = sorted({str(record.pop("category")) for record in draft.events
                   if "category" in record and record["category"] not in declared.values})
    if not left:
        return []
    named = [f"{key} ({draft.categories[key]})" if key in draft.categories else key for key in left[:8]]
    return [f"categories left out of the events, as atlas.yaml does not declare them: {', '.join(named)}"
            f"{' …' if len(left) > 8 else ''} (declare them under `categories:` in atlas.yaml, then add them to "
            "the events)"]


def allows_remote(settings: object) -> bool:
    """Whether atlas.yaml's settings (as read, or as an import brings them) allow media elsewhere."""
    values = settings.values if isinstance(settings, Written) else settings if isinstance(settings, dict) else {}
    media = values.get("media")
    media_values = media.values if isinstance(media, Written) else media
    return isinstance(media_values, dict) and media_values.get("remote") is True
