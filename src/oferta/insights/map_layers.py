"""The indicators the national map can paint, and their values by municipality or department.

Official figures (census IPM, survey IPM and deprivations, monetary poverty) are public to
every signed-in user. Registry-derived layers (poor households, deprivation shares) are shown
for the territories the user may read
(:func:`oferta.insights.access.user_can_read_territory_registry`); other units are "sin dato".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oferta.territories.models import DataSource, Figure, TerritoryLevel
from oferta.territories.selectors import DEPRIVATION_LABELS
from oferta.territories.services import SOURCE_CENSUS_IPM

from .access import NATION_CODE, registry_territory_codes, user_can_read_territory_registry
from .models import MunicipalIndicatorGap, MunicipalRegistrySummary
from .priorities import PRESET_LABELS, priority_ranking, priority_values

MUNICIPALITY = "municipality"
DEPARTMENT = "department"
LEVEL_LABELS = {
    MUNICIPALITY: gettext_lazy("Municipios"),
    DEPARTMENT: gettext_lazy("Departamentos"),
}
DEFAULT_LAYER = "census:total"


@dataclass(frozen=True, slots=True)
class MapLayer:
    key: str
    label: str
    group: str
    levels: tuple[str, ...]
    unit: str = "%"
    decimals: int = 1


@dataclass(slots=True)
class LayerValues:
    layer: MapLayer
    level: str
    values: dict[str, Decimal | float | None]
    period: str = ""
    sources: list[tuple[str, str, date | None]] = field(default_factory=list)  # title, who, date
    notes: list[str] = field(default_factory=list)


def _registry_loaded() -> bool:
    return MunicipalRegistrySummary.objects.exists()


def _registry_indicators() -> list[str]:
    present = set(MunicipalIndicatorGap.objects.values_list("indicator", flat=True).distinct())
    return [code for code in DEPRIVATION_LABELS if code in present]


def map_layers(*, user: Any) -> list[MapLayer]:
    """Every layer the map offers this user, grouped for the selector."""
    official = str(_("Cifras oficiales (DANE)"))
    deprivations = str(_("Privaciones IPM de la ECV, por departamento (% de hogares)"))
    layers = [
        MapLayer(
            "census:total", _("IPM censal 2018, total (% de personas)"), official, (MUNICIPALITY,)
        ),
        MapLayer("census:urban", _("IPM censal 2018, cabeceras"), official, (MUNICIPALITY,)),
        MapLayer(
            "census:rural",
            _("IPM censal 2018, centros poblados y rural disperso"),
            official,
            (MUNICIPALITY,),
        ),
        MapLayer(
            "survey:ipm", _("IPM de la ECV, último año (% de personas)"), official, (DEPARTMENT,)
        ),
        MapLayer(
            "monetary:monetary_poverty",
            _("Pobreza monetaria, último año (% de personas)"),
            official,
            (DEPARTMENT,),
        ),
        MapLayer(
            "monetary:extreme_monetary_poverty",
            _("Pobreza monetaria extrema, último año (% de personas)"),
            official,
            (DEPARTMENT,),
        ),
    ]
    survey_codes = set(
        Figure.objects.filter(
            territory_level=TerritoryLevel.DEPARTMENT, indicator__startswith="deprivation:"
        )
        .values_list("indicator", flat=True)
        .distinct()
    )
    layers += [
        MapLayer(f"deprivation:{code}", str(label), deprivations, (DEPARTMENT,))
        for code, label in DEPRIVATION_LABELS.items()
        if f"deprivation:{code}" in survey_codes
    ]
    if _registry_loaded() and _registry_scope(user) != set():
        registry = str(_("Registro de hogares (% de hogares del registro)"))
        layers.append(
            MapLayer(
                "registry:poor",
                _("Hogares en pobreza multidimensional"),
                registry,
                (MUNICIPALITY, DEPARTMENT),
            )
        )
        layers.append(
            MapLayer(
                "registry:extreme",
                _("Hogares en pobreza monetaria extrema"),
                registry,
                (MUNICIPALITY, DEPARTMENT),
            )
        )
        layers += [
            MapLayer(
                f"registry_deprivation:{code}",
                _("Privación: %(label)s") % {"label": DEPRIVATION_LABELS[code]},
                registry,
                (MUNICIPALITY, DEPARTMENT),
            )
            for code in _registry_indicators()
        ]
    priority = str(_("Índice de priorización (0–100)"))
    layers += [
        MapLayer(f"priority:{key}", str(label), priority, (MUNICIPALITY,), unit="", decimals=1)
        for key, label in PRESET_LABELS.items()
    ]
    return layers


def _registry_scope(user: Any) -> set[str] | None:
    """Codes whose registry figures ``user`` may read: None = all; else departments (2 digits)
    and municipalities (5 digits)."""
    return registry_territory_codes(user=user)


def _in_scope(code: str, scope: set[str] | None) -> bool:
    return scope is None or code in scope or code[:2] in scope


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _source_tuple(source: DataSource | None) -> list[tuple[str, str, date | None]]:
    return [(source.title, source.publisher, source.release_date)] if source else []


def _census(zone: str) -> dict[str, Decimal | float | None]:
    return dict(
        Figure.objects.filter(
            indicator="ipm_census", zone=zone, territory_level=TerritoryLevel.MUNICIPALITY
        ).values_list("territory_code", "value")
    )


def _department_latest(indicator: str) -> tuple[int | None, dict[str, Decimal], set[int]]:
    from .priorities import latest_department_figure

    return latest_department_figure(indicator)


def _registry_values(kind: str, level: str, user: Any) -> tuple[dict[str, Any], list[str]]:
    scope = _registry_scope(user)
    parts: dict[str, list[int]] = {}
    if kind.startswith("registry_deprivation:"):
        indicator = kind.split(":", 1)[1]
        households = dict(
            MunicipalRegistrySummary.objects.values_list("municipality_code", "households")
        )
        for code, deprived in MunicipalIndicatorGap.objects.filter(indicator=indicator).values_list(
            "municipality_code", "households_deprived"
        ):
            parts[code] = [deprived, households.get(code, 0)]
    else:
        field_name = "households_poor" if kind == "registry:poor" else "households_extreme_poor"
        for code, part, whole in MunicipalRegistrySummary.objects.values_list(
            "municipality_code", field_name, "households"
        ):
            parts[code] = [part, whole]
    parts = {c: v for c, v in parts.items() if _in_scope(c, scope)}
    if level == DEPARTMENT:
        summed: dict[str, list[int]] = {}
        for code, (part, whole) in parts.items():
            acc = summed.setdefault(code[:2], [0, 0])
            acc[0] += part
            acc[1] += whole
        if scope is not None:
            summed = {c: v for c, v in summed.items() if c in scope}
        parts = summed
    notes = []
    if scope is not None:
        notes.append(
            _("Solo se muestran los territorios de su alcance; los demás aparecen «sin dato».")
        )
    return {code: _percent(part, whole) for code, (part, whole) in parts.items()}, notes


def map_layer_values(*, key: str, level: str, user: Any) -> LayerValues:
    """The values of layer ``key`` at ``level`` (falling back to a level the layer has).

    Raises ``KeyError`` for a layer this user is not offered.
    """
    layers = {layer.key: layer for layer in map_layers(user=user)}
    layer = layers[key]
    notes: list[str] = []
    if level not in layer.levels:
        notes.append(
            _("Este indicador solo está disponible por %(level)s.")
            % {"level": str(LEVEL_LABELS[layer.levels[0]]).lower()}
        )
        level = layer.levels[0]
    result = LayerValues(layer=layer, level=level, values={}, notes=notes)
    kind, _sep, detail = key.partition(":")
    if kind == "census":
        result.values = _census(detail)
        result.period = "2018"
        result.sources = _source_tuple(DataSource.objects.filter(code=SOURCE_CENSUS_IPM).first())
    elif kind in ("survey", "monetary", "deprivation"):
        indicator = {"survey": "ipm_survey", "monetary": detail}.get(kind, key)
        year, values, source_ids = _department_latest(indicator)
        result.values = dict(values)
        result.period = str(year or "")
        result.sources = [
            (s.title, s.publisher, s.release_date)
            for s in DataSource.objects.filter(pk__in=source_ids).order_by("-release_date")
        ]
        if kind == "monetary":
            result.notes.append(
                _(
                    "La GEIH publica pobreza monetaria para 23 departamentos y Bogotá; los demás "
                    "aparecen «sin dato»."
                )
            )
    elif kind in ("registry", "registry_deprivation"):
        result.values, extra = _registry_values(key, level, user)
        result.notes += extra
        summary = MunicipalRegistrySummary.objects.aggregate(
            as_of=Max("registry_as_of"), refreshed=Max("refreshed_at")
        )
        when = summary["as_of"] or (
            timezone.localtime(summary["refreshed"]).date() if summary["refreshed"] else None
        )
        result.sources = [(str(_("Registro de hogares (agregados municipales)")), "", when)]
        result.period = when.isoformat() if when else ""
    elif kind == "priority":
        include_registry = user_can_read_territory_registry(user=user, code=NATION_CODE)
        ranking = priority_ranking(preset=detail, include_registry=include_registry)
        result.values = priority_values(ranking)
        result.period = timezone.localtime(ranking.computed_at).date().isoformat()
        result.sources = [(s.title, s.publisher, s.date) for s in ranking.sources]
        result.notes.append(
            _(
                "Índice con los pesos por defecto del preajuste; la clasificación y el método "
                "están en Prioridades."
            )
        )
    return result
