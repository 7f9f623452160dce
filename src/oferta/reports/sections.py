"""The key figures and table sections of a director's report, each with its source and period."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _

from oferta.core.errors import ObjectNotFound
from oferta.insights import charts as insight_charts
from oferta.insights.access import user_can_read_territory_registry
from oferta.insights.priorities import DEFAULT_PRESET, priority_ranking
from oferta.insights.selectors import (
    TerritoryProfile,
    coverage_gaps,
    gaps_refreshed_at,
    missing_offer_ranking,
)
from oferta.referrals.selectors import linkage_funnel
from oferta.territories import selectors as territories
from oferta.territories.models import TerritoryLevel
from oferta.territories.selectors import Territory, TerritoryFigures

from . import charts
from .content import Column, KeyFigure, Section, Source, platform_source, source_of
from .selectors import source_refs
from .svgprint import static_css, svg_with_css

SOURCE_MGN = "dane-mgn-2018"
SOURCE_PDET = "decreto-ley-893-2017-pdet"
SOURCE_CENSUS = "dane-ipm-cnpv-2018"
CHART_LIMIT = 20  # bars in a ranking chart; the table lists every row
PRIORITY_LIMIT = 30  # municipalities of the national prioritisation table
INSIGHTS_CSS = "insights/insights.css"


class _Named(Protocol):
    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=_Named)


def reference_sources() -> dict[str, Source]:
    refs = source_refs(codes=[SOURCE_MGN, SOURCE_PDET, SOURCE_CENSUS])
    return {code: source for code, ref in refs.items() if (source := source_of(ref))}


def _chart(svg: Any) -> str:
    """A chart of the insights app, with its stylesheet inside for print."""
    return svg_with_css(str(svg), static_css(INSIGHTS_CSS)) if svg else ""


def _percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1")) if whole else None


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def _period(as_of: date | None) -> str:
    return as_of.isoformat() if as_of else ""


def _figures(
    pairs: Iterable[tuple[str, Any]], kind: str, period: str, source: Source | None
) -> list[KeyFigure]:
    """Key figures (label, value) of one kind, period and source."""
    return [KeyFigure(label, value, kind, period, source) for label, value in pairs]


def _catalogue_source(profile: TerritoryProfile) -> Source:
    return platform_source(
        title=_("oferta: catálogo de oferta social (cupos vigentes)"), as_of=profile.offer_as_of
    )


def _zone_columns() -> list[Column]:
    return [
        Column(_("Total (%)"), "percent"),
        Column(_("Cabeceras (%)"), "percent"),
        Column(_("Centros poblados y rural disperso (%)"), "percent"),
    ]


def _highest_first(items: Iterable[T], value: Callable[[T], Any]) -> list[T]:
    """Highest value first, items without a value last, ties by name."""
    return sorted(items, key=lambda x: (value(x) is None, -(value(x) or 0), x.name))


def _rank(index: int, value: Any) -> int | None:
    """The 1-based place in a ``_highest_first`` list; none for an item without a value."""
    return index + 1 if value is not None else None


def _highlighted(rows: Iterable[Any], code: str) -> set[int]:
    """The rows of the report's own territory."""
    return {i for i, r in enumerate(rows) if r.code == code}


def _territory_counts(refs: dict[str, Source], *, units: int, pdet: int) -> list[KeyFigure]:
    return [
        KeyFigure(_("Unidades municipales"), units, "count", "2018", refs.get(SOURCE_MGN)),
        KeyFigure(_("Municipios PDET"), pdet, "count", "2017", refs.get(SOURCE_PDET)),
    ]


# --------------------------------------------------------------------------- key figures


