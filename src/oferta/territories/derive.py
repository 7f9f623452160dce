"""Build the derived reference files shipped in ``territories/data`` from the original sources.

Run once when a source changes, then commit the outputs::

    python -m oferta.territories.derive departments MGN_DPTO.geojson
    python -m oferta.territories.derive map

``departments`` writes ``departamentos_mgn2018.csv`` from the properties of DANE's MGN 2018
department layer (names and creating acts) and the municipal areas; ``map`` writes
``mapa_municipios.json``: projected, rounded SVG paths of the shipped simplified TopoJSON.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from .names import display_name

DATA_DIR = Path(__file__).resolve().parent / "data"
TOPOJSON_PATH = (
    Path(__file__).resolve().parent
    / "static"
    / "oferta"
    / "geo"
    / "colombia_2018_simplified.topojson"
)
MAP_JSON_PATH = DATA_DIR / "mapa_municipios.json"
DEPARTMENTS_CSV = DATA_DIR / "departamentos_mgn2018.csv"
MUNICIPALITIES_CSV = DATA_DIR / "divipola_municipios_mgn2018.csv"

# MGN 2018 spells a few names without their accent.
_NAME_FIXES = {"Quindio": "Quindío"}

# Coordinates are degrees (an equirectangular projection scaled at Colombia's mean latitude);
# three decimals are about 100 m, far below what a country map can show.
_DECIMALS = 3


def department_display_name(mgn_name: str) -> str:
    name = display_name(mgn_name)
    return _NAME_FIXES.get(name, name)


def departments_csv_write(*, dpto_geojson: Path, out: Path = DEPARTMENTS_CSV) -> int:
    """Write the 33 departments (code, MGN name, display name, creating act, area)."""
    features = json.loads(dpto_geojson.read_text(encoding="utf-8"))["features"]
    area: dict[str, Decimal] = defaultdict(Decimal)
    with MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            area[row["cod_dpto"]] += Decimal(row["area_km2"])
    props = sorted((f["properties"] for f in features), key=lambda p: p["DPTO_CCDGO"])
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(
            ["cod_dpto", "nombre_mgn2018", "nombre", "acto_creacion", "area_km2_suma_municipios"]
        )
        for p in props:
            code = p["DPTO_CCDGO"]
            writer.writerow(
                [
                    code,
                    p["DPTO_CNMBR"],
                    department_display_name(p["DPTO_CNMBR"]),
                    p["DPTO_CACTO"],
                    f"{area[code]:.3f}",
                ]
            )
    return len(props)


def _decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    decoded = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring_points(
    arcs: list[list[tuple[float, float]]], ring: list[int]
) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def map_geometry_build(topo: dict[str, Any]) -> dict[str, Any]:
    """Project the TopoJSON layers into SVG path data (degrees, y down), one path per unit."""
    arcs = _decode_arcs(topo)
    all_points = [p for arc in arcs for p in arc]
    min_lon = min(p[0] for p in all_points)
    max_lon = max(p[0] for p in all_points)
    min_lat = min(p[1] for p in all_points)
    max_lat = max(p[1] for p in all_points)
    kx = math.cos(math.radians((min_lat + max_lat) / 2))

    def project(lon: float, lat: float) -> tuple[float, float]:
        return round((lon - min_lon) * kx, _DECIMALS), round(max_lat - lat, _DECIMALS)

    def path_data(geometry: dict[str, Any]) -> str:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        parts = []
        for polygon in polygons:
            for ring in polygon:
                coords: list[str] = []
                last = None
                for lon, lat in _ring_points(arcs, ring):
                    xy = project(lon, lat)
                    if xy != last:
                        coords.append(f"{xy[0]:g},{xy[1]:g}")
                        last = xy
                if len(coords) >= 3:
                    parts.append("M" + " ".join(coords) + "Z")
        return "".join(parts)

    municipalities = []
    for geometry in topo["objects"]["MGN_MPIO_POLITICO"]["geometries"]:
        p = geometry["properties"]
        label = f"{display_name(p['MPIO_CNMBR'])} ({department_display_name(p['DPTO_CNMBR'])})"
        municipalities.append([p["MPIO_CCNCT"], label, path_data(geometry)])
    departments = []
    for geometry in topo["objects"]["MGN_DPTO_POLITICO"]["geometries"]:
        p = geometry["properties"]
        departments.append(
            [p["DPTO_CCDGO"], department_display_name(p["DPTO_CNMBR"]), path_data(geometry)]
        )
    municipalities.sort()
    departments.sort()
    width = round((max_lon - min_lon) * kx, _DECIMALS)
    height = round(max_lat - min_lat, _DECIMALS)
    return {
        "view_box": [0, 0, width, height],
        "municipalities": municipalities,
        "departments": departments,
    }


def map_json_write(*, topojson: Path = TOPOJSON_PATH, out: Path = MAP_JSON_PATH) -> int:
    geometry = map_geometry_build(json.loads(topojson.read_text(encoding="utf-8")))
    out.write_text(
        json.dumps(geometry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    return len(geometry["municipalities"])


if __name__ == "__main__":  # pragma: no cover - maintenance script
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "departments":
        print(departments_csv_write(dpto_geojson=Path(sys.argv[2])))
    elif command == "map":
        print(map_json_write())
    else:
        print(__doc__)
        sys.exit(2)
