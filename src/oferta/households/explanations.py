"""Explanations of each IPM indicator of a household, with the facts behind them (Spanish msgids).

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

from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from oferta.engine.diagnostics.methods import METHODS, IndicatorSpec, MethodOptions
from oferta.territories.selectors import DEPRIVATION_LABELS


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
        return _("%(n)s %%") % {"n": _number(float(self.weight * 100))}


# --------------------------------------------------------------------------- labels

WATER_LABELS = {
    "aqueduct": gettext_lazy("acueducto público"),
    "well_with_pump": gettext_lazy("pozo con bomba"),
    "well_without_pump": gettext_lazy("pozo sin bomba, aljibe, jagüey o barreno"),
    "rainwater": gettext_lazy("agua lluvia"),
    "river_or_spring": gettext_lazy("río, quebrada, nacimiento o manantial"),
    "tanker_truck": gettext_lazy("carrotanque"),
    "water_vendor": gettext_lazy("aguatero"),
    "bottled_water": gettext_lazy("agua embotellada o en bolsa"),
    "other": gettext_lazy("otra fuente"),
}
TOILET_LABELS = {
    "sewer": gettext_lazy("inodoro conectado al alcantarillado"),
    "septic_tank": gettext_lazy("inodoro conectado a pozo séptico"),
    "no_connection": gettext_lazy("inodoro sin conexión"),
    "latrine": gettext_lazy("letrina"),
    "bajamar": gettext_lazy("bajamar"),
    "none": gettext_lazy("no tiene servicio sanitario"),
}
FLOOR_LABELS = {
    "earth_sand": gettext_lazy("tierra o arena"),
    "cement_gravel": gettext_lazy("cemento o gravilla"),
    "rough_wood": gettext_lazy("madera burda, tabla o tablón"),
    "tile_brick": gettext_lazy("baldosa, vinilo, tableta o ladrillo"),
    "polished_wood_marble": gettext_lazy("madera pulida, mármol"),
    "carpet": gettext_lazy("alfombra o tapete de pared a pared"),
}
WALL_LABELS = {
    "brick_block_stone": gettext_lazy("bloque, ladrillo, piedra o madera pulida"),
    "prefab": gettext_lazy("material prefabricado"),
    "tapia_adobe": gettext_lazy("tapia pisada o adobe"),
    "bahareque": gettext_lazy("bahareque"),
    "rough_wood": gettext_lazy("madera burda, tabla o tablón"),
    "polished_wood": gettext_lazy("madera pulida"),
    "guadua_cane_plant": gettext_lazy("guadua, caña, esterilla u otro vegetal"),
    "zinc_cloth_cardboard_waste": gettext_lazy("zinc, tela, cartón, latas o desechos"),
    "none": gettext_lazy("sin paredes"),
}
RELATIONSHIP_LABELS = {
    "head": gettext_lazy("Jefe o jefa del hogar"),
    "spouse": gettext_lazy("Cónyuge o compañero(a)"),
    "child": gettext_lazy("Hijo(a), hijastro(a)"),
    "grandchild": gettext_lazy("Nieto(a)"),
    "parent": gettext_lazy("Padre, madre, suegro(a)"),
    "other_relative": gettext_lazy("Otro pariente"),
    "non_relative": gettext_lazy("No pariente"),
}
ZONE_LABELS = {"urban": gettext_lazy("zona urbana"), "rural": gettext_lazy("zona rural")}
# The engine names its methods, dimensions and indicators in Spanish only (``name_es``); these
# tables give the same Spanish msgids to gettext so the household page follows the language.
METHOD_LABELS = {
    "dane-ecv-2018": gettext_lazy(
        "IPM DANE, Encuesta Nacional de Calidad de Vida (serie oficial, 2018 en adelante)"
    ),
    "dane-cnpv-2018": gettext_lazy("IPM DANE de fuente censal (CNPV 2018, medida municipal)"),
}
DIMENSION_LABELS = {
    "education": gettext_lazy("Condiciones educativas del hogar"),
    "childhood_youth": gettext_lazy("Condiciones de la niñez y la juventud"),
    "work": gettext_lazy("Trabajo"),
    "health": gettext_lazy("Salud"),
    "housing": gettext_lazy(
        "Acceso a servicios públicos domiciliarios y condiciones de la vivienda"
    ),
}
# One table of indicator names for the whole product: the territories app's.
INDICATOR_LABELS = DEPRIVATION_LABELS


def method_name(code: str) -> str:
    """The method's name in the active language (the engine's Spanish name if not listed)."""
    label = METHOD_LABELS.get(code)
    if label is not None:
        return str(label)
    method = METHODS.get(code)
    return method.name_es if method else code


def _number(value: float) -> str:
    """At most one decimal, no trailing zero decimal; the active language's decimal separator
    (a comma in Spanish: "3,5", "3")."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        return text[:-2]
    return text.replace(".", str(get_format("DECIMAL_SEPARATOR")))


def _approved(years: int) -> str:
    return (_("%(n)s año aprobado") if years == 1 else _("%(n)s años aprobados")) % {"n": years}


def _age(member: MemberFacts) -> str:
    return _("%(name)s, %(age)s años") % {"name": member.name, "age": member.age}


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
            text = (
                pgettext("female member", "%(who)s, está desocupada")
                if m.sex == "female"
                else pgettext("male member", "%(who)s, está desocupado")
            )
            facts.append(text % {"who": _age(m)})
        elif not (m.contributes_to_pension or m.receives_pension):
            facts.append(_("%(who)s, trabaja sin cotizar a pensión") % {"who": _age(m)})
    return facts or [_("Las personas ocupadas cotizan a pensión o son pensionadas")]


def _uninsured(spec, housing, members, options) -> list[str]:
    people = _in_ages(spec, members)
    if not people:
        return _none_of_age(spec)
    facts = [
        (
            pgettext("female member", "%(who)s, no está afiliada")
            if m.sex == "female"
            else pgettext("male member", "%(who)s, no está afiliado")
        )
        % {"who": _age(m)}
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
        (
            pgettext(
                "female member",
                "%(who)s, necesitó atención en salud en los últimos 30 días y no fue atendida",
            )
            if m.sex == "female"
            else pgettext(
                "male member",
                "%(who)s, necesitó atención en salud en los últimos 30 días y no fue atendido",
            )
        )
        % {"who": _age(m)}
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
        name=str(INDICATOR_LABELS.get(spec.code, spec.name_es)),
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
    return {
        d.code: str(DIMENSION_LABELS.get(d.code, d.name_es))
        for d in METHODS[method_code].dimensions
    }