def survey_figures(figures: TerritoryFigures, of: str) -> list[KeyFigure]:
    out: list[KeyFigure] = []
    source = source_of(figures.survey_source)
    if figures.survey_ipm:
        latest = figures.survey_ipm[-1]
        out += _figures(
            [
                (_("IPM (ECV), total") + of, latest.total),
                (_("IPM (ECV), cabeceras") + of, latest.urban),
                (_("IPM (ECV), centros poblados y rural disperso") + of, latest.rural),
            ],
            "percent",
            latest.label,
            source,
        )
    if figures.monetary:
        row = figures.monetary[-1]
        source = source_of(figures.monetary_source)
        year = str(row.year)
        out += _figures(
            [
                (_("Pobreza monetaria") + of, row.poverty),
                (_("Pobreza monetaria extrema") + of, row.extreme_poverty),
            ],
            "percent",
            year,
            source,
        )
        out += _figures(
            [
                (_("Línea de pobreza (COP por persona al mes)") + of, row.poverty_line),
                (
                    _("Línea de pobreza extrema (COP por persona al mes)") + of,
                    row.extreme_poverty_line,
                ),
            ],
            "cop",
            year,
            source,
        )
    return out


def profile_figures(profile: TerritoryProfile) -> list[KeyFigure]:
    """Registry totals (when the requester's scope covers the territory) and the offer."""
    out: list[KeyFigure] = []
    registry = profile.registry
    if profile.registry_visible and registry is not None:
        as_of = registry.registry_as_of or _local_date(registry.refreshed_at)
        source = platform_source(title=_("oferta: registro de hogares (agregados)"), as_of=as_of)
        period = _period(as_of)
        out += [
            KeyFigure(_("Hogares en el registro"), registry.households, "count", period, source),
            KeyFigure(_("Personas en el registro"), registry.persons, "count", period, source),
            KeyFigure(
                _("Hogares en pobreza multidimensional (registro)"),
                registry.households_poor_percent,
                "percent",
                period,
                source,
                note=_("%(n)s hogares") % {"n": registry.households_poor},
            ),
            KeyFigure(
                _("Hogares en pobreza monetaria extrema (registro)"),
                _percent(registry.households_extreme_poor, registry.households),
                "percent",
                period,
                source,
                note=_("%(n)s hogares") % {"n": registry.households_extreme_poor},
            ),
        ]
    catalogue = _catalogue_source(profile)
    period = profile.offer_as_of.isoformat()
    out += [
        KeyFigure(
            _("Ofertas vigentes con cupos"), profile.offers_total, "count", period, catalogue
        ),
        KeyFigure(_("Cupos vigentes"), profile.places_total, "count", period, catalogue),
    ]
    return out


# --------------------------------------------------------------------------- rankings


def departments_ranking(refs: dict[str, Source]) -> tuple[Section, list[KeyFigure]]:
    """The departments by their latest survey IPM (DANE publishes no census IPM by department:
    their municipalities' range is shown), and the nation's counts."""
    summaries = territories.department_summaries()
    ordered = _highest_first(summaries, lambda d: d.survey_ipm)
    years = sorted({d.survey_year for d in summaries if d.survey_year})
    ipm_source = (
        source_of(territories.figures_for_territory(code=ordered[0].code).survey_source)
        if ordered
        else None
    )
    section = Section(
        key=_("Ranking departamentos"),
        title=_("Departamentos por IPM de la ECV (último año publicado)"),
        columns=[
            Column(_("Puesto"), "rank"),
            Column(_("Código"), "code"),
            Column(_("Departamento"), "text"),
            Column(_("IPM ECV (%)"), "percent"),
            Column(_("Año"), "year"),
            Column(_("IPM censal municipal mínimo (%)"), "percent"),
            Column(_("IPM censal municipal máximo (%)"), "percent"),
            Column(_("Unidades municipales"), "count"),
            Column(_("Municipios PDET"), "count"),
        ],
        rows=[
            [
                _rank(i, d.survey_ipm),
                d.code,
                d.name,
                d.survey_ipm,
                d.survey_year,
                d.census_min,
                d.census_max,
                d.municipalities,
                d.pdet,
            ]
            for i, d in enumerate(ordered)
        ],
        source=ipm_source,
        period=", ".join(str(y) for y in years),
        note=_(
            "El DANE no publica un IPM censal por departamento: se muestra el rango de sus "
            "municipios (CNPV 2018)."
        ),
        chart=charts.bar_chart_svg(
            title=_("IPM de la ECV por departamento (%)"),
            bars=[charts.Bar(d.name, d.survey_ipm) for d in ordered if d.survey_ipm is not None],
        ),
    )
    figures = [
        KeyFigure(_("Departamentos"), len(summaries), "count", "2018", refs.get(SOURCE_MGN)),
        *_territory_counts(
            refs,
            units=sum(d.municipalities for d in summaries),
            pdet=sum(d.pdet for d in summaries),
        ),
    ]
    if ordered and ordered[0].survey_ipm is not None:
        top = ordered[0]
        figures.append(
            KeyFigure(
                _("Mayor IPM departamental (ECV)"),
                top.survey_ipm,
                "percent",
                str(top.survey_year or ""),
                ipm_source,
                note=top.name,
            )
        )
    return section, figures


