"""Stage 2, the earth: put every place of a checked `Atlas` on the map.

Takes the `Atlas` from `atlas.source`. `geocode` answers the places written `geocode:`
(a geopy geocoder, or the offline `gazetteer`) and stores the answers in `geocoded.json`
(`geocache`), an `atlas geocode` step of its own; at build time `resolve` gives every place
and event area a GeoJSON geometry from its coordinates, the stored answers or its shapes
file, and `basemap` cuts the offline relief the maps are drawn on. Gives geometries by
place id and basemap images; knows nothing of pages.
"""
