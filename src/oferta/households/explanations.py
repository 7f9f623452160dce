"""Spanish explanations of each IPM indicator of a household, with the facts behind them.

Pure functions over plain data (no database): the household page builds :class:`HousingFacts`
and :class:`MemberFacts` from the stored rows and passes the method's indicator specs from
the engine, so an explanation quotes the same ages, thresholds and codes the engine used.
Whether the household *is* deprived comes from the stored diagnostics; the explanation gives
the facts ("Rezago escolar: Ana, 12 años, 3 años aprobados; se esperaban 6").

Example
-------
>>> from oferta.engine.diagnostics.methods import METHODS
>>> spec = METHODS["dane-ecv-2018"].indicator("school_lag")
>>> ana = MemberFacts(name="Ana", age=12, sex="female", years_of_schooling=3)
>>> explain_indicator(spec, housing=HousingFacts(), members=[ana], deprived=True).summary
'Rezago escolar: Ana, 12 años, 3 años aprobados; se esperaban 6'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext as _

from oferta.engine.diagnostics.methods import METHODS, IndicatorSpec, MethodOptions


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What the explanations need to know about one member (age at the reference date)."""

    name: str
    age: int
    sex: str = "female"
    relationship: str = "head"
    can_read_write: bool = True
    years_of_schooling: int = 11
    attends_school: bool = False
    activity: str = "inactive"
    unemployed_months: int | None = None
    contributes_to_pension: bool = False
    receives_pension: bool = False
    health_insured: bool = True
    health_need_last_30_days: bool = False
    health_need_attended: bool | None = None
    early_childhood_care_adequate: bool | None = None
    early_childhood_nutrition_adequate: bool | None = None


@dataclass(frozen=True, slots=True)
class HousingFacts:
    zone: str = "urban"
    sleeping_rooms: int = 1
    water_source: str = "aqueduct"
    toilet: str = "sewer"
    floor_material: str = "cement_gravel"
    wall_material: str = "brick_block_stone"


@dataclass(frozen=True, slots=True)
class Explanation:
    """One indicator of one household: its name, whether deprived, and the facts."""

    code: str
    name: str
    dimension: str
    weight: Fraction
    deprived: bool | None
    facts: tuple[str, ...] = field(default_factory=tuple)

    @property
    def summary(self) -> str:
        return f"{self.name}: " + ". ".join(self.facts)

    @property
    def weight_percent(self) -> str:
        return _number(float(self.weight * 100)) + " %"


# --------------------------------------------------------------------------- labels

WATER_LABELS = {
    "aqueduct": "acueducto público",
    "well_with_pump": "pozo con bomba",
    "well_without_pump": "pozo sin bomba, aljibe, jagüey o barreno",
    "rainwater": "agua lluvia",
    "river_or_spring": "río, quebrada, nacimiento o manantial",
    "tanker_truck": "carrotanque",
    "water_vendor": "aguatero",
    "bottled_water": "agua embotellada o en bolsa",
    "other": "otra fuente",
}
TOILET_LABELS = {
    "sewer": "inodoro conectado al alcantarillado",
    "septic_tank": "inodoro conectado a pozo séptico",
    "no_connection": "inodoro sin conexión",
    "latrine": "letrina",
    "bajamar": "bajamar",
    "none": "no tiene servicio sanitario",
}
FLOOR_LABELS = {
    "earth_sand": "tierra o arena",
    "cement_gravel": "cemento o gravilla",
    "rough_wood": "madera burda, tabla o tablón",
    "tile_brick": "baldosa, vinilo, tableta o ladrillo",
    "polished_wood_marble": "madera pulida, mármol",
    "carpet": "alfombra o tapete de pared a pared",
}
WALL_LABELS = {
    "brick_block_stone": "bloque, ladrillo, piedra o madera pulida",
    "prefab": "material prefabricado",
    "tapia_adobe": "tapia pisada o adobe",
    "bahareque": "bahareque",
    "rough_wood": "madera burda, tabla o tablón",
    "polished_wood": "madera pulida",
    "guadua_cane_plant": "guadua, caña, esterilla u otro vegetal",
    "zinc_cloth_cardboard_waste": "zinc, tela, cartón, latas o desechos",
    "none": "sin paredes",
}
RELATIONSHIP_LABELS = {
    "head": "Jefe o jefa del hogar",
    "spouse": "Cónyuge o compañero(a)",
    "child": "Hijo(a), hijastro(a)",
    "grandchild": "Nieto(a)",
    "parent": "Padre, madre, suegro(a)",
    "other_relative": "Otro pariente",
    "non_relative": "No pariente",
}
ZONE_LABELS = {"urban": "zona urbana", "rural": "zona rural"}