def municipalities_ranking(
    territory: Territory, figures: TerritoryFigures, refs: dict[str, Source]
) -> tuple[Section, list[KeyFigure]]:
    """The municipalities of the department by census IPM (the report's own one highlighted),
    and the key figures of the municipality or the department."""
    census_source = source_of(figures.census.source) if figures.census else refs.get(SOURCE_CENSUS)
    rows = territories.department_municipalities(department_code=territory.department_code)
    ordered = _highest_first(rows, lambda m: m.census_total)
    highlighted = _highlighted(ordered, territory.code)
    with_data = [(i, m) for i, m in enumerate(ordered) if m.census_total is not None]
    shown = with_data[:CHART_LIMIT] + [
        (i, m) for i, m in with_data[CHART_LIMIT:] if i in highlighted
    ]
    title = _("Municipios de %(department)s por IPM censal 2018") % {
        "department": territory.department_name
    }
    section = Section(
        key=_("Ranking municipios"),
        title=title,
        columns=[
            Column(_("Puesto en el departamento"), "rank"),
            Column(_("Código"), "code"),
            Column(_("Municipio"), "text"),
            Column(_("IPM censal 2018 (%)"), "percent"),
            Column(_("Subregión PDET"), "text"),
        ],
        rows=[
            [
                _rank(i, m.census_total),
                m.code,
                m.name,
                m.census_total,
                m.pdet_subregion if m.is_pdet else "",
            ]
            for i, m in enumerate(ordered)
        ],
        source=census_source,
        period="2018",
        highlighted=highlighted,
        chart=charts.bar_chart_svg(
            title=title + " (%)",
            bars=[charts.Bar(m.name, m.census_total, i in highlighted) for i, m in shown],
        ),
        note=(
            _("El gráfico muestra los %(n)s municipios de mayor IPM.") % {"n": CHART_LIMIT}
            if len(with_data) > CHART_LIMIT
            else ""
        ),
    )
    if territory.level == TerritoryLevel.MUNICIPALITY:
        return section, _census_figures(figures, census_source, territory, refs)
    key_figures = _territory_counts(refs, units=len(ordered), pdet=sum(m.is_pdet for m in ordered))
    if with_data:
        key_figures += [
            KeyFigure(label, m.census_total, "percent", "2018", census_source, note=m.name)
            for label, m in (
                (_("IPM censal municipal más alto"), with_data[0][1]),
                (_("IPM censal municipal más bajo"), with_data[-1][1]),
            )
        ]
    return section, key_figures


def _census_figures(
    figures: TerritoryFigures,
    source: Source | None,
    territory: Territory,
    refs: dict[str, Source],
) -> list[KeyFigure]:
    out: list[KeyFigure] = []
    census = figures.census
    if census is not None:
        out += _figures(
            [
                (_("IPM censal, total"), census.total),
                (_("IPM censal, cabecera"), census.urban),
                (_("IPM censal, centros poblados y rural disperso"), census.rural),
            ],
            "percent",
            "2018",
            source,
        )
        if census.rank is not None:
            out.append(
                KeyFigure(
                    _("Puesto nacional por IPM censal (1 = mayor pobreza)"),
                    census.rank,
                    "rank",
                    "2018",
                    source,
                    note=_("de %(of)s municipios") % {"of": census.of},
                )
            )
        if census.rank_department is not None:
            out.append(
                KeyFigure(
                    _("Puesto departamental por IPM censal (1 = mayor pobreza)"),
                    census.rank_department,
                    "rank",
                    "2018",
                    source,
                    note=_("de %(of)s unidades municipales de %(department)s")
                    % {"of": census.of_department, "department": territory.department_name},
                )
            )
    pdet = _("Sí") + f" · {territory.pdet_subregion}" if territory.is_pdet else _("No")
    out.append(KeyFigure(_("Municipio PDET"), pdet, "text", "2017", refs.get(SOURCE_PDET)))
    return out


