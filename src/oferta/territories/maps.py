"""Server-rendered SVG maps of Colombia: municipal units highlighted, and choropleths of an
indicator by municipality or department (no tiles, no CDN, no JavaScript needed)."""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Literal

from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .derive import MAP_JSON_PATH, TOPOJSON_PATH, map_geometry_build

NATION = "CO"


@dataclass(frozen=True, slots=True)
class _Base:
    view_box: str
    # (code, department code, "<path …" prefix up to the class attribute, rest of the element)
    municipalities: tuple[tuple[str, str, str, str], ...]
    departments_svg: str
    # choropleth pieces: (code, escaped label, ' d="…">') per municipality and per department
    municipality_units: tuple[tuple[str, str, str], ...]
    department_units: tuple[tuple[str, str, str], ...]


@cache
def _base() -> _Base:
    """Geometry prepared once per process: path elements cut where the class attribute goes."""
    if MAP_JSON_PATH.exists():
        geometry = json.loads(MAP_JSON_PATH.read_text(encoding="utf-8"))
    else:  # a checkout without the derived file: build it from the shipped TopoJSON
        geometry = map_geometry_build(json.loads(TOPOJSON_PATH.read_text(encoding="utf-8")))
    municipalities = tuple(
        (
            code,
            code[:2],
            f'<path data-code="{code}"',
            f' d="{d}"><title>{escape(label)}</title></path>',
        )
        for code, label, d in geometry["municipalities"]
    )
    departments_svg = "".join(
        f'<path class="dept" data-code="{code}" d="{d}"/>'
        for code, _name, d in geometry["departments"]
    )
    view_box = " ".join(f"{v:g}" for v in geometry["view_box"])
    municipality_units = tuple(
        (code, escape(label), f' d="{d}">') for code, label, d in geometry["municipalities"]
    )
    department_units = tuple(
        (code, escape(name), f' d="{d}">') for code, name, d in geometry["departments"]
    )
    return _Base(view_box, municipalities, departments_svg, municipality_units, department_units)


def _is_highlighted(code: str, department: str, wanted: set[str]) -> bool:
    return NATION in wanted or code in wanted or department in wanted


def svg_map(
    *, highlighted: Iterable[str], title: str = "", link_pattern: str | None = None
) -> SafeString:
    """An inline SVG of the 1,122 municipal units with ``highlighted`` ones in class "on".

    ``highlighted`` holds "CO" (the whole nation), 2-digit department codes (all their
    municipalities) or 5-digit municipality codes. ``link_pattern`` such as
    ``"/territorios/{code}/"`` makes each municipality a link.
    """
    base = _base()
    wanted = {str(c).strip() for c in highlighted}
    heading = title or _("Mapa de Colombia por municipios")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{base.view_box}" role="img" '
        f'aria-label="{escape(heading)}"><title>{escape(heading)}</title>'
        '<g class="mpios" fill-rule="evenodd">'
    ]
    for code, department, head, tail in base.municipalities:
        on = ' class="on"' if _is_highlighted(code, department, wanted) else ""
        if link_pattern:
            href = escape(link_pattern.replace("{code}", code))
            parts.append(f'<a href="{href}">{head}{on}{tail}</a>')
        else:
            parts.append(f"{head}{on}{tail}")
    parts.append(f'</g><g class="depts">{base.departments_svg}</g></svg>')
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped labels and our own paths


# --------------------------------------------------------------------------- choropleths

Level = Literal["municipality", "department"]
NODATA = "nodata"
MIN_CLASSES = 2
MAX_CLASSES = 7


@dataclass(frozen=True, slots=True)
class LegendClass:
    """One class of a choropleth legend: CSS class, value range, label and how many units."""

    css_class: str  # "q0" … "q6", or "nodata"
    label: str
    lower: Decimal | None
    upper: Decimal | None
    count: int


@dataclass(frozen=True, slots=True)
class Choropleth:
    """A rendered choropleth: the SVG, the class breaks and the legend (data classes first,
    then "sin dato"). ``scale_class`` ("k5") goes on the element holding the SVG and legend:
    the colour of ``qN`` depends on how many classes there are."""

    svg: SafeString
    title: str
    unit: str
    level: Level
    breaks: tuple[Decimal, ...]
    legend: tuple[LegendClass, ...]
    method: str

    @property
    def scale_class(self) -> str:
        return f"k{sum(1 for c in self.legend if c.css_class != NODATA)}"

    @property
    def units_with_data(self) -> int:
        return sum(c.count for c in self.legend if c.css_class != NODATA)

    @property
    def units_without_data(self) -> int:
        return sum(c.count for c in self.legend if c.css_class == NODATA)


