"""Registry file contract v1: the two tables (households, persons), their columns and codes.

This module is the single source of truth for column names and allowed codes; the JSON
schema in ``docs/`` and the validation in :mod:`oferta.engine.contracts.validation` are
derived from it.

Example
-------
>>> HOUSEHOLD_COLUMNS["zone"].codes
('urban', 'rural')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

ColumnKind = Literal["id", "text", "code", "int", "float", "bool", "date", "code_list"]

CONTRACT_VERSION: Final[str] = "1"


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a registry table.

    ``kind``: ``id`` (non-empty text, unique in its table), ``text``, ``code`` (one of
    ``codes``), ``int``, ``float``, ``bool`` (``true``/``false``/``1``/``0``/``si``/``no``),
    ``date`` (ISO ``YYYY-MM-DD``), ``code_list`` (``;``-separated codes, open list).
    ``min``/``max`` bound numbers; ``personal`` marks personal data (Ley 1581 de 2012) that
    must never appear in logs or in a rejects file (neither in its message nor in its value).
    """

    name: str
    kind: ColumnKind
    required: bool = True
    codes: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    personal: bool = False
    description_es: str = ""


WATER_SOURCES: Final = (
    "aqueduct",
    "well_with_pump",
    "well_without_pump",
    "rainwater",
    "river_or_spring",
    "tanker_truck",
    "water_vendor",
    "bottled_water",
    "other",
)
TOILETS: Final = ("sewer", "septic_tank", "no_connection", "latrine", "bajamar", "none")
FLOOR_MATERIALS: Final = (
    "earth_sand",
    "cement_gravel",
    "rough_wood",
    "tile_brick",
    "polished_wood_marble",
    "carpet",
)
WALL_MATERIALS: Final = (
    "brick_block_stone",
    "prefab",
    "tapia_adobe",
    "bahareque",
    "rough_wood",
    "polished_wood",
    "guadua_cane_plant",
    "zinc_cloth_cardboard_waste",
    "none",
)
SISBEN_GROUPS: Final = (
    tuple(f"A{i}" for i in range(1, 6))
    + tuple(f"B{i}" for i in range(1, 8))
    + tuple(f"C{i}" for i in range(1, 19))
    + tuple(f"D{i}" for i in range(1, 22))
)
DOCUMENT_TYPES: Final = ("RC", "TI", "CC", "CE", "PEP", "PPT", "PA", "NUIP", "SD")
SEXES: Final = ("female", "male", "intersex")
RELATIONSHIPS: Final = (
    "head",
    "spouse",
    "child",
    "grandchild",
    "parent",
    "other_relative",
    "non_relative",
)
ETHNICITIES: Final = ("none", "indigenous", "afrocolombian", "raizal", "palenquero", "rrom")
ACTIVITIES: Final = ("employed", "unemployed", "inactive")

_household_columns = (
    Column("household_id", "id", description_es="Identificador del hogar en el registro"),
    Column("municipality_code", "code", description_es="Municipio (DIVIPOLA, 5 dígitos, texto)"),
    Column(
        "zone",
        "code",
        codes=("urban", "rural"),
        description_es="Zona: cabecera (urban) o centros poblados y rural disperso (rural)",
    ),
    Column("sleeping_rooms", "int", min=0, max=50, description_es="Cuartos para dormir"),
    Column("water_source", "code", codes=WATER_SOURCES, description_es="Fuente de agua"),
    Column("toilet", "code", codes=TOILETS, description_es="Servicio sanitario"),
    Column("floor_material", "code", codes=FLOOR_MATERIALS, description_es="Material de pisos"),
    Column(
        "wall_material",
        "code",
        codes=WALL_MATERIALS,
        description_es="Material de paredes exteriores",
    ),
    Column(
        "monthly_income",
        "float",
        required=False,
        min=0,
        description_es="Ingreso mensual total del hogar (COP)",
    ),
    Column(
        "sisben_group",
        "code",
        required=False,
        codes=SISBEN_GROUPS,
        description_es="Grupo Sisbén IV",
    ),
    Column(
        "programs",
        "code_list",
        required=False,
        description_es="Programas (códigos separados por ';')",
    ),
    Column(
        "accompaniment",
        "bool",
        required=False,
        description_es="Hogar en acompañamiento familiar (Unidos)",
    ),
)