def _number(value: float) -> str:
    """Spanish number: decimal comma, at most one decimal, no trailing ",0"."""
    text = f"{value:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def _approved(years: int) -> str:
    return (_("%(n)s año aprobado") if years == 1 else _("%(n)s años aprobados")) % {"n": years}


def _age(member: MemberFacts) -> str:
    return _("%(name)s, %(age)s años") % {"name": member.name, "age": member.age}


def _g(member: MemberFacts, masculine: str, feminine: str) -> str:
    return feminine if member.sex == "female" else masculine


def _in_ages(spec: IndicatorSpec, members: Sequence[MemberFacts]) -> list[MemberFacts]:
    low = spec.min_age if spec.min_age is not None else 0
    high = spec.max_age if spec.max_age is not None else 10_000
    return [m for m in members if low <= m.age <= high]


def _ages_text(spec: IndicatorSpec) -> str:
    if spec.max_age is None:
        return _("de %(min)s años o más") % {"min": spec.min_age}
    return _("de %(min)s a %(max)s años") % {"min": spec.min_age, "max": spec.max_age}


def _answered_no(value: bool | None, options: MethodOptions) -> bool:
    return options.missing_answer_deprives if value is None else not value


# --------------------------------------------------------------------------- indicators

_Facts = Callable[[IndicatorSpec, HousingFacts, Sequence[MemberFacts], MethodOptions], list[str]]


def _mean_schooling(spec, housing, members, options) -> list[str]:
    adults = _in_ages(spec, members)
    if not adults:
        rule = (
            _("el método lo cuenta como privación")
            if options.no_adult_education_deprived
            else _("el método no lo cuenta como privación")
        )
        return [
            _("Ningún integrante tiene %(min)s años o más; %(rule)s")
            % {"min": spec.min_age, "rule": rule}
        ]
    mean = sum(m.years_of_schooling for m in adults) / len(adults)
    detail = ", ".join(f"{m.name} {m.years_of_schooling}" for m in adults)
    return [
        _(
            "Promedio de años de educación aprobados de las personas %(ages)s: %(mean)s "
            "(%(detail)s); se esperan al menos %(threshold)s"
        )
        % {
            "ages": _ages_text(spec),
            "mean": _number(mean),
            "detail": detail,
            "threshold": spec.threshold,
        }
    ]


def _cannot_read_write(spec, housing, members, options) -> list[str]:
    adults = _in_ages(spec, members)
    if not adults:
        return _mean_schooling(spec, housing, members, options)
    facts = [
        _("%(who)s, no sabe leer y escribir") % {"who": _age(m)}
        for m in adults
        if not m.can_read_write
    ]
    return facts or [
        _("Todas las personas %(ages)s saben leer y escribir") % {"ages": _ages_text(spec)}
    ]


def _none_of_age(spec: IndicatorSpec) -> list[str]:
    return [_("No hay integrantes %(ages)s") % {"ages": _ages_text(spec)}]


def _not_attending(spec, housing, members, options) -> list[str]:
    children = _in_ages(spec, members)
    if not children:
        return _none_of_age(spec)
    facts = [
        _("%(who)s, no asiste a un establecimiento educativo") % {"who": _age(m)}
        for m in children
        if not m.attends_school
    ]
    return facts or [
        _("Todos los integrantes %(ages)s asisten a un establecimiento educativo")
        % {"ages": _ages_text(spec)}
    ]


def _lagging(spec, housing, members, options) -> list[str]:
    children = _in_ages(spec, members)
    if not children:
        return _none_of_age(spec)
    offset = spec.threshold or 0
    facts = [
        _("%(who)s, %(years)s; se esperaban %(expected)s")
        % {"who": _age(m), "years": _approved(m.years_of_schooling), "expected": m.age - offset}
        for m in children
        if m.years_of_schooling < m.age - offset
    ]
    return facts or [
        _("Los integrantes %(ages)s tienen los años aprobados que corresponden a su edad")
        % {"ages": _ages_text(spec)}
    ]


def _young_child(spec, housing, members, options) -> list[str]:
    children = _in_ages(spec, members)
    if not children:
        return _none_of_age(spec)
    facts = []
    for m in children:
        lacks = []
        if not m.health_insured:
            lacks.append(_("sin afiliación a salud"))
        if _answered_no(m.early_childhood_care_adequate, options):
            lacks.append(_("sin cuidado adecuado"))
        if _answered_no(m.early_childhood_nutrition_adequate, options):
            lacks.append(_("sin alimentación adecuada donde es cuidado"))
        if lacks:
            facts.append(f"{_age(m)}: " + ", ".join(lacks))
    return facts or [
        _("Los niños y niñas %(ages)s tienen salud, cuidado y alimentación adecuados")
        % {"ages": _ages_text(spec)}
    ]