def priority_section(territory: Territory, user: Any) -> Section:
    """The prioritisation index of the default preset: the top of the nation, or every
    municipality of the department (national ranks kept)."""
    department = None if territory.level == TerritoryLevel.NATION else territory.department_code
    ranking = priority_ranking(
        preset=DEFAULT_PRESET,
        department_code=department,
        include_registry=user_can_read_territory_registry(user=user, code="CO"),
    )
    rows = list(ranking.rows)
    if department is None:
        rows = rows[:PRIORITY_LIMIT]
    highlighted = _highlighted(rows, territory.code)
    computed = timezone.localtime(ranking.computed_at).date()
    sources = "; ".join(
        f"{s.title} ({s.publisher}{', ' + s.date.isoformat()[:10] if s.date else ''})"
        for s in ranking.sources
    )
    weights = ", ".join(f"{c.label} {c.weight:.0%}" for c in ranking.components)
    return Section(
        key=_("Priorización"),
        title=_("Ranking de priorización: %(preset)s") % {"preset": ranking.preset_label},
        columns=[
            Column(_("Puesto nacional"), "rank"),
            Column(_("Puesto en el departamento"), "rank"),
            Column(_("Código"), "code"),
            Column(_("Municipio"), "text"),
            Column(_("Departamento"), "text"),
            Column(_("PDET"), "text"),
            Column(_("Índice (0–100)"), "score"),
        ],
        rows=[
            [
                r.rank,
                r.rank_in_department,
                r.code,
                r.name,
                r.department_name,
                _("Sí") if r.is_pdet else _("No"),
                r.index,
            ]
            for r in rows
        ],
        source=platform_source(
            title=_("oferta: índice de priorización (preajuste por defecto)"), as_of=computed
        ),
        period=computed.isoformat(),
        highlighted=highlighted,
        note=" ".join(
            [
                _("Componentes y pesos: %(w)s.") % {"w": weights},
                _("Fuentes de los componentes: %(s)s.") % {"s": sources},
                *ranking.notes,
            ]
        )
        + (
            " " + _("Se muestran los %(n)s primeros municipios.") % {"n": PRIORITY_LIMIT}
            if department is None
            else ""
        ),
        chart=charts.bar_chart_svg(
            title=_("Índice de priorización (0–100)"),
            bars=[
                charts.Bar(r.name, r.index, r.code == territory.code) for r in rows[:CHART_LIMIT]
            ],
            unit="",
            max_value=100,
        ),
        empty_message=_("No hay municipios para priorizar."),
    )


# --------------------------------------------------------------------------- official series


def survey_section(figures: TerritoryFigures, of: str) -> Section | None:
    if not figures.survey_ipm:
        return None
    return Section(
        key=_("IPM ECV"),
        title=_("IPM de la Encuesta Nacional de Calidad de Vida (% de personas)") + of,
        columns=[
            Column(_("Año"), "year"),
            *_zone_columns(),
        ],
        rows=[[int(r.key), r.total, r.urban, r.rural] for r in figures.survey_ipm],
        source=source_of(figures.survey_source),
        period=f"{figures.survey_ipm[0].label}–{figures.survey_ipm[-1].label}",
        note=_("No es comparable con el IPM censal 2018."),
        chart=_chart(
            insight_charts.line_chart(
                title=_("IPM de la ECV por zona (% de personas)"), rows=figures.survey_ipm
            )
        ),
    )


