"""The maps of a director's report: census IPM choropleths and location maps, print-ready."""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _

from oferta.insights.map_layers import map_layer_values
from oferta.territories import selectors as territories
from oferta.territories.maps import NODATA, choropleth_svg, svg_map
from oferta.territories.models import TerritoryLevel
from oferta.territories.selectors import Territory

from .content import Column, MapFigure, Section, Source
from .sections import SOURCE_CENSUS, SOURCE_MGN, SOURCE_PDET
from .svgprint import choropleth_css, static_css, svg_with_css, zoom_to

MAPS_CSS = "territories/maps.css"
COLOUR_ON = "#c0392b"
COLOUR_OFF = "#cfd8e3"
_LOCATION_CSS = (
    f"path{{stroke:#ffffff;stroke-width:.02;fill:{COLOUR_OFF}}}path.on{{fill:{COLOUR_ON}}}"
    "path.dept{fill:none;stroke:#56657a;stroke-width:.04}"
    f".on{{fill:{COLOUR_ON}}}.off{{fill:{COLOUR_OFF}}}text{{font-size:12px;fill:#1f2933}}"
)


def _legend_svg(entries: list[tuple[str, str]], css: str) -> str:
    """One swatch (a rect of CSS class ``css_class``) and its label per entry."""
    row = 18
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 {row * len(entries) + 4}" '
        f'width="640" height="{row * len(entries) + 4}">'
    ]
    for i, (css_class, label) in enumerate(entries):
        y = 2 + i * row
        parts.append(
            f'<rect class="{css_class}" x="0" y="{y}" width="22" height="13" '
            f'stroke="#8894a3" stroke-width="1"/>'
            f'<text x="30" y="{y + 11}" font-size="12" fill="#1f2933">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return svg_with_css("".join(parts), css)


def _names(department_codes: list[str]) -> dict[str, tuple[str, str]]:
    """code → (municipality, department) for the municipalities of these departments."""
    departments = dict(territories.department_options())
    return {
        m.code: (m.name, departments.get(code, code))
        for code in department_codes
        for m in territories.department_municipalities(department_code=code)
    }


def _choropleth(
    *,
    title: str,
    values: dict[str, Any],
    source: Source | None,
    department_codes: list[str],
    zoom_prefix: str = "",
) -> MapFigure:
    figure = choropleth_svg(
        values=values, level="municipality", title=title, unit="%", link_pattern=None
    )
    svg, zoom = zoom_to(str(figure.svg), zoom_prefix) if zoom_prefix else (str(figure.svg), 1.0)
    css = choropleth_css(static_css(MAPS_CSS), figure.scale_class, zoom=zoom)
    classes = {}
    legend = []
    for item in figure.legend:
        label = (
            _("Sin dato o fuera del territorio")
            if item.css_class == NODATA
            else f"{item.label} ({item.count})"
        )
        legend.append(label)
        if item.lower is not None:
            classes[item.css_class] = item.label
    names = _names(department_codes)
    breaks = list(figure.breaks)
    rows = []
    for code, value in sorted(values.items()):
        if value is None:
            continue
        index = sum(1 for b in breaks if value > b)
        municipality, department = names.get(code, (code, ""))
        rows.append([code, municipality, department, value, classes.get(f"q{index}", "")])
    return MapFigure(
        title=title,
        svg=svg_with_css(svg, css),
        legend_svg=_legend_svg(
            [(item.css_class, text) for item, text in zip(figure.legend, legend, strict=True)],
            css + "text{stroke:none}",
        ),
        legend=legend,
        sources=[s for s in (source,) if s],
        note=str(figure.method),
        values=Section(
            key=_("Mapa"),
            title=title,
            columns=[
                Column(_("Código"), "code"),
                Column(_("Municipio"), "text"),
                Column(_("Departamento"), "text"),
                Column(_("IPM censal 2018 (%)"), "percent"),
                Column(_("Clase del mapa"), "text"),
            ],
            rows=rows,
            source=source,
            period="2018",
            note=str(figure.method),
        ),
    )


def _location(
    *, title: str, highlighted: list[str], on_label: str, off_label: str, sources: list[Source]
) -> MapFigure:
    svg = svg_map(highlighted=highlighted, title=title)
    return MapFigure(
        title=title,
        svg=svg_with_css(str(svg), _LOCATION_CSS),
        legend_svg=_legend_svg([("on", on_label), ("off", off_label)], _LOCATION_CSS),
        legend=[on_label, off_label],
        sources=sources,
        note=_("Límites: DANE, MGN 2018 (simplificados)."),
    )


def report_maps(territory: Territory, user: Any, refs: dict[str, Source]) -> list[MapFigure]:
    """Nation: census IPM of every municipality and the PDET municipalities. Department: census
    IPM of its municipalities. Municipality: where it is, and its department's census IPM."""
    census = map_layer_values(key="census:total", level="municipality", user=user).values
    census_source = refs.get(SOURCE_CENSUS)
    mgn = [s for s in (refs.get(SOURCE_MGN),) if s]
    if territory.level == TerritoryLevel.NATION:
        departments = [code for code, _name in territories.department_options()]
        return [
            _choropleth(
                title=_("IPM censal 2018 por municipio (% de personas)"),
                values=census,
                source=census_source,
                department_codes=departments,
            ),
            _location(
                title=_("Municipios PDET (Decreto-Ley 893 de 2017)"),
                highlighted=territories.pdet_codes(),
                on_label=_("Municipio PDET"),
                off_label=_("Otro municipio"),
                sources=mgn + [s for s in (refs.get(SOURCE_PDET),) if s],
            ),
        ]
    department = territory.department_code
    choropleth = _choropleth(
        title=_("IPM censal 2018 en %(department)s (%% de personas)")
        % {"department": territory.department_name},
        values={code: v for code, v in census.items() if code.startswith(department)},
        source=census_source,
        department_codes=[department],
        zoom_prefix=department,
    )
    if territory.level == TerritoryLevel.DEPARTMENT:
        return [choropleth]
    location = _location(
        title=territory.label,
        highlighted=[territory.code],
        on_label=territory.name,
        off_label=_("Resto del país"),
        sources=mgn,
    )
    return [location, choropleth]
