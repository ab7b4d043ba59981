#!/usr/bin/env python3
"""Generate the reference TSV files of maillage-geo.

Usage: generate.py PACKAGE_DIR LAPOSTE_CSV [OUT_DIR]

PACKAGE_DIR  the unpacked npm package @etalab/decoupage-administratif@6.0.0
             (the folder holding data/communes.json, data/epci.json, ...)
LAPOSTE_CSV  La Poste's postcode base (laposte_hexasmal_2022.csv, ';'-separated)
OUT_DIR      where to write the TSV files (default: the folder of this script)

Python 3.11 standard library only. See README.md in this folder.
"""

import csv
import json
import sys
from collections import Counter
from pathlib import Path


def load_json(package: Path, name: str):
    path = package / "data" / name
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def clean(value) -> str:
    """A TSV field: no tab, no line break, no surrounding whitespace."""
    text = "" if value is None else str(value)
    if any(c in text for c in "\t\r\n"):
        raise ValueError(f"field with a tab or line break: {text!r}")
    return text.strip()


def write_tsv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for row in [header, *rows]:
            if len(row) != len(header):
                raise ValueError(f"{path.name}: row of {len(row)} fields: {row!r}")
            f.write("\t".join(clean(v) for v in row) + "\n")


def coordinates(csv_path: Path) -> dict[str, tuple[str, str]]:
    """INSEE code -> (lat, lon) formatted with 5 decimals, from the first row with coordinates."""
    coords: dict[str, tuple[str, str]] = {}
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f, delimiter=";")
        for row in reader:
            insee = (row.get("Code_commune_INSEE") or "").strip()
            lat = (row.get("latitude") or "").strip()
            lon = (row.get("longitude") or "").strip()
            if not insee or insee in coords or not lat or not lon:
                continue
            try:
                coords[insee] = (f"{float(lat):.5f}", f"{float(lon):.5f}")
            except ValueError:
                continue
    return coords


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    package = Path(argv[1])
    csv_path = Path(argv[2])
    out = Path(argv[3]) if len(argv) == 4 else Path(__file__).resolve().parent

    communes_json = load_json(package, "communes.json")
    epci_json = load_json(package, "epci.json")
    departements_json = load_json(package, "departements.json")
    regions_json = load_json(package, "regions.json")
    if communes_json is None or epci_json is None or departements_json is None:
        print(f"{package}/data: communes.json, epci.json or departements.json missing", file=sys.stderr)
        return 1

    # EPCIs, and commune -> EPCI from their member lists (communes.json of 6.0.0
    # has no codeEpci field; it is used when present).
    epcis = sorted(epci_json, key=lambda e: e["code"])
    epci_of: dict[str, str] = {}
    for e in epcis:
        for member in e.get("membres", []):
            code = member["code"]
            if code in epci_of and epci_of[code] != e["code"]:
                raise ValueError(f"commune {code} in two EPCIs: {epci_of[code]} and {e['code']}")
            epci_of[code] = e["code"]
    epci_codes = {e["code"] for e in epcis}

    coords = coordinates(csv_path)

    current = [c for c in communes_json if c.get("type") == "commune-actuelle"]
    current.sort(key=lambda c: c["code"])
    codes = [c["code"] for c in current]
    if len(codes) != len(set(codes)):
        raise ValueError("duplicate INSEE code among current communes")

    rows = []
    for c in current:
        insee = c["code"]
        epci = c.get("codeEpci") or epci_of.get(insee, "")
        if epci and epci not in epci_codes:
            raise ValueError(f"commune {insee}: unknown EPCI {epci}")
        postcodes = list(dict.fromkeys(c.get("codesPostaux") or []))
        population = c.get("population")
        lat, lon = coords.get(insee, ("", ""))
        rows.append([
            insee,
            c["nom"],
            ",".join(postcodes),
            c.get("departement", ""),
            c.get("region", ""),
            epci,
            "" if population is None else str(int(population)),
            lat,
            lon,
        ])

    out.mkdir(parents=True, exist_ok=True)
    write_tsv(out / "communes.tsv",
              ["insee", "name", "postcodes", "departement", "region", "epci", "population", "lat", "lon"],
              rows)
    write_tsv(out / "epci.tsv", ["siren", "name", "type"],
              [[e["code"], e["nom"], e["type"]] for e in epcis])
    departements = sorted(departements_json, key=lambda d: d["code"])
    write_tsv(out / "departements.tsv", ["code", "name", "region"],
              [[d["code"], d["nom"], d["region"]] for d in departements])
    if regions_json is not None:
        regions = [[r["code"], r["nom"]] for r in sorted(regions_json, key=lambda r: r["code"])]
    else:
        regions = []
    write_tsv(out / "regions.tsv", ["code", "name"], regions)

    # Counts, for the README and the review.
    by_dept = Counter(r[3] for r in rows)
    without_coords = [r for r in rows if not r[7]]
    print(f"communes (current):        {len(rows)}")
    print(f"  with coordinates:        {len(rows) - len(without_coords)}")
    print(f"  without coordinates:     {len(without_coords)}")
    print(f"  with an EPCI:            {sum(1 for r in rows if r[5])}")
    print(f"  with a population:       {sum(1 for r in rows if r[6])}")
    print(f"  in Isère (38):           {by_dept['38']}")
    print(f"EPCIs:                     {len(epcis)} {dict(sorted(Counter(e['type'] for e in epcis).items()))}")
    print(f"départements:              {len(departements)}")
    print(f"régions:                   {len(regions)}")
    for r in without_coords:
        print(f"  no coordinates: {r[0]} {r[1]} (postcodes: {r[2] or '-'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
