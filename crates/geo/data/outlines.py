#!/usr/bin/env python3
"""Generate outlines.tsv, the outlines of départements, from GeoJSON files.

Usage: outlines.py GEOJSON... [> outlines.tsv]

Each GEOJSON is a Feature (or FeatureCollection) of gregoiredavid/france-geojson
whose properties carry the département's `code`, with a Polygon or
MultiPolygon geometry in WGS 84 longitude/latitude. Every ring (outer rings
and holes alike: the outline is read with the even-odd rule) becomes one
line: `departement`, `ring` (0, 1, ... within the département), `points`
(`lon,lat` pairs with 5 decimals, separated by spaces, closed as in the
source). Lines are sorted by département, then ring.

Python 3.11 standard library only. See README.md in this folder.
"""

import json
import sys


def rings_of(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    raise ValueError(f"unexpected geometry {geometry['type']}")


def features(doc: dict) -> list:
    return doc["features"] if doc["type"] == "FeatureCollection" else [doc]


def main(paths: list[str]) -> None:
    rows = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for feature in features(doc):
            code = str(feature["properties"]["code"])
            for i, ring in enumerate(rings_of(feature["geometry"])):
                points = " ".join(f"{lon:.5f},{lat:.5f}" for lon, lat in ring)
                rows.append((code, i, points))
    rows.sort(key=lambda r: (r[0], r[1]))
    out = sys.stdout
    out.write("departement\tring\tpoints\n")
    for code, i, points in rows:
        out.write(f"{code}\t{i}\t{points}\n")
    print(f"rings: {len(rows)}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