def quantile_breaks(values: Iterable[Decimal], classes: int) -> tuple[Decimal, ...]:
    """Upper bounds of the first ``classes - 1`` quantile classes (nearest-rank method).

    With the ``n`` values sorted, break ``i`` (``i = 1 … classes-1``) is the value of rank
    ``ceil(i·n/classes)``. A unit belongs to the first class whose upper bound is ≥ its value
    (each break belongs to the class below it). Repeated breaks, and a break equal to the maximum,
    are dropped, so many equal values give fewer classes rather than empty ones.

    >>> quantile_breaks([Decimal(v) for v in range(1, 11)], 5)
    (Decimal('2'), Decimal('4'), Decimal('6'), Decimal('8'))
    """
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return ()
    breaks: list[Decimal] = []
    for i in range(1, classes):
        value = ordered[math.ceil(i * n / classes) - 1]
        if value < ordered[-1] and (not breaks or value > breaks[-1]):
            breaks.append(value)
    return tuple(breaks)


def _as_decimal(value: Decimal | float | int | None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return Decimal(str(value))


class NumberFormat:
    """The active locale's separators, read once per map (es-CO: "1.234,5")."""

    def __init__(self, decimals: int) -> None:
        self.decimal_sep = str(get_format("DECIMAL_SEPARATOR"))
        self.thousand_sep = str(get_format("THOUSAND_SEPARATOR"))
        self.decimals = decimals

    def __call__(self, value: Decimal) -> str:
        text = f"{value:,.{self.decimals}f}"  # "1,234.5"
        return (
            text.replace(",", "\x00")
            .replace(".", self.decimal_sep)
            .replace("\x00", self.thousand_sep)
        )


def _with_unit(number: str, unit: str) -> str:
    return f"{number} {unit}" if unit else number


def choropleth_svg(
    *,
    values: Mapping[str, Decimal | float | None],
    level: Level,
    title: str,
    unit: str,
    link_pattern: str | None,
    classes: int = 5,
    decimals: int = 1,
) -> Choropleth:
    """An inline SVG choropleth of ``values`` by municipality (1,122 units) or department (33).

    ``values`` maps DIVIPOLA codes (5 digits for municipalities, 2 for departments) to a number;
    units without a value, and codes not on the map, are left out of the class breaks; a unit
    of the map without a value is drawn in the "sin dato" class. Classes are quantiles (see
    :func:`quantile_breaks`): about the same number of units in each class, ``classes`` of them
    (2–7) unless ties leave fewer. Each unit is a ``<path>`` with CSS class ``q0`` (lowest
    values) … ``q{classes-1}`` or ``nodata`` and a ``<title>`` read on hover, such as
    "Uribia (La Guajira): 92,2 %" (numbers in the active locale's format); with
    ``link_pattern`` (``"/territorios/{code}/"``) each unit links to its profile. At municipal
    level the department outlines are drawn on top.
    """
    if not MIN_CLASSES <= classes <= MAX_CLASSES:
        raise ValueError(f"classes must be between {MIN_CLASSES} and {MAX_CLASSES}")
    if level not in ("municipality", "department"):
        raise ValueError(f"unknown level {level!r}")
    base = _base()
    units = base.municipality_units if level == "municipality" else base.department_units
    numbers = {}
    for code, raw in values.items():
        number = _as_decimal(raw)
        if number is not None:
            numbers[str(code)] = number
    on_map = [numbers[code] for code, _label, _d in units if code in numbers]
    breaks = quantile_breaks(on_map, classes)
    n_classes = len(breaks) + 1 if on_map else 0
    counts = [0] * n_classes
    missing = 0
    fmt = NumberFormat(decimals)
    no_data = escape(_("sin dato"))
    unit_text = escape(unit)
    heading = escape(title)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{base.view_box}" role="img" '
        f'aria-label="{heading}" class="choropleth"><title>{heading}</title>'
        f'<g class="units {level}" fill-rule="evenodd">'
    ]
    append = parts.append
    href = str(escape(link_pattern)) if link_pattern else ""  # codes are digits: escape once
    for code, label, d in units:
        number = numbers.get(code)
        if number is None:
            css = NODATA
            shown = no_data
            missing += 1
        else:
            index = bisect_left(breaks, number)
            counts[index] += 1
            css = f"q{index}"
            shown = _with_unit(fmt(number), unit_text)
        path = f'<path data-code="{code}" class="{css}"{d}<title>{label}: {shown}</title></path>'
        if href:
            append(f'<a href="{href.replace("{code}", code)}">{path}</a>')
        else:
            append(path)
    append("</g>")
    if level == "municipality":
        append(f'<g class="depts">{base.departments_svg}</g>')
    append("</svg>")

    legend: list[LegendClass] = []
    if on_map:
        bounds = [min(on_map), *breaks, max(on_map)]
        for i in range(n_classes):
            lower, upper = bounds[i], bounds[i + 1]
            text = fmt(lower) if lower == upper else f"{fmt(lower)} – {fmt(upper)}"
            legend.append(LegendClass(f"q{i}", _with_unit(text, unit), lower, upper, counts[i]))
    legend.append(LegendClass(NODATA, _("Sin dato"), None, None, missing))
    method = _(
        "Clases por cuantiles: cada clase reúne cerca del mismo número de unidades con dato; "
        "el límite superior de cada clase pertenece a ella."
    )
    return Choropleth(
        svg=mark_safe("".join(parts)),  # noqa: S308 - escaped labels and values, our own paths
        title=title,
        unit=unit,
        level=level,
        breaks=breaks,
        legend=tuple(legend),
        method=method,
    )
