"""IPM methods as data: DANE's survey (ECV) and census (CNPV) multidimensional poverty indices.

A method is a frozen value: its dimensions, its indicators (each with an exact rational weight
and the parameters of its deprivation rule) and the options that settle the edge cases DANE's
published texts leave open. :mod:`oferta.engine.diagnostics.indicators` turns a method into
Polars expressions; nothing here touches data.

Sources (see ``docs/ipm-method.md``): [S2] Angulo, Díaz, Pardo (DNP 2011), Archivos de Economía
382; [S3] the R replication of DANE's syntax "Algoritmo DANE IPM.R" (jmeza-data/
Repositorio_Calculo_IPM, commit 3d4cc9a1); [S5] DANE microdata documentation (IHSN 5302);
[S6] DANE 2024 release (22-abr-2025).

Example
-------
>>> method = METHODS["dane-ecv-2018"]
>>> [i.code for i in method.indicators][:2]
['low_educational_attainment', 'illiteracy']
>>> sum(i.weight for i in method.indicators)
Fraction(1, 1)
>>> method.unit_denominator
100
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Final, Literal

from oferta.engine.contracts.registry_v1 import TOILETS, WATER_SOURCES

RuleKind = Literal[
    "mean_schooling_below",
    "any_member_cannot_read_write",
    "any_child_not_attending_school",
    "any_child_lagging_in_school",
    "any_young_child_without_services",
    "any_child_working",
    "any_long_term_unemployed",
    "any_informal_worker",
    "any_member_uninsured",
    "any_unattended_health_need",
    "code_in_set_by_zone",
    "persons_per_room",
    "persons_per_employed",
]

DEFAULT_K: Final[Fraction] = Fraction(33, 100)


@dataclass(frozen=True, slots=True)
class Dimension:
    """A dimension of the index; its weight is the sum of its indicators' weights."""

    code: str
    name_es: str
    weight: Fraction


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """One deprivation indicator: code, dimension, exact weight and its rule's parameters.

    Parameters
    ----------
    code
        Engine code (``deprived_<code>`` is the output column).
    dimension
        Code of the :class:`Dimension` it belongs to.
    weight
        Exact rational weight (``Fraction("0.04")``).
    name_es
        DANE's Spanish name.
    rule
        Which rule of :mod:`~oferta.engine.diagnostics.indicators` computes it.
    min_age, max_age
        Inclusive age range (completed years) of the members the rule looks at.
    threshold
        The rule's number: years of schooling (9), months unemployed (12; for informal work,
        the months that move an unemployed member out of the informality population because
        long-term unemployment counts them, None for none), persons per room (3), persons per
        employed member (3), or the school-lag offset (6: lagging when
        ``years_of_schooling < age - 6``).
    column
        Household column read by ``code_in_set_by_zone``.
    urban_codes, rural_codes
        Codes of ``column`` that deprive in urban (cabecera) and rural (centros poblados y rural
        disperso) households.
    urban_inclusive, rural_inclusive
        For ratio rules: deprived at ``ratio >= threshold`` (inclusive) or ``ratio > threshold``.
    source
        Where the rule comes from.
    """

    code: str
    dimension: str
    weight: Fraction
    name_es: str
    rule: RuleKind
    min_age: int | None = None
    max_age: int | None = None
    threshold: int | None = None
    column: str | None = None
    urban_codes: frozenset[str] = frozenset()
    rural_codes: frozenset[str] = frozenset()
    urban_inclusive: bool = True
    rural_inclusive: bool = True
    source: str = ""


@dataclass(frozen=True, slots=True)
class MethodOptions:
    """Edge cases that DANE's texts leave open (UNCONFIRMED against DANE's own syntax).

    Defaults follow the R replication of DANE's syntax [S3] unless stated.

    Parameters
    ----------
    no_adult_education_deprived
        A household with no member aged 15 or more is deprived in both education indicators
        (DANE's own text for illiteracy [S5]; [S3] for both). Default True.
    working_age_min
        Minimum age of the working-age population (PET) for the work indicators. Default 12.
    no_active_member_unemployment_deprived
        A household with no economically active member (no PEA) is deprived in long-term
        unemployment [S3]. Default True.
    all_pensioner_unemployment_deprived
        When the previous option applies, an all-pensioner household (no PEA) is deprived too
        ([S3]; doubtful). Default True; set False to exempt it.
    informal_excludes_child_workers
        Employed members younger than 18 are left out of the informality population (they count
        in child labour) [S3]. Default True.
    no_active_member_informal_deprived
        A household with no member in the informality population is deprived in informal work
        ([S3]: NA -> 1). Default True.
    all_pensioner_informal_exempt
        ... unless every member receives a pension, then not deprived [S3]. Default True.
    no_employed_dependency_deprived
        Census method: a household with no employed member is deprived in high economic
        dependency. Default True.
    missing_answer_deprives
        A null answer to an optional question (``health_need_attended``,
        ``early_childhood_care_adequate``, ``early_childhood_nutrition_adequate``) counts as
        the deprived answer. Default False: only an explicit "no" deprives.
    """

    no_adult_education_deprived: bool = True
    working_age_min: int = 12
    no_active_member_unemployment_deprived: bool = True
    all_pensioner_unemployment_deprived: bool = True
    informal_excludes_child_workers: bool = True
    no_active_member_informal_deprived: bool = True
    all_pensioner_informal_exempt: bool = True
    no_employed_dependency_deprived: bool = True
    missing_answer_deprives: bool = False


