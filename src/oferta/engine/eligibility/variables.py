"""The documented variables an eligibility rule (CEL) may use, with their CEL types.

A rule is evaluated for a household (``household`` scope) or, for offers aimed at individuals,
for each person of the household (``person`` scope: the same household variables plus
``person``). ``members`` is the list of the household's persons; each member is a map with the
fields of ``PERSON_FIELDS``, so ``members.exists(m, m.age < 18)`` is valid.

Example
-------
>>> HOUSEHOLD_VARIABLES["sisben_rank"].cel_type
'int'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

CelType = Literal["bool", "int", "double", "string", "list(string)", "list(member)", "member"]


@dataclass(frozen=True, slots=True)
class Variable:
    """A variable available to rules: name, CEL type, Spanish description, allowed values."""

    name: str
    cel_type: CelType
    description_es: str
    values: tuple[str, ...] = ()


IPM_INDICATORS: Final[tuple[str, ...]] = (
    "low_educational_attainment",
    "illiteracy",
    "school_non_attendance",
    "school_lag",
    "early_childhood_barriers",
    "child_labour",
    "long_term_unemployment",
    "informal_work",
    "no_health_insurance",
    "health_access_barriers",
    "no_improved_water",
    "inadequate_sanitation",
    "inadequate_floors",
    "inadequate_walls",
    "critical_overcrowding",
    "high_economic_dependency",
)

SISBEN_GROUPS: Final[tuple[str, ...]] = (
    tuple(f"A{i}" for i in range(1, 6))
    + tuple(f"B{i}" for i in range(1, 8))
    + tuple(f"C{i}" for i in range(1, 19))
    + tuple(f"D{i}" for i in range(1, 22))
)
"""Sisbén IV groups from the poorest (A1) to the least poor (D21); ``sisben_rank`` is the
1-based position in this tuple, so "A1 to B4" is ``sisben_rank <= 9``."""

ZONES: Final[tuple[str, ...]] = ("urban", "rural")
SEXES: Final[tuple[str, ...]] = ("female", "male", "intersex")
ETHNICITIES: Final[tuple[str, ...]] = (
    "none",
    "indigenous",
    "afrocolombian",
    "raizal",
    "palenquero",
    "rrom",
)
ACTIVITIES: Final[tuple[str, ...]] = ("employed", "unemployed", "inactive")
RELATIONSHIPS: Final[tuple[str, ...]] = (
    "head",
    "spouse",
    "child",
    "grandchild",
    "parent",
    "other_relative",
    "non_relative",
)
MONETARY_STATUSES: Final[tuple[str, ...]] = ("extreme_poor", "poor", "not_poor")
QUADRANTS: Final[tuple[str, ...]] = (
    "both",
    "only_monetary",
    "only_multidimensional",
    "neither",
)
PROGRAMS: Final[tuple[str, ...]] = (
    "renta_ciudadana",
    "familias_en_accion",
    "renta_joven",
    "jovenes_en_accion",
    "iraca",
    "fest",
    "resa",
    "ingreso_solidario",
    "colombia_mayor",
    "devolucion_iva",
    "unidos",
)
"""Program codes known to the demo data; registries may carry others (free strings)."""

PERSON_FIELDS: Final[dict[str, Variable]] = {
    v.name: v
    for v in (
        Variable("age", "int", "Edad en años cumplidos a la fecha de referencia"),
        Variable("sex", "string", "Sexo", SEXES),
        Variable("relationship", "string", "Parentesco con la jefatura del hogar", RELATIONSHIPS),
        Variable("ethnicity", "string", "Autorreconocimiento étnico", ETHNICITIES),
        Variable("disability", "bool", "Tiene discapacidad"),
        Variable("victim", "bool", "Víctima del conflicto armado (RUV)"),
        Variable("can_read_write", "bool", "Sabe leer y escribir"),
        Variable("years_of_schooling", "int", "Años de educación aprobados"),
        Variable("attends_school", "bool", "Asiste a un establecimiento educativo"),
        Variable("activity", "string", "Actividad principal", ACTIVITIES),
        Variable("unemployed_months", "int", "Meses buscando trabajo"),
        Variable("contributes_to_pension", "bool", "Cotiza a pensión"),
        Variable("receives_pension", "bool", "Recibe pensión"),
        Variable("health_insured", "bool", "Afiliado a salud"),
        Variable("is_head", "bool", "Es jefe o jefa del hogar"),
    )
}

HOUSEHOLD_VARIABLES: Final[dict[str, Variable]] = {
    v.name: v
    for v in (
        Variable("municipality_code", "string", "Municipio (código DIVIPOLA de 5 dígitos)"),
        Variable("department_code", "string", "Departamento (código DIVIPOLA de 2 dígitos)"),
        Variable("zone", "string", "Zona: cabecera (urban) o rural", ZONES),
        Variable("sisben_group", "string", "Grupo Sisbén IV (A1…D21)", SISBEN_GROUPS),
        Variable("sisben_rank", "int", "Posición del grupo Sisbén IV (A1 = 1 … D21 = 51)"),
        Variable("programs", "list(string)", "Programas en los que participa el hogar", PROGRAMS),
        Variable("accompaniment", "bool", "Hogar en acompañamiento familiar (Unidos)"),
        Variable("income_per_capita", "double", "Ingreso mensual per cápita (COP)"),
        Variable("monetary_status", "string", "Pobreza monetaria", MONETARY_STATUSES),
        Variable(
            "quadrant", "string", "Cuadrante de pobreza monetaria y multidimensional", QUADRANTS
        ),
        Variable("ipm_score", "double", "Puntaje de privación IPM (0 a 1)"),
        Variable("ipm_poor", "bool", "Hogar en pobreza multidimensional"),
        Variable("household_size", "int", "Número de integrantes"),
        Variable("female_head", "bool", "Jefatura femenina"),
        Variable(
            "members", "list(member)", "Integrantes del hogar (cada uno con los campos de persona)"
        ),
        *(
            Variable(f"deprived_{code}", "bool", f"Hogar privado en el indicador {code}")
            for code in IPM_INDICATORS
        ),
    )
}

PERSON_VARIABLE: Final[Variable] = Variable(
    "person", "member", "La persona evaluada (solo en ofertas dirigidas a personas)"
)


def variables_for(scope: Literal["household", "person"]) -> dict[str, Variable]:
    """Return the top-level variables of a rule evaluated in ``scope``.

    >>> "person" in variables_for("person"), "person" in variables_for("household")
    (True, False)
    """
    variables = dict(HOUSEHOLD_VARIABLES)
    if scope == "person":
        variables[PERSON_VARIABLE.name] = PERSON_VARIABLE
    return variables


OPEN_VALUE_VARIABLES: Final[frozenset[str]] = frozenset({"programs"})
"""Variables whose ``values`` are the known ones, not a closed list (registries add programs)."""

NAME_ALIASES_ES: Final[dict[str, str]] = {
    "edad": "age",
    "sexo": "sex",
    "genero": "sex",
    "parentesco": "relationship",
    "etnia": "ethnicity",
    "discapacidad": "disability",
    "victima": "victim",
    "alfabetizado": "can_read_write",
    "sabe_leer": "can_read_write",
    "escolaridad": "years_of_schooling",
    "anios_educacion": "years_of_schooling",
    "estudia": "attends_school",
    "asiste": "attends_school",
    "actividad": "activity",
    "desempleo": "unemployed_months",
    "pension": "receives_pension",
    "salud": "health_insured",
    "jefe": "is_head",
    "jefatura": "is_head",
    "municipio": "municipality_code",
    "departamento": "department_code",
    "zona": "zone",
    "grupo_sisben": "sisben_group",
    "sisben": "sisben_rank",
    "programas": "programs",
    "acompanamiento": "accompaniment",
    "ingreso": "income_per_capita",
    "ingresos": "income_per_capita",
    "pobreza_monetaria": "monetary_status",
    "cuadrante": "quadrant",
    "ipm": "ipm_score",
    "pobre_ipm": "ipm_poor",
    "tamano_hogar": "household_size",
    "personas": "members",
    "integrantes": "members",
    "miembros": "members",
    "jefatura_femenina": "female_head",
    "persona": "person",
}
"""Spanish words users are likely to type, mapped to the variable or person field they mean
(used only to suggest the right name)."""

VALUE_ALIASES_ES: Final[dict[str, str]] = {
    "urbano": "urban",
    "urbana": "urban",
    "cabecera": "urban",
    "mujer": "female",
    "femenino": "female",
    "hombre": "male",
    "masculino": "male",
    "indigena": "indigenous",
    "afro": "afrocolombian",
    "afrocolombiano": "afrocolombian",
    "negro": "afrocolombian",
    "gitano": "rrom",
    "ninguno": "none",
    "jefe": "head",
    "conyuge": "spouse",
    "hijo": "child",
    "nieto": "grandchild",
    "padre": "parent",
    "madre": "parent",
    "ocupado": "employed",
    "empleado": "employed",
    "desempleado": "unemployed",
    "desocupado": "unemployed",
    "inactivo": "inactive",
    "pobre_extremo": "extreme_poor",
    "pobreza_extrema": "extreme_poor",
    "pobre": "poor",
    "no_pobre": "not_poor",
    "ambas": "both",
    "ninguna": "neither",
}
"""Spanish words for enumerated values, mapped to the value they mean (for suggestions)."""


@dataclass(frozen=True, slots=True)
class VariableRow:
    """One row of the human reference of rule variables (see :func:`describe_variables`)."""

    group: Literal["household", "member"]
    name: str
    usage: str
    cel_type: CelType
    description_es: str
    values: tuple[str, ...]
    closed_values: bool


def describe_variables() -> list[VariableRow]:
    """Return the rule variables as rows for a reference table: household variables first,
    then the fields of each member (written ``m.field`` inside a macro, ``person.field`` in
    rules aimed at persons).

    >>> rows = describe_variables()
    >>> rows[0].usage, [r.usage for r in rows if r.name == "age"]
    ('municipality_code', ['m.age · person.age'])
    """
    rows = [
        VariableRow(
            "household",
            v.name,
            v.name,
            v.cel_type,
            v.description_es,
            v.values,
            bool(v.values) and v.name not in OPEN_VALUE_VARIABLES,
        )
        for v in HOUSEHOLD_VARIABLES.values()
    ]
    rows.extend(
        VariableRow(
            "member",
            v.name,
            f"m.{v.name} · person.{v.name}",
            v.cel_type,
            v.description_es,
            v.values,
            bool(v.values),
        )
        for v in PERSON_FIELDS.values()
    )
    return rows
