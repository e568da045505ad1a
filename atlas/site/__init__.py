"""Stage 3, the site: what each period shows, and the pages made from it.

Takes the `Atlas` and its places' geometries (`atlas.geo`). `periods` and `views` make each
period's view once (which events it shows, what each place was called and who held it);
`changes`, `features`, `legend`, `media`, `timeline` and `overview` derive what the maps
and panels say from the views; `maps` turns them into Folium maps, `pages` renders the
Jinja templates (sandboxed), `csp` and `inline` make the pages safe and self-contained,
and `export` writes `data/atlas.geojson`. `render.render_site` gives the whole site as
files by output path, in memory: writing them is the build's job.
"""
