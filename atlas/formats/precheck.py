"""An import's files checked before any is written, as `atlas check` will read them.

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
from atlas.source.readers import Sources, parse_yaml, read_folder, records_of
from atlas.source.records import Record
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
