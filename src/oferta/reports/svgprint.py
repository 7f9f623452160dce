"""Self-contained SVG for print: WeasyPrint styles an inline SVG only with the SVG's own
stylesheet, so the app's CSS (the single source of the colours) is copied inside it."""

from __future__ import annotations

import re
from functools import cache

from django.contrib.staticfiles import finders

_VAR = re.compile(r"var\(--[\w-]+,\s*([^)]+)\)")


@cache
def static_css(path: str) -> str:
    """The text of a static stylesheet, with ``var(--x, fallback)`` resolved to the fallback
    (WeasyPrint's SVG renderer has no custom properties)."""
    found = finders.find(path)
    if not found:
        return ""
    with open(found, encoding="utf-8") as handle:
        return _VAR.sub(r"\1", handle.read())


def svg_with_css(svg: str, css: str) -> str:
    """``svg`` with ``css`` as its own ``<style>`` (right after the opening tag)."""
    svg = str(svg)
    if not svg:
        return ""
    cut = svg.index(">") + 1
    return f"{svg[:cut]}<style>{css}</style>{svg[cut:]}"


def choropleth_css(css: str, scale_class: str, *, zoom: float = 1.0) -> str:
    """The fills of one choropleth scale (``k5``) read from the maps stylesheet, as flat rules.

    Matching the whole stylesheet's descendant rules against 1,122 paths makes WeasyPrint
    several times slower; flat class rules keep the colours from the one stylesheet."""
    fills = dict(
        re.findall(rf"\.{re.escape(scale_class)}\s+\.(q\d+)\s*\{{\s*fill:\s*(#[0-9a-fA-F]+)", css)
    )
    nodata = re.search(r"\.nodata[^{]*\{\s*fill:\s*(#[0-9a-fA-F]+)", css)
    rules = [
        f"path{{stroke:#ffffff;stroke-width:{0.012 / zoom:.5f}}}",
        f"path.dept{{fill:none;stroke:#56657a;stroke-width:{0.035 / zoom:.5f}}}",
    ]
    rules += [f".{name}{{fill:{colour}}}" for name, colour in fills.items()]
    if nodata:
        rules.append(f".nodata{{fill:{nodata.group(1)}}}")
    return "".join(rules)


_VIEW_BOX = re.compile(r'viewBox="([^"]*)"')
_UNIT_PATH = re.compile(r'<path data-code="(\d+)"[^>]*? d="([^"]+)"')
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def zoom_to(svg: str, prefix: str, *, margin: float = 0.06) -> tuple[str, float]:
    """``svg`` (a map of ``territories.maps``, absolute coordinates) with its viewBox cut to
    the units whose code starts with ``prefix``, and the zoom factor (1 when none match)."""
    numbers: list[float] = []
    for code, d in _UNIT_PATH.findall(svg):
        if code.startswith(prefix):
            numbers += [float(n) for n in _NUMBER.findall(d)]
    match = _VIEW_BOX.search(svg)
    if not numbers or match is None:
        return svg, 1.0
    xs, ys = numbers[0::2], numbers[1::2]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    pad = max(x1 - x0, y1 - y0) * margin
    width, height = x1 - x0 + 2 * pad, y1 - y0 + 2 * pad
    full = [float(v) for v in match.group(1).split()]
    zoom = max(full[2] / width, full[3] / height, 1.0) if len(full) == 4 else 1.0
    box = f'viewBox="{x0 - pad:.3f} {y0 - pad:.3f} {width:.3f} {height:.3f}"'
    return svg[: match.start()] + box + svg[match.end() :], zoom