def deprivations_section(figures: TerritoryFigures, of: str) -> Section | None:
    if not figures.deprivations_latest:
        return None
    year = str(figures.deprivation_years[-1])
    ordered = sorted(figures.deprivations_latest, key=lambda r: -(r.total or 0))
    return Section(
        key=_("Privaciones"),
        title=_("Privaciones por variable, %(year)s (%% de hogares)") % {"year": year} + of,
        columns=[
            Column(_("Variable"), "text"),
            *_zone_columns(),
        ],
        rows=[[r.label, r.total, r.urban, r.rural] for r in ordered],
        source=source_of(figures.survey_source),
        period=year,
        chart=_chart(
            insight_charts.bar_chart(
                title=_("Privaciones por zona, %(year)s (%% de hogares)") % {"year": year},
                rows=ordered,
            )
        ),
    )


def monetary_section(figures: TerritoryFigures, of: str) -> Section | None:
    if not figures.monetary:
        return None
    return Section(
        key=_("Pobreza monetaria"),
        title=_("Pobreza monetaria (GEIH)") + of,
        columns=[
            Column(_("Año"), "year"),
            Column(_("Pobreza monetaria (%)"), "percent"),
            Column(_("Pobreza monetaria extrema (%)"), "percent"),
            Column(_("Línea de pobreza (COP por persona al mes)"), "cop"),
            Column(_("Línea de pobreza extrema (COP por persona al mes)"), "cop"),
        ],
        rows=[
            [r.year, r.poverty, r.extreme_poverty, r.poverty_line, r.extreme_poverty_line]
            for r in figures.monetary
        ],
        source=source_of(figures.monetary_source),
        period=f"{figures.monetary[0].year}–{figures.monetary[-1].year}",
        chart=charts.bar_chart_svg(
            title=_("Pobreza monetaria por año (%)"),
            bars=[charts.Bar(str(r.year), r.poverty) for r in figures.monetary],
        ),
    )


# --------------------------------------------------------------------------- platform records


def gap_sections(territory: Territory, user: Any, profile: TerritoryProfile) -> list[Section]:
    """Coverage gaps per IPM indicator, where offer is missing, and the offer per indicator."""
    as_of = _local_date(gaps_refreshed_at(code=territory.code))
    period = _period(as_of)
    source = platform_source(
        title=_("oferta: necesidad (registro), oferta y remisiones por indicador"), as_of=as_of
    )
    try:
        gaps = coverage_gaps(code=territory.code, user=user)
        missing = missing_offer_ranking(code=territory.code, user=user, limit=20)
    except ObjectNotFound:
        gaps, missing = [], []
    no_registry = _(
        "No hay registro de hogares cargado para este territorio (o no está a su alcance)."
    )
    gaps_section = Section(
        key=_("Brechas"),
        title=_("Brechas de cobertura por indicador del IPM"),
        columns=[
            Column(_("Indicador"), "code"),
            Column(_("Privación"), "text"),
            Column(_("Hogares con la privación"), "count"),
            Column(_("De ellos, pobres"), "count"),
            Column(_("Cupos disponibles"), "count"),
            Column(_("Remitidos"), "count"),
            Column(_("Aceptados"), "count"),
            Column(_("Atendidos"), "count"),
            Column(_("Necesidad no cubierta (enrutamiento)"), "count"),
            Column(_("Brecha de disponibilidad"), "count"),
            Column(_("Brecha de acceso"), "count"),
            Column(_("Brecha de contacto"), "count"),
            Column(_("Brecha de efectividad"), "count"),
            Column(_("Cuello de botella"), "text"),
            Column(_("Cobertura (% atendidos)"), "percent"),
        ],
        rows=[
            [
                g.indicator,
                g.label,
                g.need,
                g.need_poor,
                g.supply,
                g.referred,
                g.accepted,
                g.served,
                g.unmet_need,
                g.availability,
                g.access,
                g.contact,
                g.effectiveness,
                g.bottleneck_label,
                g.coverage_percent,
            ]
            for g in gaps
        ],
        source=source,
        period=period,
        note=_(
            "Disponibilidad: hogares con la privación sin cupo; acceso: cupos no usados en "
            "remisiones; contacto: remitidos no aceptados; efectividad: aceptados no atendidos."
        ),
        chart=(
            charts.bar_chart_svg(
                title=_("Hogares con la privación sin cupo disponible"),
                bars=[charts.Bar(g.label, g.availability) for g in gaps[:CHART_LIMIT]],
                unit="",
                decimals=0,
            )
            if gaps
            else ""
        ),
        empty_message=no_registry,
    )
    missing_section = Section(
        key=_("Oferta faltante"),
        title=_("Dónde falta oferta y para qué privación"),
        columns=[
            Column(_("Código"), "code"),
            Column(_("Municipio"), "text"),
            Column(_("Privación"), "text"),
            Column(_("Hogares con la privación"), "count"),
            Column(_("De ellos, pobres"), "count"),
            Column(_("Cupos"), "count"),
            Column(_("Ofertas"), "count"),
            Column(_("Hogares sin cupo"), "count"),
        ],
        rows=[
            [
                m.municipality_code,
                m.municipality_name,
                m.label,
                m.need,
                m.need_poor,
                m.supply,
                m.offers,
                m.uncovered,
            ]
            for m in missing
        ],
        source=source,
        period=period,
        empty_message=no_registry,
    )
    offer = Section(
        key=_("Oferta"),
        title=_("Oferta vigente por indicador del IPM"),
        columns=[
            Column(_("Indicador"), "code"),
            Column(_("Privación que atiende"), "text"),
            Column(_("Ofertas"), "count"),
            Column(_("Cupos"), "count"),
        ],
        rows=[[r.indicator, r.label, r.offers, r.places] for r in profile.offer_by_indicator],
        source=_catalogue_source(profile),
        period=profile.offer_as_of.isoformat(),
        empty_message=_("No hay oferta vigente con cupos en este territorio."),
    )
    return [gaps_section, missing_section, offer]


