"""Server-rendered SVG map of Colombia's municipal units, with some of them highlighted."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

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
    return _Base(view_box, municipalities, departments_svg)


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