@dataclass(frozen=True, slots=True)
class IpmMethod:
    """A named, versioned IPM method: dimensions, indicators and options.

    Example
    -------
    >>> m = METHODS["dane-cnpv-2018"]
    >>> m.indicator("high_economic_dependency").weight
    Fraction(1, 10)
    """

    code: str
    name_es: str
    indicators: tuple[IndicatorSpec, ...]
    dimensions: tuple[Dimension, ...]
    options: MethodOptions = field(default_factory=MethodOptions)
    source: str = ""

    def __post_init__(self) -> None:
        dims = {d.code: d for d in self.dimensions}
        codes = [i.code for i in self.indicators]
        if len(set(codes)) != len(codes):
            raise ValueError(f"{self.code}: repeated indicator code")
        for ind in self.indicators:
            if ind.dimension not in dims:
                raise ValueError(f"{self.code}: {ind.code} has unknown dimension {ind.dimension}")
            if ind.weight <= 0:
                raise ValueError(f"{self.code}: {ind.code} must weigh more than 0")
        for d in self.dimensions:
            total = sum((i.weight for i in self.indicators if i.dimension == d.code), Fraction(0))
            if total != d.weight:
                raise ValueError(
                    f"{self.code}: indicators of {d.code} weigh {total}, not {d.weight}"
                )
        if sum((d.weight for d in self.dimensions), Fraction(0)) != 1:
            raise ValueError(f"{self.code}: dimension weights must add up to 1")

    @property
    def codes(self) -> tuple[str, ...]:
        """Indicator codes in order."""
        return tuple(i.code for i in self.indicators)

    @property
    def unit_denominator(self) -> int:
        """Least common denominator of the weights: scores are exact integers in these units."""
        return math.lcm(*(i.weight.denominator for i in self.indicators))

    def weight_units(self) -> dict[str, int]:
        """Each indicator's weight in units of ``1 / unit_denominator`` (exact integers)."""
        d = self.unit_denominator
        return {i.code: int(i.weight * d) for i in self.indicators}

    def indicator(self, code: str) -> IndicatorSpec:
        """The indicator with this code (KeyError if the method has none)."""
        for i in self.indicators:
            if i.code == code:
                return i
        raise KeyError(code)

    def with_options(self, **changes: Any) -> IpmMethod:
        """The same method with some options changed (a variant keeps the method's code).

        >>> strict = METHODS["dane-ecv-2018"].with_options(missing_answer_deprives=True)
        >>> strict.options.missing_answer_deprives
        True
        """
        return dataclasses.replace(self, options=dataclasses.replace(self.options, **changes))


def parse_k(text: str | Fraction | int) -> Fraction:
    """Parse a poverty cutoff exactly: ``"0.33"`` -> 33/100, ``"1/3"`` -> 1/3, ``"33%"`` -> 33/100.

    >>> parse_k("0.33"), parse_k("1/3"), parse_k("33%")
    (Fraction(33, 100), Fraction(1, 3), Fraction(33, 100))
    """
    if isinstance(text, Fraction | int):
        k = Fraction(text)
    else:
        raw = text.strip().replace(",", ".")
        try:
            k = Fraction(raw[:-1]) / 100 if raw.endswith("%") else Fraction(raw)
        except (ValueError, ZeroDivisionError) as exc:
            raise ValueError(f"k no válido: '{text}' (use 0.33, 1/3 o 33%)") from exc
    if not 0 < k <= 1:
        raise ValueError(f"k debe estar entre 0 (excluido) y 1: '{text}'")
    return k


# --------------------------------------------------------------------------- DANE methods

_S3 = "R-DANE 'Algoritmo DANE IPM.R' (replication of DANE's syntax, ECV)"
_FIFTH = Fraction(1, 5)