def _child_working(spec, housing, members, options) -> list[str]:
    children = _in_ages(spec, members)
    if not children:
        return _none_of_age(spec)
    facts = [_("%(who)s, trabaja") % {"who": _age(m)} for m in children if m.activity == "employed"]
    return facts or [_("Ningún integrante %(ages)s trabaja") % {"ages": _ages_text(spec)}]


def _working_age(members: Sequence[MemberFacts], options: MethodOptions) -> list[MemberFacts]:
    return [m for m in members if m.age >= options.working_age_min]


def _nobody_active(options: MethodOptions, *, deprives: bool) -> str:
    rule = (
        _("el método lo cuenta como privación")
        if deprives
        else _("el método no lo cuenta como privación")
    )
    return _("Ningún integrante de %(min)s años o más trabaja o busca trabajo; %(rule)s") % {
        "min": options.working_age_min,
        "rule": rule,
    }


def _is_long_term_unemployed(m: MemberFacts, months: int) -> bool:
    return m.activity == "unemployed" and (m.unemployed_months or 0) >= months


def _long_term_unemployed(spec, housing, members, options) -> list[str]:
    months = spec.threshold or 12
    working = _working_age(members, options)
    active = [m for m in working if m.activity in ("employed", "unemployed")]
    if not active:
        return [_nobody_active(options, deprives=options.no_active_member_unemployment_deprived)]
    facts = [
        _("%(who)s, lleva %(months)s meses buscando trabajo (%(threshold)s o más)")
        % {"who": _age(m), "months": m.unemployed_months, "threshold": months}
        for m in active
        if _is_long_term_unemployed(m, months)
    ]
    return facts or [
        _("Nadie en el hogar lleva %(threshold)s meses o más buscando trabajo")
        % {"threshold": months}
    ]


def _informal(spec, housing, members, options) -> list[str]:
    eligible = [
        m
        for m in _working_age(members, options)
        if m.activity in ("employed", "unemployed")
        and not (
            options.informal_excludes_child_workers and m.activity == "employed" and m.age <= 17
        )
        and not (spec.threshold is not None and _is_long_term_unemployed(m, spec.threshold))
    ]
    if not eligible:
        if (
            options.all_pensioner_informal_exempt
            and members
            and all(m.receives_pension for m in members)
        ):
            return [_("Todos los integrantes reciben pensión")]
        return [_nobody_active(options, deprives=options.no_active_member_informal_deprived)]
    facts = []
    for m in eligible:
        if m.activity == "unemployed":
            facts.append(
                _("%(who)s, %(state)s")
                % {"who": _age(m), "state": _g(m, "está desocupado", "está desocupada")}
            )
        elif not (m.contributes_to_pension or m.receives_pension):
            facts.append(_("%(who)s, trabaja sin cotizar a pensión") % {"who": _age(m)})
    return facts or [_("Las personas ocupadas cotizan a pensión o son pensionadas")]


def _uninsured(spec, housing, members, options) -> list[str]:
    people = _in_ages(spec, members)
    if not people:
        return _none_of_age(spec)
    facts = [
        _("%(who)s, %(state)s")
        % {"who": _age(m), "state": _g(m, "no está afiliado", "no está afiliada")}
        for m in people
        if not m.health_insured
    ]
    return facts or [
        _("Todas las personas %(ages)s están afiliadas a salud") % {"ages": _ages_text(spec)}
    ]


def _unattended(spec, housing, members, options) -> list[str]:
    needed = [m for m in members if m.health_need_last_30_days]
    if not needed:
        return [_("Nadie tuvo un problema de salud en los últimos 30 días")]
    facts = [
        _("%(who)s, necesitó atención en salud en los últimos 30 días y no %(state)s")
        % {"who": _age(m), "state": _g(m, "fue atendido", "fue atendida")}
        for m in needed
        if _answered_no(m.health_need_attended, options)
    ]
    return facts or [
        _("Quienes necesitaron atención en salud en los últimos 30 días la recibieron")
    ]


_HOUSING_LABELS = {
    "water_source": WATER_LABELS,
    "toilet": TOILET_LABELS,
    "floor_material": FLOOR_LABELS,
    "wall_material": WALL_LABELS,
}


