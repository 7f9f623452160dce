"""Small SVG bar charts for printed reports (explicit fills: no stylesheet needed)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape

BAR_COLOUR = "#2f6690"
HIGHLIGHT_COLOUR = "#c0392b"
AXIS_COLOUR = "#8a96a3"
TEXT_COLOUR = "#1f2933"

_WIDTH = 640
_LABEL_WIDTH = 210
_VALUE_WIDTH = 70
_ROW = 20
_TOP = 8


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: Decimal | int | float | None
    highlighted: bool = False


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart_svg(
    *, title: str, bars: list[Bar], unit: str = "%", decimals: int = 1, max_value: float = 0
) -> str:
    """A horizontal bar chart: one row per bar, its value written after the bar.

    Highlighted bars (the report's own territory) are drawn in a second colour. Bars without a
    value are listed with "—" so that a missing figure is never shown as zero.
    """
    values = [float(b.value) for b in bars if b.value is not None]
    top = max([max_value, *values, 1e-9])
    plot = _WIDTH - _LABEL_WIDTH - _VALUE_WIDTH
    height = _TOP * 2 + _ROW * len(bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" '
        f'width="{_WIDTH}" height="{height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>",
        f'<line x1="{_LABEL_WIDTH}" y1="{_TOP}" x2="{_LABEL_WIDTH}" y2="{height - _TOP}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>',
    ]
    for i, bar in enumerate(bars):
        y = _TOP + i * _ROW
        text_y = y + _ROW * 0.7
        weight = ' font-weight="bold"' if bar.highlighted else ""
        parts.append(
            f'<text x="{_LABEL_WIDTH - 6}" y="{text_y:.1f}" text-anchor="end" font-size="11" '
            f'fill="{TEXT_COLOUR}"{weight}>{escape(_short(bar.label))}</text>'
        )
        if bar.value is None:
            shown, length = "—", 0.0
        else:
            shown = number_format(bar.value, decimal_pos=decimals, use_l10n=True)
            shown = f"{shown} {unit}".strip()
            length = max(float(bar.value) / top * plot, 0.5)
        colour = HIGHLIGHT_COLOUR if bar.highlighted else BAR_COLOUR
        if length:
            parts.append(
                f'<rect x="{_LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" '
                f'height="{_ROW - 6}" fill="{colour}"/>'
            )
        parts.append(
            f'<text x="{_LABEL_WIDTH + length + 4:.1f}" y="{text_y:.1f}" font-size="11" '
            f'fill="{TEXT_COLOUR}"{weight}>{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