DIMENSIONS: Final[tuple[Dimension, ...]] = (
    Dimension("education", "Condiciones educativas del hogar", _FIFTH),
    Dimension("childhood_youth", "Condiciones de la niñez y la juventud", _FIFTH),
    Dimension("work", "Trabajo", _FIFTH),
    Dimension("health", "Salud", _FIFTH),
    Dimension(
        "housing", "Acceso a servicios públicos domiciliarios y condiciones de la vivienda", _FIFTH
    ),
)

_W_EDU = Fraction("0.10")
_W_CHILD = Fraction("0.05")
_W_WORK = Fraction("0.10")
_W_HEALTH = Fraction("0.10")
_W_HOUSING = Fraction("0.04")

# Urban: only the public aqueduct is adequate. Rural: the unimproved sources of [S3] (ECV P8530
# codes 4, 5, 6, 8, 9, 10). Code 10 is bottled or bagged water, so ``bottled_water`` deprives in
# rural areas as in [S3]; ``other`` does not: the sources without their own code in our contract
# are the ECV's communal aqueduct (2) and public standpipe (7), which [S3] treats as adequate.
_URBAN_WATER_DEPRIVED = frozenset(WATER_SOURCES) - {"aqueduct"}
_RURAL_WATER_DEPRIVED = frozenset(
    {
        "well_without_pump",
        "rainwater",
        "river_or_spring",
        "tanker_truck",
        "water_vendor",
        "bottled_water",
    }
)
_URBAN_TOILET_DEPRIVED = frozenset(TOILETS) - {"sewer"}
_RURAL_TOILET_DEPRIVED = frozenset({"no_connection", "bajamar", "none"})
_FLOORS_DEPRIVED = frozenset({"earth_sand"})
_RURAL_WALLS_DEPRIVED = frozenset({"guadua_cane_plant", "zinc_cloth_cardboard_waste", "none"})
_URBAN_WALLS_DEPRIVED = _RURAL_WALLS_DEPRIVED | {"rough_wood"}


def _shared_indicators() -> dict[str, IndicatorSpec]:
    return {
        "low_educational_attainment": IndicatorSpec(
            "low_educational_attainment",
            "education",
            _W_EDU,
            "Bajo logro educativo",
            "mean_schooling_below",
            min_age=15,
            threshold=9,
            source=f"{_S3}; El Tiempo 2021 (DANE definitions)",
        ),
        "illiteracy": IndicatorSpec(
            "illiteracy",
            "education",
            _W_EDU,
            "Analfabetismo",
            "any_member_cannot_read_write",
            min_age=15,
            source=f"DANE, IHSN 5302 variable ANALFABETISMO; {_S3}",
        ),
        "school_non_attendance": IndicatorSpec(
            "school_non_attendance",
            "childhood_youth",
            _W_CHILD,
            "Inasistencia escolar",
            "any_child_not_attending_school",
            min_age=6,
            max_age=16,
            source=_S3,
        ),
        "school_lag": IndicatorSpec(
            "school_lag",
            "childhood_youth",
            _W_CHILD,
            "Rezago escolar",
            "any_child_lagging_in_school",
            min_age=7,
            max_age=17,
            threshold=6,
            source=f"{_S3} (table: age 7 < 1 year ... age 17 < 11 years)",
        ),
        "early_childhood_barriers": IndicatorSpec(
            "early_childhood_barriers",
            "childhood_youth",
            _W_CHILD,
            "Barreras a servicios para cuidado de la primera infancia",
            "any_young_child_without_services",
            min_age=0,
            max_age=5,
            source=f"{_S3} (health, care and nutrition components)",
        ),
        "child_labour": IndicatorSpec(
            "child_labour",
            "childhood_youth",
            _W_CHILD,
            "Trabajo infantil",
            "any_child_working",
            min_age=12,
            max_age=17,
            source=_S3,
        ),
        "informal_work": IndicatorSpec(
            "informal_work",
            "work",
            _W_WORK,
            "Trabajo informal",
            "any_informal_worker",
            threshold=12,
            source=f"{_S3} (formal: employed and contributing to, or receiving, a pension)",
        ),
        "no_health_insurance": IndicatorSpec(
            "no_health_insurance",
            "health",
            _W_HEALTH,
            "Sin aseguramiento en salud",
            "any_member_uninsured",
            min_age=6,
            source=f"{_S3} (P6040 > 5; ages 0-5 fall under early childhood)",
        ),
        "health_access_barriers": IndicatorSpec(
            "health_access_barriers",
            "health",
            _W_HEALTH,
            "Barreras de acceso a servicios de salud",
            "any_unattended_health_need",
            source=f"{_S3} (P5665 == 1 & P8563 >= 3)",
        ),
        "no_improved_water": IndicatorSpec(
            "no_improved_water",
            "housing",
            _W_HOUSING,
            "Sin acceso a fuente de agua mejorada",
            "code_in_set_by_zone",
            column="water_source",
            urban_codes=_URBAN_WATER_DEPRIVED,
            rural_codes=_RURAL_WATER_DEPRIVED,
            source=f"{_S3} (urban: no public aqueduct; rural: P8530 in 4,5,6,8,9,10)",
        ),
        "inadequate_sanitation": IndicatorSpec(
            "inadequate_sanitation",
            "housing",
            _W_HOUSING,
            "Inadecuada eliminación de excretas",
            "code_in_set_by_zone",
            column="toilet",
            urban_codes=_URBAN_TOILET_DEPRIVED,
            rural_codes=_RURAL_TOILET_DEPRIVED,
            source=f"{_S3} (urban: no public sewer; rural: P8526 in 3,5,6)",
        ),
        "inadequate_floors": IndicatorSpec(
            "inadequate_floors",
            "housing",
            _W_HOUSING,
            "Material inadecuado de pisos",
            "code_in_set_by_zone",
            column="floor_material",
            urban_codes=_FLOORS_DEPRIVED,
            rural_codes=_FLOORS_DEPRIVED,
            source=f"{_S3} (P4015 == 7)",
        ),
        "inadequate_walls": IndicatorSpec(
            "inadequate_walls",
            "housing",
            _W_HOUSING,
            "Material inadecuado de paredes exteriores",
            "code_in_set_by_zone",
            column="wall_material",
            urban_codes=_URBAN_WALLS_DEPRIVED,
            rural_codes=_RURAL_WALLS_DEPRIVED,
            source=f"{_S3} (urban P4005 in 5,7,8,9,10; rural 7,8,9,10)",
        ),
        "critical_overcrowding": IndicatorSpec(
            "critical_overcrowding",
            "housing",
            _W_HOUSING,
            "Hacinamiento crítico",
            "persons_per_room",
            threshold=3,
            urban_inclusive=True,
            rural_inclusive=False,
            source=f"{_S3} (CLASE==1 & HAC>=3; CLASE==2 & HAC>3)",
        ),
    }


