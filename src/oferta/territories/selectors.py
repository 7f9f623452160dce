"""Reads of territories: search, one territory with its figures, and options for filters."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from oferta.core.errors import ObjectNotFound

from .dane_annex import DEPRIVATION_CODES
from .models import DataSource, Department, Figure, Municipality, TerritoryLevel
from .names import normalize_key

NATION_CODE = "CO"

DEPRIVATION_LABELS = {
    "low_educational_attainment": _("Bajo logro educativo"),
    "illiteracy": _("Analfabetismo"),
    "school_non_attendance": _("Inasistencia escolar"),
    "school_lag": _("Rezago escolar"),
    "early_childhood_barriers": _("Barreras a servicios para cuidado de la primera infancia"),
    "child_labour": _("Trabajo infantil"),
    "long_term_unemployment": _("Desempleo de larga duración"),
    "informal_work": _("Trabajo informal"),
    "no_health_insurance": _("Sin aseguramiento en salud"),
    "health_access_barriers": _("Barreras de acceso a servicios de salud"),
    "no_improved_water": _("Sin acceso a fuente de agua mejorada"),
    "inadequate_sanitation": _("Inadecuada eliminación de excretas"),
    "inadequate_floors": _("Material inadecuado de pisos"),
    "inadequate_walls": _("Material inadecuado de paredes exteriores"),
    "critical_overcrowding": _("Hacinamiento crítico"),
    "high_economic_dependency": _("Alta tasa de dependencia económica"),
}
assert set(DEPRIVATION_CODES.values()) <= set(DEPRIVATION_LABELS)


@dataclass(frozen=True, slots=True)
class Territory:
    code: str
    level: str  # TerritoryLevel value
    name: str
    label: str
    department_code: str = ""
    department_name: str = ""
    area_km2: Decimal | None = None
    creation_act: str = ""
    is_pdet: bool = False
    pdet_subregion: str = ""
    is_non_municipalized: bool = False


@dataclass(frozen=True, slots=True)
class SourceRef:
    code: str
    title: str
    publisher: str
    release_date: date | None


@dataclass(frozen=True, slots=True)
class ZoneValues:
    """One row of a table by zone: a year (or indicator) with total, urban and rural."""

    key: str
    label: str
    total: Decimal | None = None
    urban: Decimal | None = None
    rural: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CensusIpm:
    total: Decimal | None
    urban: Decimal | None
    rural: Decimal | None
    rank: int | None  # 1 = highest IPM among municipalities (None for an área no municipalizada)
    of: int  # number of municipalities
    rank_all: int | None  # 1 = highest IPM among all municipal units (with the áreas)
    of_all: int
    source: SourceRef | None
    rank_department: int | None = None  # 1 = highest IPM among the department's units
    of_department: int = 0


@dataclass(frozen=True, slots=True)
class MonetaryRow:
    year: int
    poverty: Decimal | None
    extreme_poverty: Decimal | None
    poverty_line: Decimal | None
    extreme_poverty_line: Decimal | None


@dataclass(slots=True)
class TerritoryFigures:
    """Figures of one territory, grouped the way the detail page shows them.

    ``figures_of`` says whose figures the survey and monetary sections are: a municipality
    shows its department's (DANE publishes the survey and GEIH series by department only).
    """

    territory: Territory
    figures_of: Territory | None = None
    census: CensusIpm | None = None
    survey_ipm: list[ZoneValues] = field(default_factory=list)
    survey_source: SourceRef | None = None
    deprivation_years: list[int] = field(default_factory=list)
    deprivations: list[tuple[str, list[Decimal | None]]] = field(default_factory=list)
    deprivations_latest: list[ZoneValues] = field(default_factory=list)
    monetary: list[MonetaryRow] = field(default_factory=list)
    monetary_source: SourceRef | None = None


# --------------------------------------------------------------------------- territories


def _department_territory(d: Department) -> Territory:
    return Territory(
        code=d.code,
        level=TerritoryLevel.DEPARTMENT,
        name=d.name,
        label=d.name,
        department_code=d.code,
        department_name=d.name,
        area_km2=d.area_km2,
    )


def _municipality_territory(m: Municipality) -> Territory:
    return Territory(
        code=m.code,
        level=TerritoryLevel.MUNICIPALITY,
        name=m.name,
        label=f"{m.name} ({m.department.name})",
        department_code=m.department_id,
        department_name=m.department.name,
        area_km2=m.area_km2,
        creation_act=m.creation_act,
        is_pdet=m.is_pdet,
        pdet_subregion=m.pdet_subregion,
        is_non_municipalized=m.is_non_municipalized,
    )


def _nation() -> Territory:
    name = str(_("Colombia"))
    return Territory(code=NATION_CODE, level=TerritoryLevel.NATION, name=name, label=name)


def territory_get(*, code: str) -> Territory:
    """The department, municipality or nation ("CO") with this code; ObjectNotFound if none."""
    code = (code or "").strip().upper()
    if code == NATION_CODE:
        return _nation()
    if len(code) == 2 and code.isdigit():
        department = Department.objects.filter(code=code).first()
        if department:
            return _department_territory(department)
    if len(code) == 5 and code.isdigit():
        municipality = Municipality.objects.select_related("department").filter(code=code).first()
        if municipality:
            return _municipality_territory(municipality)
    raise ObjectNotFound(code)


def territory_label(code: str) -> str:
    """Display label of a code: "Uribia (La Guajira)", "La Guajira", "Colombia"; else the code."""
    try:
        return territory_get(code=code).label
    except ObjectNotFound:
        return code


def territory_search(*, query: str, limit: int = 20) -> list[Territory]:
    """Departments and municipalities whose name (accents and case ignored) or code matches.

    Departments come first, then names starting with the query, then the rest by name.
    """
    key = normalize_key(query)
    if not key:
        return []
    digits = key.replace(" ", "")
    hits: list[tuple[tuple[int, int, str], Territory]] = []
    for d in Department.objects.all():
        name_key = normalize_key(d.name)
        if key in name_key or (digits.isdigit() and d.code.startswith(digits)):
            hits.append(
                ((0, 0 if name_key.startswith(key) else 1, name_key), _department_territory(d))
            )
    for m in Municipality.objects.select_related("department"):
        name_key = normalize_key(m.name)
        if key in name_key or (digits.isdigit() and m.code.startswith(digits)):
            rank = 0 if name_key.startswith(key) or m.code == digits else 1
            hits.append(((1, rank, name_key), _municipality_territory(m)))
    hits.sort(key=lambda h: h[0])
    return [t for _key, t in hits[:limit]]


def department_options() -> list[tuple[str, str]]:
    """(code, name) of every department, by name, for a filter select."""
    return [(d.code, d.name) for d in Department.objects.order_by("name")]


def municipality_options(department_code: str) -> list[tuple[str, str]]:
    """(code, name) of the municipal units of a department, by name."""
    return list(
        Municipality.objects.filter(department_id=department_code)
        .order_by("name")
        .values_list("code", "name")
    )


@dataclass(frozen=True, slots=True)
class DepartmentSummary:
    code: str
    name: str
    municipalities: int
    pdet: int
    census_min: Decimal | None
    census_max: Decimal | None
    survey_ipm: Decimal | None
    survey_year: int | None


def department_summaries() -> list[DepartmentSummary]:
    """Every department with its municipal census IPM range and its latest survey IPM."""
    census: dict[str, list[Decimal]] = defaultdict(list)
    for code, value in Figure.objects.filter(
        indicator="ipm_census", zone="total", territory_level=TerritoryLevel.MUNICIPALITY
    ).values_list("territory_code", "value"):
        census[code[:2]].append(value)
    survey = _latest(
        Figure.objects.filter(
            indicator="ipm_survey", zone="total", territory_level=TerritoryLevel.DEPARTMENT
        )
    )
    latest_survey: dict[str, tuple[int, Decimal]] = {}
    for (code, _ind, _zone, year), (value, _src) in survey.items():
        if code not in latest_survey or year > latest_survey[code][0]:
            latest_survey[code] = (year, value)
    rows = Department.objects.annotate(
        n=Count("municipalities"),
        n_pdet=Count("municipalities", filter=Q(municipalities__is_pdet=True)),
    ).order_by("name")
    return [
        DepartmentSummary(
            code=d.code,
            name=d.name,
            municipalities=d.n,
            pdet=d.n_pdet,
            census_min=min(census[d.code]) if census[d.code] else None,
            census_max=max(census[d.code]) if census[d.code] else None,
            survey_ipm=latest_survey.get(d.code, (None, None))[1],
            survey_year=latest_survey.get(d.code, (None, None))[0],
        )
        for d in rows
    ]


# --------------------------------------------------------------------------- figures


def _latest(queryset) -> dict[tuple[str, str, str, int], tuple[Decimal, int]]:
    """(code, indicator, zone, year) -> (value, source id), the latest release winning.

    DANE revises published series; every release is stored, and a page shows the newest.
    """
    best: dict[tuple[str, str, str, int], tuple[Decimal, int, date]] = {}
    rows = queryset.values_list(
        "territory_code", "indicator", "zone", "year", "value", "source_id", "source__release_date"
    )
    for code, indicator, zone, year, value, source_id, released in rows:
        key = (code, indicator, zone, year)
        released = released or date.min
        if key not in best or released > best[key][2]:
            best[key] = (value, source_id, released)
    return {k: (v[0], v[1]) for k, v in best.items()}


def _source_ref(source_ids: set[int]) -> SourceRef | None:
    source = DataSource.objects.filter(pk__in=source_ids).order_by("-release_date").first()
    if source is None:
        return None
    return SourceRef(source.code, source.title, source.publisher, source.release_date)


def _census(territory: Territory) -> CensusIpm | None:
    rows = list(
        Figure.objects.filter(
            indicator="ipm_census",
            territory_level=TerritoryLevel.MUNICIPALITY,
            territory_code=territory.code,
        ).values_list("zone", "value", "source_id")
    )
    if not rows:
        return None
    values = {zone: value for zone, value, _s in rows}
    all_units = Figure.objects.filter(
        indicator="ipm_census", territory_level=TerritoryLevel.MUNICIPALITY, zone="total"
    )
    areas = Municipality.objects.filter(is_non_municipalized=True).values_list("code", flat=True)
    municipalities = all_units.exclude(territory_code__in=list(areas))
    # Within the department every municipal unit counts (áreas no municipalizadas included):
    # that is the list a departmental team works through.
    department_units = all_units.filter(territory_code__startswith=territory.department_code)
    total = values.get("total")
    rank = rank_all = rank_department = None
    if total is not None:
        rank_all = all_units.filter(value__gt=total).count() + 1
        rank_department = department_units.filter(value__gt=total).count() + 1
        if not territory.is_non_municipalized:
            rank = municipalities.filter(value__gt=total).count() + 1
    return CensusIpm(
        total=total,
        urban=values.get("urban"),
        rural=values.get("rural"),
        rank=rank,
        of=municipalities.count(),
        rank_all=rank_all,
        of_all=all_units.count(),
        source=_source_ref({s for _z, _v, s in rows}),
        rank_department=rank_department,
        of_department=department_units.count(),
    )


def figures_for_territory(*, code: str) -> TerritoryFigures:
    """The figures to show for a territory: census IPM (municipalities), survey IPM series by
    zone and the deprivation rates (departments), monetary poverty and lines (departments and
    the nation). A municipality carries its department's survey and monetary figures."""
    territory = territory_get(code=code)
    result = TerritoryFigures(territory=territory)
    if territory.level == TerritoryLevel.MUNICIPALITY:
        result.census = _census(territory)
        owner = territory_get(code=territory.department_code)
    else:
        owner = territory
    result.figures_of = owner
    level = (
        TerritoryLevel.NATION if owner.level == TerritoryLevel.NATION else TerritoryLevel.DEPARTMENT
    )
    figures = _latest(Figure.objects.filter(territory_level=level, territory_code=owner.code))

    survey: dict[int, dict[str, Decimal]] = defaultdict(dict)
    deprivations: dict[str, dict[tuple[int, str], Decimal]] = defaultdict(dict)
    monetary: dict[int, dict[str, Decimal]] = defaultdict(dict)
    survey_sources: set[int] = set()
    monetary_sources: set[int] = set()
    for (_code, indicator, zone, year), (value, source_id) in figures.items():
        if indicator == "ipm_survey":
            survey[year][zone] = value
            survey_sources.add(source_id)
        elif indicator.startswith("deprivation:"):
            deprivations[indicator.split(":", 1)[1]][(year, zone)] = value
            survey_sources.add(source_id)
        elif (
            indicator
            in {
                "monetary_poverty",
                "extreme_monetary_poverty",
                "poverty_line",
                "extreme_poverty_line",
            }
            and zone == "total"
        ):
            monetary[year][indicator] = value
            monetary_sources.add(source_id)

    result.survey_ipm = [
        ZoneValues(str(y), str(y), v.get("total"), v.get("urban"), v.get("rural"))
        for y, v in sorted(survey.items())
    ]
    years = sorted({y for values in deprivations.values() for (y, _z) in values})
    result.deprivation_years = years
    ordered = [c for c in DEPRIVATION_LABELS if c in deprivations]
    result.deprivations = [
        (str(DEPRIVATION_LABELS[c]), [deprivations[c].get((y, "total")) for y in years])
        for c in ordered
    ]
    if years:
        last = years[-1]
        result.deprivations_latest = [
            ZoneValues(
                c,
                str(DEPRIVATION_LABELS[c]),
                deprivations[c].get((last, "total")),
                deprivations[c].get((last, "urban")),
                deprivations[c].get((last, "rural")),
            )
            for c in ordered
        ]
    result.survey_source = _source_ref(survey_sources)
    result.monetary = [
        MonetaryRow(
            year=y,
            poverty=v.get("monetary_poverty"),
            extreme_poverty=v.get("extreme_monetary_poverty"),
            poverty_line=v.get("poverty_line"),
            extreme_poverty_line=v.get("extreme_poverty_line"),
        )
        for y, v in sorted(monetary.items())
    ]
    result.monetary_source = _source_ref(monetary_sources)
    return result


@dataclass(frozen=True, slots=True)
class MunicipalityRow:
    code: str
    name: str
    is_pdet: bool
    pdet_subregion: str
    census_total: Decimal | None


def department_municipalities(*, department_code: str) -> list[MunicipalityRow]:
    """The municipal units of a department with their census IPM 2018 (total), by name."""
    census = dict(
        Figure.objects.filter(
            indicator="ipm_census",
            zone="total",
            territory_level=TerritoryLevel.MUNICIPALITY,
            territory_code__startswith=department_code,
        ).values_list("territory_code", "value")
    )
    return [
        MunicipalityRow(m.code, m.name, m.is_pdet, m.pdet_subregion, census.get(m.code))
        for m in Municipality.objects.filter(department_id=department_code).order_by("name")
    ]


def pdet_codes() -> list[str]:
    """Codes of the PDET municipalities (for the national map)."""
    return list(Municipality.objects.filter(is_pdet=True).values_list("code", flat=True))
