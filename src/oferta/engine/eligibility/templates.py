"""Rule templates: CEL text for the common eligibility conditions, and a catalogue for the UI.

Every template returns a rule that passes :func:`~oferta.engine.eligibility.checker.check_rule`
in the scope it is meant for; combine them with :func:`all_of` / :func:`any_of`.

Example
-------
>>> sisben_between("A1", "B4")
'sisben_rank >= 1 && sisben_rank <= 9'
>>> all_of(sisben_between("A1", "B4"), in_territory(departments=["27"]))
'(sisben_rank >= 1 && sisben_rank <= 9) && (department_code in ["27"])'
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final, Literal

from .variables import ETHNICITIES, IPM_INDICATORS, PROGRAMS, SISBEN_GROUPS

__all__ = [
    "TEMPLATES",
    "Parameter",
    "Template",
    "age_band",
    "all_of",
    "any_of",
    "deprived_in",
    "ethnicity_any_of",
    "female_head",
    "has_member_in_age_band",
    "in_programs",
    "in_territory",
    "sisben_between",
    "victim",
    "with_disability",
]


def _quoted(values: Iterable[str]) -> str:
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def _nonempty(values: Iterable[str], what: str) -> list[str]:
    items = list(dict.fromkeys(values))
    if not items:
        raise ValueError(f"{what}: at least one value is needed")
    return items


def _closed(values: Iterable[str], allowed: tuple[str, ...], what: str) -> list[str]:
    items = _nonempty(values, what)
    unknown = [v for v in items if v not in allowed]
    if unknown:
        raise ValueError(f"{what}: unknown values {unknown}; allowed: {list(allowed)}")
    return items


def sisben_between(lowest: str, highest: str) -> str:
    """Sisbén IV groups from ``lowest`` to ``highest`` inclusive (e.g. ``"A1"`` to ``"B4"``).

    >>> sisben_between("C1", "C18")
    'sisben_rank >= 13 && sisben_rank <= 30'
    """
    low, high = (_closed([g], SISBEN_GROUPS, "sisben group")[0] for g in (lowest, highest))
    first, last = SISBEN_GROUPS.index(low) + 1, SISBEN_GROUPS.index(high) + 1
    if first > last:
        raise ValueError(f"sisben range: {lowest} is after {highest}")
    return f"sisben_rank >= {first} && sisben_rank <= {last}"


def in_programs(programs: Iterable[str]) -> str:
    """The household participates in any of ``programs`` (open list of codes).

    >>> in_programs(["renta_ciudadana", "unidos"])
    '["renta_ciudadana", "unidos"].exists(p, p in programs)'
    """
    items = _nonempty(programs, "programs")
    if len(items) == 1:
        return f"{json.dumps(items[0])} in programs"
    return f"{_quoted(items)}.exists(p, p in programs)"


def _age_condition(variable: str, minimum: int | None, maximum: int | None) -> str:
    parts = []
    if minimum is not None:
        parts.append(f"{variable}.age >= {int(minimum)}")
    if maximum is not None:
        parts.append(f"{variable}.age <= {int(maximum)}")
    if not parts:
        raise ValueError("age band: give a minimum, a maximum or both")
    if minimum is not None and maximum is not None and minimum > maximum:
        raise ValueError(f"age band: {minimum} > {maximum}")
    return " && ".join(parts)


def age_band(minimum: int | None = None, maximum: int | None = None) -> str:
    """The person evaluated is aged ``minimum`` to ``maximum`` inclusive (person rules).

    >>> age_band(14, 28)
    'person.age >= 14 && person.age <= 28'
    """
    return _age_condition("person", minimum, maximum)


def has_member_in_age_band(
    minimum: int | None = None, maximum: int | None = None, *, at_least: int = 1
) -> str:
    """The household has ``at_least`` members aged ``minimum`` to ``maximum`` (household rules).

    >>> has_member_in_age_band(maximum=5)
    'members.exists(m, m.age <= 5)'
    >>> has_member_in_age_band(6, 17, at_least=2)
    'members.filter(m, m.age >= 6 && m.age <= 17).size() >= 2'
    """
    condition = _age_condition("m", minimum, maximum)
    if at_least <= 1:
        return f"members.exists(m, {condition})"
    return f"members.filter(m, {condition}).size() >= {int(at_least)}"


def deprived_in(indicators: Iterable[str]) -> str:
    """The household is deprived in any of ``indicators`` (IPM codes).

    >>> deprived_in(["no_improved_water", "inadequate_sanitation"])
    'deprived_no_improved_water || deprived_inadequate_sanitation'
    """
    codes = _closed(indicators, IPM_INDICATORS, "indicators")
    return " || ".join(f"deprived_{code}" for code in codes)


Target = Literal["household", "person"]


def _member_flag(condition: str, target: Target) -> str:
    if target == "person":
        return condition.format(v="person")
    return f"members.exists(m, {condition.format(v='m')})"


def ethnicity_any_of(ethnicities: Iterable[str], *, target: Target = "household") -> str:
    """Differential approach: the person (or a member) belongs to any of ``ethnicities``.

    >>> ethnicity_any_of(["indigenous", "rrom"])
    'members.exists(m, m.ethnicity in ["indigenous", "rrom"])'
    """
    groups = _closed(ethnicities, ETHNICITIES, "ethnicities")
    return _member_flag("{v}.ethnicity in " + _quoted(groups), target)


def victim(*, target: Target = "household") -> str:
    """Differential approach: the person (or a member) is a victim of the armed conflict.

    >>> victim(target="person")
    'person.victim'
    """
    return _member_flag("{v}.victim", target)


def with_disability(*, target: Target = "household") -> str:
    """Differential approach: the person (or a member) has a disability.

    >>> with_disability()
    'members.exists(m, m.disability)'
    """
    return _member_flag("{v}.disability", target)


def female_head() -> str:
    """Differential approach: the household has a female head.

    >>> female_head()
    'female_head'
    """
    return "female_head"


def in_territory(*, departments: Iterable[str] = (), municipalities: Iterable[str] = ()) -> str:
    """The household lives in any of the departments or municipalities (DIVIPOLA codes).

    >>> in_territory(departments=["44"], municipalities=["27001"])
    'department_code in ["44"] || municipality_code in ["27001"]'
    """
    departments, municipalities = list(departments), list(municipalities)
    for code in departments:
        if len(code) != 2 or not code.isdigit():
            raise ValueError(f"department code {code!r}: two digits expected")
    for code in municipalities:
        if len(code) != 5 or not code.isdigit():
            raise ValueError(f"municipality code {code!r}: five digits expected")
    parts = []
    if departments:
        parts.append(f"department_code in {_quoted(dict.fromkeys(departments))}")
    if municipalities:
        parts.append(f"municipality_code in {_quoted(dict.fromkeys(municipalities))}")
    if not parts:
        raise ValueError("territory: give departments, municipalities or both")
    return " || ".join(parts)


def all_of(*rules: str) -> str:
    """All the rules hold (each parenthesised).

    >>> all_of("zone == 'rural'", "ipm_poor")
    "(zone == 'rural') && (ipm_poor)"
    """
    return " && ".join(f"({rule})" for rule in _nonempty(rules, "rules"))


def any_of(*rules: str) -> str:
    """Any of the rules holds (each parenthesised).

    >>> any_of("female_head", "accompaniment")
    '(female_head) || (accompaniment)'
    """
    return " || ".join(f"({rule})" for rule in _nonempty(rules, "rules"))


ParameterKind = Literal["sisben_group", "int", "codes", "target"]


@dataclass(frozen=True, slots=True)
class Parameter:
    """A template parameter for a form: name, Spanish label, kind, allowed values, required."""

    name: str
    label_es: str
    kind: ParameterKind
    values: tuple[str, ...] = ()
    required: bool = True
    open_values: bool = False


@dataclass(frozen=True, slots=True)
class Template:
    """A catalogue entry: key, Spanish label and help, scopes it is meant for, parameters."""

    key: str
    label_es: str
    help_es: str
    scopes: tuple[Target, ...]
    parameters: tuple[Parameter, ...]
    build: Callable[..., str]


_TARGET = Parameter("target", "Aplicar a", "target", ("household", "person"), required=False)

TEMPLATES: Final[dict[str, Template]] = {
    t.key: t
    for t in (
        Template(
            "sisben_between",
            "Rango de grupos Sisbén IV",
            "Hogares con grupo Sisbén IV entre dos grupos, ambos incluidos (p. ej. A1 a B4).",
            ("household", "person"),
            (
                Parameter("lowest", "Desde el grupo", "sisben_group", SISBEN_GROUPS),
                Parameter("highest", "Hasta el grupo", "sisben_group", SISBEN_GROUPS),
            ),
            sisben_between,
        ),
        Template(
            "in_programs",
            "Participa en programas",
            "Hogares que participan en alguno de los programas elegidos.",
            ("household", "person"),
            (Parameter("programs", "Programas", "codes", PROGRAMS, open_values=True),),
            in_programs,
        ),
        Template(
            "age_band",
            "Rango de edad de la persona",
            "Personas con edad entre el mínimo y el máximo, ambos incluidos.",
            ("person",),
            (
                Parameter("minimum", "Edad mínima", "int", required=False),
                Parameter("maximum", "Edad máxima", "int", required=False),
            ),
            age_band,
        ),
        Template(
            "has_member_in_age_band",
            "Hogar con integrantes en un rango de edad",
            "Hogares con al menos N integrantes con edad entre el mínimo y el máximo.",
            ("household", "person"),
            (
                Parameter("minimum", "Edad mínima", "int", required=False),
                Parameter("maximum", "Edad máxima", "int", required=False),
                Parameter("at_least", "Al menos (integrantes)", "int", required=False),
            ),
            has_member_in_age_band,
        ),
        Template(
            "deprived_in",
            "Privado en indicadores del IPM",
            "Hogares privados en alguno de los indicadores elegidos.",
            ("household", "person"),
            (Parameter("indicators", "Indicadores", "codes", IPM_INDICATORS),),
            deprived_in,
        ),
        Template(
            "ethnicity_any_of",
            "Enfoque étnico",
            "Personas (o hogares con algún integrante) de los grupos étnicos elegidos.",
            ("household", "person"),
            (
                Parameter(
                    "ethnicities",
                    "Grupos étnicos",
                    "codes",
                    tuple(e for e in ETHNICITIES if e != "none"),
                ),
                _TARGET,
            ),
            ethnicity_any_of,
        ),
        Template(
            "victim",
            "Víctimas del conflicto armado",
            "Personas víctimas (o hogares con alguna víctima) según el RUV.",
            ("household", "person"),
            (_TARGET,),
            victim,
        ),
        Template(
            "with_disability",
            "Personas con discapacidad",
            "Personas con discapacidad (o hogares con alguna).",
            ("household", "person"),
            (_TARGET,),
            with_disability,
        ),
        Template(
            "female_head",
            "Jefatura femenina",
            "Hogares con jefatura femenina.",
            ("household", "person"),
            (),
            female_head,
        ),
        Template(
            "in_territory",
            "Territorio",
            "Hogares de los departamentos o municipios elegidos (códigos DIVIPOLA).",
            ("household", "person"),
            (
                Parameter("departments", "Departamentos", "codes", required=False),
                Parameter("municipalities", "Municipios", "codes", required=False),
            ),
            in_territory,
        ),
    )
}
"""The templates offered in the interface, by key."""