def _ordered(
    specs: Mapping[str, IndicatorSpec], work_indicator: IndicatorSpec
) -> tuple[IndicatorSpec, ...]:
    order = (
        "low_educational_attainment",
        "illiteracy",
        "school_non_attendance",
        "school_lag",
        "early_childhood_barriers",
        "child_labour",
        work_indicator.code,
        "informal_work",
        "no_health_insurance",
        "health_access_barriers",
        "no_improved_water",
        "inadequate_sanitation",
        "inadequate_floors",
        "inadequate_walls",
        "critical_overcrowding",
    )
    all_specs = {**specs, work_indicator.code: work_indicator}
    return tuple(all_specs[c] for c in order)


DANE_ECV_2018: Final[IpmMethod] = IpmMethod(
    code="dane-ecv-2018",
    name_es="IPM DANE, Encuesta Nacional de Calidad de Vida (serie oficial, 2018 en adelante)",
    indicators=_ordered(
        _shared_indicators(),
        IndicatorSpec(
            "long_term_unemployment",
            "work",
            _W_WORK,
            "Desempleo de larga duración",
            "any_long_term_unemployed",
            threshold=12,
            source=f"{_S3} (unemployed and searching >= 52 weeks)",
        ),
    ),
    dimensions=DIMENSIONS,
    source="DNP (Angulo, Díaz, Pardo 2011); DANE, boletines técnicos de pobreza multidimensional",
)


def _census_indicators() -> dict[str, IndicatorSpec]:
    specs = _shared_indicators()
    # The census has no long-term unemployment indicator, so no member leaves the informality
    # population for it (UNCONFIRMED: DANE's census syntax was not seen).
    specs["informal_work"] = dataclasses.replace(
        specs["informal_work"],
        threshold=None,
        source="DANE CNPV 2018 (adapted from the survey rule; UNCONFIRMED)",
    )
    return specs


DANE_CNPV_2018: Final[IpmMethod] = IpmMethod(
    code="dane-cnpv-2018",
    name_es="IPM DANE de fuente censal (CNPV 2018, medida municipal)",
    indicators=_ordered(
        _census_indicators(),
        IndicatorSpec(
            "high_economic_dependency",
            "work",
            _W_WORK,
            "Alta tasa de dependencia económica",
            "persons_per_employed",
            threshold=3,
            urban_inclusive=False,
            rural_inclusive=False,
            source="DANE, Medida de pobreza multidimensional municipal de fuente censal 2018",
        ),
    ),
    dimensions=DIMENSIONS,
    source="DANE, CNPV 2018: medida de pobreza multidimensional municipal de fuente censal",
)

METHODS: Final[dict[str, IpmMethod]] = {m.code: m for m in (DANE_ECV_2018, DANE_CNPV_2018)}
