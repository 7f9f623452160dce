"""Server-rendered SVG charts of the territorial profile (no script, no inline style: CSP).

Colours come from CSS classes (``insights/insights.css``); every chart has a ``<title>`` and a
``<desc>`` for screen readers, and the page keeps the table with the same figures next to it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from oferta.territories.selectors import ZoneValues

ZONES: tuple[tuple[str, str], ...] = (
    ("total", "chart-total"),
    ("urban", "chart-urban"),
    ("rural", "chart-rural"),
)
_ids = itertools.count(1)


def _zone_labels() -> dict[str, str]:
    return {
        "total": _("Total"),
        "urban": _("Cabeceras"),
        "rural": _("Centros poblados y rural disperso"),
    }


def _fmt(value: Decimal | float | None) -> str:
    # number_format truncates: round half up first, as the tables' floatformat does.
    if value is None:
        return "—"
    return number_format(Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP), 1)


def _nice_max(values: Sequence[Decimal | None]) -> float:
    top = max((float(v) for v in values if v is not None), default=0.0)
    if top <= 0:
        return 10.0
    step = 10.0 if top > 20 else 5.0
    return float(int(top / step) + 1) * step


def _zones_present(rows: Sequence[ZoneValues]) -> list[str]:
    return [z for z, _css in ZONES if any(getattr(r, z) is not None for r in rows)]


def _zone_desc(rows: Sequence[ZoneValues], zones: Sequence[str]) -> str:
    """The figures of the chart as text, for screen readers."""
    labels = _zone_labels()
    return "; ".join(
        f"{r.label}: " + ", ".join(f"{labels[z]} {_fmt(getattr(r, z))}" for z in zones)
        for r in rows
    )


def _svg_open(kind: str, width: float, height: float, title: str, desc: str) -> list[str]:
    """The ``<svg>`` element of a chart with its ``<title>`` and ``<desc>``, ids unique per page."""
    uid = next(_ids)
    return [
        f'<svg class="chart chart-{kind}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart{uid}-title chart{uid}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart{uid}-title">{escape(title)}</title>',
        f'<desc id="chart{uid}-desc">{escape(desc)}</desc>',
    ]


def _legend(x: float, y: float, zones: Sequence[str]) -> list[str]:
    labels = _zone_labels()
    parts = []
    for i, (zone, css) in enumerate(z for z in ZONES if z[0] in zones):
        lx = x + i * 190
        parts.append(
            f'<rect class="{css}" x="{lx:.1f}" y="{y - 9:.1f}" width="12" height="12"/>'
            f'<text class="chart-label" x="{lx + 17:.1f}" y="{y + 1:.1f}">'
            f"{escape(labels[zone])}</text>"
        )
    return parts


def line_chart(*, title: str, rows: Sequence[ZoneValues], unit: str = "%") -> SafeString:
    """A line per zone (total, urban, rural) over the rows' keys (years), y from 0."""
    if not rows:
        return mark_safe("")
    width, height = 640, 300
    left, right, top, bottom = 48, 28, 36, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [getattr(r, z) for r in rows for z, _css in ZONES]
    y_max = _nice_max(values)
    n = len(rows)

    def px(i: int) -> float:
        return left + (plot_w * (i / (n - 1) if n > 1 else 0.5))

    def py(v: Decimal) -> float:
        return top + plot_h * (1 - float(v) / y_max)

    zones_present = _zones_present(rows)
    parts = _svg_open("line", width, height, title, _zone_desc(rows, zones_present))
    for k in range(5):
        v = y_max * k / 4
        y = top + plot_h * (1 - k / 4)
        parts.append(
            f'<line class="chart-grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="chart-tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(_fmt(v))}</text>"
        )
    for i, r in enumerate(rows):
        parts.append(
            f'<text class="chart-tick" x="{px(i):.1f}" y="{height - bottom + 18}" '
            f'text-anchor="middle">{escape(r.label)}</text>'
        )
    for zone, css in ZONES:
        points = [
            (px(i), py(getattr(r, zone)))
            for i, r in enumerate(rows)
            if getattr(r, zone) is not None
        ]
        if not points:
            continue
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline class="chart-series {css}" points="{path}"/>')
        for i, r in enumerate(rows):
            value = getattr(r, zone)
            if value is None:
                continue
            parts.append(
                f'<circle class="{css}" cx="{px(i):.1f}" cy="{py(value):.1f}" r="3.5">'
                f"<title>{escape(_zone_labels()[zone])} {escape(r.label)}: "
                f"{escape(_fmt(value))} {escape(unit)}</title></circle>"
            )
    parts += _legend(left, 18, zones_present)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def bar_chart(*, title: str, rows: Sequence[ZoneValues], unit: str = "%") -> SafeString:
    """Horizontal bars, one group per row (indicator) with a bar per zone, x from 0."""
    if not rows:
        return mark_safe("")
    zones_present = _zones_present(rows)
    bar_h, gap = 14, 12
    group_h = bar_h * len(zones_present) + gap
    label_w, value_w, plot_w = 300, 48, 300
    top = 34
    width = label_w + plot_w + value_w
    height = top + group_h * len(rows) + 8
    x_max = _nice_max([getattr(r, z) for r in rows for z in zones_present])
    parts = _svg_open("bars", width, height, title, _zone_desc(rows, zones_present))
    parts += _legend(8, 14, zones_present)
    for k in range(5):
        x = label_w + plot_w * k / 4
        parts.append(
            f'<line class="chart-grid" x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" y2="{height - 8}"/>'
        )
    for g, r in enumerate(rows):
        y0 = top + g * group_h
        label = r.label if len(r.label) <= 44 else r.label[:42] + "…"
        parts.append(
            f'<text class="chart-label" x="{label_w - 8}" y="{y0 + group_h / 2:.1f}" '
            f'text-anchor="end">{escape(label)}<title>{escape(r.label)}</title></text>'
        )
        for b, zone in enumerate(zones_present):
            value = getattr(r, zone)
            if value is None:
                continue
            css = dict(ZONES)[zone]
            y = y0 + b * bar_h
            w = plot_w * float(value) / x_max
            parts.append(
                f'<rect class="{css}" x="{label_w}" y="{y:.1f}" width="{w:.1f}" '
                f'height="{bar_h - 1}"><title>{escape(r.label)} · '
                f"{escape(_zone_labels()[zone])}: {escape(_fmt(value))} {escape(unit)}"
                "</title></rect>"
                f'<text class="chart-value" x="{label_w + w + 4:.1f}" y="{y + bar_h - 3:.1f}">'
                f"{escape(_fmt(value))}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def funnel_bars(*, title: str, steps: Sequence[tuple[str, int]]) -> SafeString:
    """Horizontal bars of a funnel (label, count), widths relative to the first step."""
    if not steps:
        return mark_safe("")
    label_w, plot_w, value_w, bar_h = 160, 360, 80, 26
    width, height = label_w + plot_w + value_w, len(steps) * (bar_h + 8) + 4
    top_value = max((n for _l, n in steps), default=0) or 1
    desc = "; ".join(f"{label}: {number_format(n, 0, force_grouping=True)}" for label, n in steps)
    parts = _svg_open("funnel", width, height, title, desc)
    for i, (label, n) in enumerate(steps):
        y = 4 + i * (bar_h + 8)
        w = max(plot_w * n / top_value, 1)
        parts.append(
            f'<text class="chart-label" x="{label_w - 8}" y="{y + bar_h / 2 + 4:.1f}" '
            f'text-anchor="end">{escape(label)}</text>'
            f'<rect class="chart-step chart-step-{i}" x="{label_w}" y="{y}" width="{w:.1f}" '
            f'height="{bar_h}"/>'
            f'<text class="chart-value" x="{label_w + w + 6:.1f}" y="{y + bar_h / 2 + 4:.1f}">'
            f"{escape(number_format(n, 0, force_grouping=True))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
