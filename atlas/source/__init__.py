"""Stage 1, the sources: read an atlas folder and check it, into the `Atlas` model.

Takes a source folder (`atlas.yaml`, `places.yaml`, `events.yaml` or `events.csv`,
`periods.yaml`, `geocoded.json`, `shapes/`, `media/`, `lessons/`), any of which may come
from anyone. `readers` turns its files into records that remember their lines (`records`,
with `fastyaml` and `yamlhelp` for YAML); `validate` gives the records back as a checked
`model.Atlas` (places, events, periods, lessons, settings, all dates parsed by `dates`)
and a list of every problem found, each naming its file and line. Nothing here knows
where a place is on the earth beyond what its sources say, or what a page looks like.
"""
