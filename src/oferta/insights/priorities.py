"""Prioritisation of municipalities (technical assistance, service fairs): the components read
from the database, the engine's index, and the XLSX export (public API for pages and reports).

The method (normalisation, weights, missing values, ties) is the engine's
(:mod:`oferta.engine.prioritisation.index`); this module only gathers each component per
municipality and says where each one comes from. Definitions: docs/insights.md.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

import polars as pl
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oferta.engine.prioritisation import (
    PRESETS,
    SCORE_SUFFIX,
    WEIGHT_SUFFIX,
    IndexSpec,
    priority_index,
)
from oferta.territories.models import DataSource, Figure, Municipality, TerritoryLevel
from oferta.territories.services import SOURCE_CENSUS_IPM, SOURCE_PDET

from .models import (
    CapacityUpload,
    InstitutionalCapacity,
    MunicipalIndicatorGap,
    MunicipalRegistrySummary,
)

# Spanish labels shown on pages (the engine's TOML labels are the same text, untranslated).
PRESET_LABELS = {
    "asistencia_tecnica": gettext_lazy(
        "Asistencia técnica (Marco de Lucha contra la Pobreza Extrema)"
    ),
    "ferias": gettext_lazy("Ferias de servicio (#UnDíadeEquidad)"),
}
COMPONENT_LABELS = {
    "ipm_census": gettext_lazy("IPM censal 2018"),
    "poor_persons": gettext_lazy("Personas en pobreza multidimensional (registro)"),
    "monetary_poverty_department": gettext_lazy("Pobreza monetaria del departamento"),
    "pdet": gettext_lazy("Municipio PDET"),
    "institutional_capacity": gettext_lazy("Capacidad institucional"),
    "unmet_need": gettext_lazy("Necesidad no cubierta (enrutamiento)"),
}
COMPONENT_UNITS = {
    "ipm_census": "%",
    "poor_persons": gettext_lazy("personas"),
    "monetary_poverty_department": "%",
    "pdet": "",
    "institutional_capacity": gettext_lazy("puntos"),
    "unmet_need": gettext_lazy("privaciones"),
}
REGISTRY_COMPONENTS = frozenset({"poor_persons", "unmet_need"})
DIRECTION_LABELS = {
    "higher": gettext_lazy("mayor valor, mayor prioridad"),
    "lower": gettext_lazy("menor valor, mayor prioridad"),
}
NORMALISATION_LABELS = {
    "minmax": gettext_lazy("mín–máx a 0–100"),
    "percentile": gettext_lazy("percentil (posición) 0–100"),
}
DEFAULT_PRESET = "asistencia_tecnica"


def preset_choices() -> list[tuple[str, str]]:
    return [(key, str(PRESET_LABELS.get(key, spec.label))) for key, spec in PRESETS.items()]


@dataclass(frozen=True, slots=True)
class ComponentValue:
    key: str
    raw: float | None
    score: float | None
    weight: float  # the weight applied to this municipality (0–1, after renormalisation)


@dataclass(frozen=True, slots=True)
class ComponentInfo:
    """One component as the method table shows it."""

    key: str
    label: str
    unit: str
    direction: str
    direction_label: str
    normalisation: str
    normalisation_label: str
    weight_entered: float  # relative, as in the preset or as typed
    weight: float  # renormalised to sum 1
    units_with_data: int
    source: str


@dataclass(frozen=True, slots=True)
class SourceInfo:
    title: str
    publisher: str
    date: date | datetime | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class PriorityRow:
    rank: int
    rank_in_department: int
    code: str
    name: str
    department_code: str
    department_name: str
    is_pdet: bool
    index: float | None
    coverage: float
    components: tuple[ComponentValue, ...]


@dataclass(frozen=True, slots=True)
class PriorityRanking:
    """A ranking with everything needed to explain it: the spec used, each component's
    normalisation and weight, the sources and their dates."""

    preset: str
    preset_label: str
    spec: IndexSpec
    components: tuple[ComponentInfo, ...]
    rows: tuple[PriorityRow, ...]
    sources: tuple[SourceInfo, ...]
    department_code: str | None
    department_name: str
    computed_at: datetime
    notes: tuple[str, ...]
    ranked_units: int  # units ranked nationally (the department filter keeps national ranks)


# --------------------------------------------------------------------------- components


def _census_ipm() -> dict[str, float]:
    rows = Figure.objects.filter(
        indicator="ipm_census", zone="total", territory_level=TerritoryLevel.MUNICIPALITY
    ).values_list("territory_code", "value")
    return {code: float(value) for code, value in rows}


def latest_department_figure(indicator: str) -> tuple[int | None, dict[str, Decimal], set[int]]:
    """The latest year of a departmental indicator (zone total), its values by department (the
    newest release of each figure winning) and the ids of the sources used."""
    rows = list(
        Figure.objects.filter(
            indicator=indicator, zone="total", territory_level=TerritoryLevel.DEPARTMENT
        ).values_list("territory_code", "year", "value", "source_id", "source__release_date")
    )
    if not rows:
        return None, {}, set()
    year = max(r[1] for r in rows)
    best: dict[str, tuple[date, Decimal, int]] = {}
    for code, y, value, source_id, released in rows:
        if y != year:
            continue
        released = released or date.min
        if code not in best or released > best[code][0]:
            best[code] = (released, value, source_id)
    return year, {c: v[1] for c, v in best.items()}, {v[2] for v in best.values()}


def _registry_poor_persons() -> dict[str, float]:
    return {
        code: float(n)
        for code, n in MunicipalRegistrySummary.objects.values_list(
            "municipality_code", "persons_poor"
        )
    }


def _unmet_need() -> dict[str, float]:
    rows = (
        MunicipalIndicatorGap.objects.filter(unmet_need__isnull=False)
        .values("municipality_code")
        .annotate(total=Sum("unmet_need"))
    )
    return {r["municipality_code"]: float(r["total"]) for r in rows}


def _capacity() -> dict[str, float]:
    return {
        code: float(score)
        for code, score in InstitutionalCapacity.objects.values_list("municipality_code", "score")
    }


def _source(code: str) -> DataSource | None:
    return DataSource.objects.filter(code=code).first()


def _source_info(source: DataSource | None, note: str = "") -> SourceInfo | None:
    if source is None:
        return None
    return SourceInfo(source.title, source.publisher, source.release_date, note)


# --------------------------------------------------------------------------- ranking


class _Unit(NamedTuple):
    code: str
    name: str
    department_id: str
    department_name: str
    is_pdet: bool


def priority_ranking(
    *,
    preset: str,
    weights: Mapping[str, float] | None = None,
    department_code: str | None = None,
    include_registry: bool = True,
) -> PriorityRanking:
    """Rank the municipalities (the 20 áreas no municipalizadas are left out: they have no
    municipal government to assist or host a fair) by the index of ``preset``.

    ``weights`` replaces some of the preset's relative weights (component key → number ≥ 0;
    renormalised to sum 1). Normalisation is national; ``department_code`` keeps only that
    department's municipalities, with their national rank and their rank in the department.
    ``include_registry=False`` leaves out the registry-derived components (persons in poverty,
    unmet need) for users who may not read the national registry figures. Raises ``ValueError``
    for an unknown preset, an unknown component or an invalid weight.
    """
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}")
    spec = PRESETS[preset].with_weights(weights or {})
    monetary_year, monetary, monetary_sources = latest_department_figure("monetary_poverty")
    # Plain tuples, not model instances: building 1,102 instances doubles the selector's time.
    municipalities = [
        _Unit(*row)
        for row in Municipality.objects.filter(is_non_municipalized=False)
        .order_by("code")
        .values_list("code", "name", "department_id", "department__name", "is_pdet")
    ]
    census = _census_ipm()
    poor = _registry_poor_persons() if include_registry else {}
    unmet = _unmet_need() if include_registry else {}
    capacity = _capacity()
    frame = pl.DataFrame(
        {
            "code": [m.code for m in municipalities],
            "ipm_census": [census.get(m.code) for m in municipalities],
            "poor_persons": [poor.get(m.code) for m in municipalities],
            "monetary_poverty_department": [
                float(monetary[m.department_id]) if m.department_id in monetary else None
                for m in municipalities
            ],
            "pdet": [1.0 if m.is_pdet else 0.0 for m in municipalities],
            "institutional_capacity": [capacity.get(m.code) for m in municipalities],
            "unmet_need": [unmet.get(m.code) for m in municipalities],
        },
        schema={"code": pl.String, **dict.fromkeys(spec.keys, pl.Float64)},
    )
    ranked = priority_index(frame, spec)
    by_code = {m.code: m for m in municipalities}
    in_department: dict[str, int] = defaultdict(int)
    rows: list[PriorityRow] = []
    for record in ranked.iter_rows(named=True):
        m = by_code[record["code"]]
        in_department[m.department_id] += 1
        if department_code and m.department_id != department_code:
            continue
        rows.append(
            PriorityRow(
                rank=record["rank"],
                rank_in_department=in_department[m.department_id],
                code=m.code,
                name=m.name,
                department_code=m.department_id,
                department_name=m.department_name,
                is_pdet=m.is_pdet,
                index=record["index"],
                coverage=record["coverage"],
                components=tuple(
                    ComponentValue(
                        key=k,
                        raw=record[k],
                        score=record[k + SCORE_SUFFIX],
                        weight=record[k + WEIGHT_SUFFIX],
                    )
                    for k in spec.keys
                ),
            )
        )

    with_data = {k: int(frame[k].is_not_null().sum()) for k in spec.keys}
    registry_as_of = MunicipalRegistrySummary.objects.aggregate(
        as_of=Max("registry_as_of"), refreshed=Max("refreshed_at")
    )
    gaps_refreshed = MunicipalIndicatorGap.objects.filter(unmet_need__isnull=False).aggregate(
        refreshed=Max("refreshed_at")
    )["refreshed"]
    latest_upload = CapacityUpload.objects.first()
    census_source = _source(SOURCE_CENSUS_IPM)
    monetary_source = (
        DataSource.objects.filter(pk__in=monetary_sources).order_by("-release_date").first()
    )
    source_text = {
        "ipm_census": _("DANE, CNPV 2018 (IPM municipal de fuente censal), total"),
        "poor_persons": (
            _("Registro de hogares cargado (personas en hogares con IPM ≥ k)")
            if include_registry
            else _("No disponible con su alcance: solo para usuarios con alcance nacional")
        ),
        "monetary_poverty_department": (
            _("DANE, GEIH: incidencia de pobreza monetaria del departamento, %(year)s")
            % {"year": monetary_year}
            if monetary_year
            else _("Sin cifras de pobreza monetaria cargadas")
        ),
        "pdet": _("Decreto-Ley 893 de 2017 (170 municipios PDET)"),
        "institutional_capacity": (
            _("Carga «%(file)s» (%(source)s)")
            % {"file": latest_upload.file_name, "source": latest_upload.source}
            if latest_upload
            else _("Sin carga de capacidad institucional")
        ),
        "unmet_need": (
            _(
                "Último enrutamiento de cada municipio: suma, sobre los indicadores, de los "
                "hogares pobres con la privación que quedaron sin oferta"
            )
            if include_registry
            else _("No disponible con su alcance: solo para usuarios con alcance nacional")
        ),
    }
    normalised_weights = spec.weights
    components = tuple(
        ComponentInfo(
            key=c.key,
            label=str(COMPONENT_LABELS.get(c.key, c.label)),
            unit=str(COMPONENT_UNITS.get(c.key, "")),
            direction=c.direction,
            direction_label=str(DIRECTION_LABELS[c.direction]),
            normalisation=c.normalisation,
            normalisation_label=str(NORMALISATION_LABELS[c.normalisation]),
            weight_entered=c.weight,
            weight=normalised_weights[c.key],
            units_with_data=with_data[c.key],
            source=source_text.get(c.key, ""),
        )
        for c in spec.components
    )

    sources = [
        _source_info(census_source, _("IPM censal 2018 por municipio")),
        _source_info(
            monetary_source,
            _("Pobreza monetaria departamental, año %(year)s") % {"year": monetary_year}
            if monetary_year
            else "",
        ),
        _source_info(_source(SOURCE_PDET), _("Municipios PDET")),
    ]
    if include_registry and registry_as_of["refreshed"]:
        sources.append(
            SourceInfo(
                _("Registro de hogares (agregados municipales)"),
                _("Prosperidad Social"),
                registry_as_of["as_of"] or registry_as_of["refreshed"],
                _("Agregados actualizados el %(date)s")
                % {"date": timezone.localtime(registry_as_of["refreshed"]).date().isoformat()},
            )
        )
    if include_registry and gaps_refreshed:
        sources.append(
            SourceInfo(
                _("Enrutamiento: necesidad no cubierta por municipio e indicador"),
                _("Prosperidad Social"),
                gaps_refreshed,
            )
        )
    if latest_upload:
        sources.append(
            SourceInfo(
                _("Capacidad institucional: %(file)s") % {"file": latest_upload.file_name},
                latest_upload.source,
                latest_upload.uploaded_at,
                _("%(n)s municipios en la carga") % {"n": latest_upload.rows},
            )
        )

    notes = []
    for info in components:
        if info.units_with_data == 0 and info.weight > 0:
            notes.append(
                _("«%(label)s» no tiene datos: su peso se reparte entre los demás componentes.")
                % {"label": info.label}
            )
    department_name = ""
    if department_code:
        first = next((m for m in municipalities if m.department_id == department_code), None)
        department_name = first.department_name if first else department_code
    return PriorityRanking(
        preset=preset,
        preset_label=str(PRESET_LABELS.get(preset, spec.label)),
        spec=spec,
        components=components,
        rows=tuple(rows),
        sources=tuple(s for s in sources if s is not None),
        department_code=department_code or None,
        department_name=department_name,
        computed_at=timezone.now(),
        notes=tuple(notes),
        ranked_units=len(municipalities),
    )


def priority_values(ranking: PriorityRanking) -> dict[str, Decimal | float | None]:
    """Municipality code → index, for a choropleth."""
    return {row.code: row.index for row in ranking.rows}


# --------------------------------------------------------------------------- XLSX


def _cell_date(value: date | datetime | None) -> object:
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def priority_ranking_xlsx(ranking: PriorityRanking) -> bytes:
    """The ranking as a workbook: sheets «Clasificación» (every row with each component's raw
    value, 0–100 score and applied weight), «Método» (normalisation, direction and weights)
    and «Fuentes» (sources with their dates)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Clasificación")
    header = [
        _("Puesto nacional"),
        _("Puesto en el departamento"),
        _("Código DIVIPOLA"),
        _("Municipio"),
        _("Departamento"),
        _("PDET"),
        _("Índice (0–100)"),
        _("Cobertura del peso"),
    ]
    for info in ranking.components:
        header += [
            f"{info.label}: {_('valor')}",
            f"{info.label}: {_('puntaje 0–100')}",
            f"{info.label}: {_('peso aplicado')}",
        ]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = bold
    for row in ranking.rows:
        values: list[object] = [
            row.rank,
            row.rank_in_department,
            row.code,
            row.name,
            row.department_name,
            _("Sí") if row.is_pdet else _("No"),
            row.index,
            row.coverage,
        ]
        for component in row.components:
            values += [component.raw, component.score, component.weight]
        sheet.append(values)
    sheet.freeze_panes = "E2"
    for column, width in zip("ABCDEFGH", (10, 12, 10, 28, 22, 6, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width

    method = book.create_sheet(_("Método"))
    method.append([_("Preajuste"), ranking.preset_label])
    method.append(
        [
            _("Ámbito"),
            ranking.department_name or _("Nacional"),
        ]
    )
    method.append([_("Calculado el"), _cell_date(ranking.computed_at)])
    method.append([_("Municipios clasificados (nacional)"), ranking.ranked_units])
    method.append([])
    method.append(
        [
            _("Componente"),
            _("Clave"),
            _("Dirección"),
            _("Normalización"),
            _("Peso ingresado"),
            _("Peso normalizado"),
            _("Municipios con dato"),
            _("Fuente"),
        ]
    )
    for cell in method[method.max_row]:
        cell.font = bold
    for info in ranking.components:
        method.append(
            [
                info.label,
                info.key,
                info.direction_label,
                info.normalisation_label,
                info.weight_entered,
                info.weight,
                info.units_with_data,
                info.source,
            ]
        )
    method.append([])
    for line in method_lines():
        method.append([line])
    for note in ranking.notes:
        method.append([note])
    method.column_dimensions["A"].width = 48
    method.column_dimensions["H"].width = 60

    sources = book.create_sheet(_("Fuentes"))
    sources.append([_("Fuente"), _("Entidad"), _("Fecha"), _("Nota")])
    for cell in sources[1]:
        cell.font = bold
    for source in ranking.sources:
        sources.append([source.title, source.publisher, _cell_date(source.date), source.note])
    sources.column_dimensions["A"].width = 70
    sources.column_dimensions["B"].width = 24
    sources.column_dimensions["C"].width = 14
    sources.column_dimensions["D"].width = 50

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def method_lines() -> list[str]:
    """The method in plain Spanish, as the page and the workbook show it."""
    return [
        _(
            "Normalización: cada componente se lleva a 0–100 entre los municipios con dato. "
            "Mín–máx: 0 al menor valor y 100 al mayor; percentil: la posición del municipio "
            "(los empates comparten posición). Si todos tienen el mismo valor, todos reciben 50."
        ),
        _(
            "Dirección: en «menor valor, mayor prioridad» (capacidad institucional) el puntaje "
            "se invierte: 100 − puntaje."
        ),
        _(
            "Pesos: se reescalan para sumar 1. Índice = suma de peso × puntaje (0–100); "
            "1 = mayor prioridad."
        ),
        _(
            "Datos faltantes: si un municipio no tiene un componente, su peso se reparte entre "
            "los componentes que sí tiene (la cobertura indica qué parte del peso tiene dato)."
        ),
        _(
            "Empates: se ordenan por código DIVIPOLA ascendente. Las 20 áreas no "
            "municipalizadas no se clasifican (no tienen alcaldía)."
        ),
    ]
