"""Stage 4, the build: run the stages and write the output folder.

Takes a source folder and an output folder. `pipeline.build` reads and checks the sources
(`atlas.source`), places them (`atlas.geo`), renders the site (`atlas.site`) and hands its
files to `writer`, the one owner of the output folder, which swaps a finished site in
whole. `planning` remakes only what changed events touch, from the record the last
build left (`recording`) in this user's cache (`buildrecord`, signed by
`atlas.util.signed`). Gives the written output folder and a `Summary` of the build.
"""