def funnel_section(territory: Territory, user: Any, as_of: date) -> Section:
    by = {
        TerritoryLevel.NATION: "department",
        TerritoryLevel.DEPARTMENT: "municipality",
        TerritoryLevel.MUNICIPALITY: "offer",
    }[territory.level]
    code = None if territory.level == TerritoryLevel.NATION else territory.code
    funnel = linkage_funnel(user=user, by=by, territory_code=code)
    group_label = {
        "department": _("Departamento"),
        "municipality": _("Municipio"),
        "offer": _("Oferta"),
    }[by]

    stages = [
        ("identified", _("Identificados")),
        ("referred", _("Remitidos")),
        ("accepted", _("Aceptados")),
        ("enrolled", _("Vinculados")),
        ("served", _("Atendidos")),
    ]

    def row(r: Any, label: str, key: str) -> list[Any]:
        return [
            key,
            label,
            *(getattr(r, stage) for stage, _label in stages),
            _percent(r.enrolled, r.referred),
            r.median_days_to_enrolment,
        ]

    rows = [row(r, r.label, r.key) for r in funnel.rows]
    if rows:
        rows.append(row(funnel.total, _("Total"), ""))
    steps = [(label, getattr(funnel.total, stage)) for stage, label in stages]
    return Section(
        key=_("Embudo"),
        title=_("Embudo de vinculación efectiva por %(group)s") % {"group": group_label.lower()},
        columns=[
            Column(_("Código") if by != "offer" else _("Identificador"), "code"),
            Column(group_label, "text"),
            *(Column(label, "count") for _stage, label in stages),
            Column(_("Vinculación efectiva (% de remitidos)"), "percent"),
            Column(_("Mediana de días hasta la vinculación"), "days"),
        ],
        rows=rows,
        source=platform_source(
            title=_("oferta: remisiones y vinculación efectiva (corte a la fecha del informe)"),
            as_of=as_of,
        ),
        period=as_of.isoformat(),
        highlighted={len(rows) - 1} if rows else set(),
        chart=_chart(
            insight_charts.funnel_bars(title=_("Embudo de vinculación efectiva"), steps=steps)
        )
        if rows
        else "",
        note=_("Cuenta las remisiones que el solicitante del informe puede ver."),
        empty_message=_("Aún no hay remisiones de hogares de este territorio."),
    )