def _code_in_set(spec, housing, members, options) -> list[str]:
    assert spec.column is not None
    value = getattr(housing, spec.column)
    codes = spec.urban_codes if housing.zone == "urban" else spec.rural_codes
    verdict = _("inadecuado") if value in codes else _("adecuado")
    if spec.urban_codes != spec.rural_codes:
        verdict = _("%(verdict)s en %(zone)s") % {
            "verdict": verdict,
            "zone": ZONE_LABELS.get(housing.zone, housing.zone),
        }
    return [f"{_HOUSING_LABELS[spec.column].get(value, value)} ({verdict})"]


def _persons(n: int) -> str:
    return (_("%(n)s persona") if n == 1 else _("%(n)s personas")) % {"n": n}


def _ratio_rule_text(spec: IndicatorSpec, zone: str, unit: str) -> str:
    inclusive = spec.urban_inclusive if zone == "urban" else spec.rural_inclusive
    more = _("%(n)s o más") if inclusive else _("más de %(n)s")
    return _("%(zone)s: privado con %(more)s por %(unit)s") % {
        "zone": ZONE_LABELS.get(zone, zone),
        "more": more % {"n": spec.threshold},
        "unit": unit,
    }


def _persons_per_room(spec, housing, members, options) -> list[str]:
    n, rooms = len(members), housing.sleeping_rooms
    rule = _ratio_rule_text(spec, housing.zone, _("cuarto"))
    if rooms <= 0:
        return [
            _("%(persons)s sin cuartos exclusivos para dormir (%(rule)s)")
            % {"persons": _persons(n), "rule": rule}
        ]
    return [
        _("%(persons)s en %(rooms)s %(word)s para dormir: %(ratio)s por cuarto (%(rule)s)")
        % {
            "persons": _persons(n),
            "rooms": rooms,
            "word": _("cuarto") if rooms == 1 else _("cuartos"),
            "ratio": _number(n / rooms),
            "rule": rule,
        }
    ]


def _persons_per_employed(spec, housing, members, options) -> list[str]:
    n = len(members)
    employed = sum(1 for m in members if m.activity == "employed")
    if employed == 0:
        return [_("%(persons)s y ningún integrante ocupado") % {"persons": _persons(n)}]
    rule = _ratio_rule_text(spec, housing.zone, _("persona ocupada"))
    return [
        _("%(persons)s y %(employed)s %(word)s: %(ratio)s personas por ocupado (%(rule)s)")
        % {
            "persons": _persons(n),
            "employed": employed,
            "word": _("ocupada") if employed == 1 else _("ocupadas"),
            "ratio": _number(n / employed),
            "rule": rule,
        }
    ]


_FACTS: dict[str, _Facts] = {
    "mean_schooling_below": _mean_schooling,
    "any_member_cannot_read_write": _cannot_read_write,
    "any_child_not_attending_school": _not_attending,
    "any_child_lagging_in_school": _lagging,
    "any_young_child_without_services": _young_child,
    "any_child_working": _child_working,
    "any_long_term_unemployed": _long_term_unemployed,
    "any_informal_worker": _informal,
    "any_member_uninsured": _uninsured,
    "any_unattended_health_need": _unattended,
    "code_in_set_by_zone": _code_in_set,
    "persons_per_room": _persons_per_room,
    "persons_per_employed": _persons_per_employed,
}


def explain_indicator(
    spec: IndicatorSpec,
    *,
    housing: HousingFacts,
    members: Sequence[MemberFacts],
    deprived: bool | None,
    options: MethodOptions | None = None,
) -> Explanation:
    """The explanation of one indicator (``deprived`` is the stored result)."""
    facts = _FACTS[spec.rule](spec, housing, members, options or MethodOptions())
    return Explanation(
        code=spec.code,
        name=spec.name_es,
        dimension=spec.dimension,
        weight=spec.weight,
        deprived=deprived,
        facts=tuple(facts),
    )


def explain_household(
    *,
    method_code: str,
    housing: HousingFacts,
    members: Sequence[MemberFacts],
    deprived: Mapping[str, bool | None],
) -> list[Explanation]:
    """Explanations of the indicators of ``method_code``, in the method's order."""
    method = METHODS[method_code]
    return [
        explain_indicator(
            spec,
            housing=housing,
            members=members,
            deprived=deprived.get(spec.code),
            options=method.options,
        )
        for spec in method.indicators
    ]


def dimension_names(method_code: str) -> dict[str, str]:
    return {d.code: d.name_es for d in METHODS[method_code].dimensions}