_person_columns = (
    Column("person_id", "id", description_es="Identificador de la persona en el registro"),
    Column("household_id", "id", description_es="Hogar al que pertenece"),
    Column(
        "document_type",
        "code",
        codes=DOCUMENT_TYPES,
        personal=True,
        description_es="Tipo de documento",
    ),
    Column("document_number", "text", personal=True, description_es="Número de documento"),
    Column("first_names", "text", personal=True, description_es="Nombres"),
    Column("last_names", "text", personal=True, description_es="Apellidos"),
    Column("sex", "code", codes=SEXES, description_es="Sexo"),
    Column("birth_date", "date", personal=True, description_es="Fecha de nacimiento (ISO)"),
    Column(
        "relationship", "code", codes=RELATIONSHIPS, description_es="Parentesco con la jefatura"
    ),
    Column("ethnicity", "code", codes=ETHNICITIES, description_es="Autorreconocimiento étnico"),
    Column("disability", "bool", description_es="Discapacidad"),
    Column("victim", "bool", description_es="Víctima del conflicto armado"),
    Column("can_read_write", "bool", description_es="Sabe leer y escribir"),
    Column(
        "years_of_schooling", "int", min=0, max=26, description_es="Años de educación aprobados"
    ),
    Column("attends_school", "bool", description_es="Asiste a un establecimiento educativo"),
    Column("activity", "code", codes=ACTIVITIES, description_es="Actividad principal"),
    Column(
        "unemployed_months",
        "int",
        required=False,
        min=0,
        max=600,
        description_es="Meses buscando trabajo (desocupados)",
    ),
    Column("contributes_to_pension", "bool", description_es="Cotiza a pensión"),
    Column("receives_pension", "bool", description_es="Recibe pensión"),
    Column("health_insured", "bool", description_es="Afiliado al SGSSS"),
    Column(
        "health_need_last_30_days",
        "bool",
        description_es="Tuvo un problema de salud en los últimos 30 días",
    ),
    Column(
        "health_need_attended",
        "bool",
        required=False,
        description_es="Fue atendido por un médico o institución",
    ),
    Column(
        "early_childhood_care_adequate",
        "bool",
        required=False,
        description_es="Cuidado adecuado (0 a 5 años)",
    ),
    Column(
        "early_childhood_nutrition_adequate",
        "bool",
        required=False,
        description_es="Alimentación adecuada donde es cuidado (0 a 5 años)",
    ),
)

HOUSEHOLD_COLUMNS: Final[dict[str, Column]] = {c.name: c for c in _household_columns}
PERSON_COLUMNS: Final[dict[str, Column]] = {c.name: c for c in _person_columns}
TABLES: Final[dict[str, dict[str, Column]]] = {
    "households": HOUSEHOLD_COLUMNS,
    "persons": PERSON_COLUMNS,
}
MAX_AGE_YEARS: Final[int] = 120

# Additions for validation (contract v1 semantics; see docs/data-contract.md).

TABLE_KEYS: Final[dict[str, str]] = {"households": "household_id", "persons": "person_id"}
"""The identifier column of each table: unique within its table (every duplicate is rejected)."""

PERSON_HOUSEHOLD_KEY: Final[str] = "household_id"
"""The persons' column that must name an accepted household."""

MUNICIPALITY_CODE_DIGITS: Final[int] = 5

BOOL_TRUE: Final[tuple[str, ...]] = ("true", "1", "si", "sí", "yes")
BOOL_FALSE: Final[tuple[str, ...]] = ("false", "0", "no")
"""Accepted spellings of booleans, compared after trimming and lower-casing."""

CODE_LIST_SEPARATOR: Final[str] = ";"

EARLY_CHILDHOOD_AGES: Final[tuple[int, int]] = (0, 5)
EARLY_CHILDHOOD_COLUMNS: Final[tuple[str, ...]] = (
    "early_childhood_care_adequate",
    "early_childhood_nutrition_adequate",
)
"""Optional columns that become required for persons aged 0 to 5 at the reference date."""


@dataclass(frozen=True, slots=True)
class RequiredWhen:
    """An optional column that is required when another column holds a given value."""

    column: str
    when_column: str
    when_value: str | bool


REQUIRED_WHEN: Final[tuple[RequiredWhen, ...]] = (
    RequiredWhen("unemployed_months", "activity", "unemployed"),
    RequiredWhen("health_need_attended", "health_need_last_30_days", True),
)
"""Conditional requirements on persons (rule ``required``)."""
