"""Time the server-side SVG map (1,122 municipalities) and report its size.

Run: DATABASE_URL=sqlite:////tmp/bench-map.sqlite3 .venv/bin/python benchmarks/svg_map.py
(no database rows needed: the geometry ships with the package).
"""

import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oferta.config.settings.dev")
import django

django.setup()
from oferta.territories.maps import svg_map  # noqa: E402

svg_map(highlighted=["44"])  # load and cache the geometry once
for label, highlighted, link in (
    ("department highlighted", ["44"], None),
    ("nation, with links", ["CO"], "/territorios/{code}/"),
):
    times = []
    for _ in range(50):
        start = time.perf_counter()
        svg = svg_map(highlighted=highlighted, link_pattern=link)
        times.append(time.perf_counter() - start)
    print(
        f"{label}: median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {sorted(times)[47] * 1000:.1f} ms, {len(svg.encode()) / 1024:.0f} KiB"
    )
