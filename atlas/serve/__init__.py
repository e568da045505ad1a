"""Stage 5, the preview: `atlas serve` builds, serves and rebuilds.

Takes a source folder. `watch` builds it (`atlas.building`), watches its files and builds
again when one changes; `preview` serves, on 127.0.0.1, only the files the last good
build recorded, with `live.js` reloading the open page after each build. Gives an HTTP
preview for the author; nothing it serves is published.
"""
