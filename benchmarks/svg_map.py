"""Time the server-side SVG maps (1,122 municipalities, 33 departments) and report their size:
the highlight map (svg_map) and the choropleths (choropleth_svg) of the census IPM.

Run: DATABASE_URL=sqlite:////tmp/bench-map.sqlite3 .venv/bin/python benchmarks/svg_map.py
(no database rows needed: the geometry and the census IPM file ship with the package).
"""

import csv
import os
import statistics
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oferta.config.settings.dev")
import django

django.setup()
from django.utils import translation  # noqa: E402

from oferta.territories.maps import choropleth_svg, svg_map  # noqa: E402
from oferta.territories.services import CENSUS_IPM_FILE, DATA_DIR  # noqa: E402

RUNS = 50


def _report(label: str, render) -> None:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        svg = render()
        times.append(time.perf_counter() - start)
    print(
        f"{label}: median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {sorted(times)[int(RUNS * 0.95) - 1] * 1000:.1f} ms, "
        f"{len(str(svg).encode()) / 1024:.0f} KiB"
    )


with (DATA_DIR / CENSUS_IPM_FILE).open(encoding="utf-8") as fh:
    census = {r["cod_municipio"]: Decimal(r["ipm_total"]) for r in csv.DictReader(fh)}
by_department: dict[str, list[Decimal]] = {}
for code, value in census.items():
    by_department.setdefault(code[:2], []).append(value)
department_means = {c: sum(v) / len(v) for c, v in by_department.items()}

translation.activate("es-co")
svg_map(highlighted=["44"])  # load and cache the geometry once
for label, highlighted, link in (
    ("department highlighted", ["44"], None),
    ("nation, with links", ["CO"], "/territorios/{code}/"),
):
    _report(label, lambda h=highlighted, k=link: svg_map(highlighted=h, link_pattern=k))
_report(
    "choropleth, 1,122 municipalities, census IPM, links, 5 quantile classes",
    lambda: choropleth_svg(
        values=census, level="municipality", title="IPM", unit="%",
        link_pattern="/territorios/{code}/",
    ).svg,
)  # fmt: skip
_report(
    "choropleth, 33 departments, links",
    lambda: choropleth_svg(
        values=department_means, level="department", title="IPM", unit="%",
        link_pattern="/territorios/{code}/",
    ).svg,
)  # fmt: skip
