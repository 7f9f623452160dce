"""Tiny hand-built registry frames for diagnostics tests: one non-deprived default, overrides."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from oferta.engine.contracts.registry_v1 import (
    ACTIVITIES,
    ETHNICITIES,
    FLOOR_MATERIALS,
    RELATIONSHIPS,
    SEXES,
    TOILETS,
    WALL_MATERIALS,
    WATER_SOURCES,
)
from oferta.engine.diagnostics.indicators import household_deprivations
from oferta.engine.diagnostics.methods import METHODS, IpmMethod

ECV = METHODS["dane-ecv-2018"]
CNPV = METHODS["dane-cnpv-2018"]
AS_OF = date(2024, 6, 30)

# Codes are Enums and age Int16, as the contract's validation delivers them.
HOUSEHOLD_SCHEMA: dict[str, Any] = {
    "household_id": pl.String,
    "municipality_code": pl.String,
    "zone": pl.Enum(["urban", "rural"]),
    "sleeping_rooms": pl.Int16,
    "water_source": pl.Enum(WATER_SOURCES),
    "toilet": pl.Enum(TOILETS),
    "floor_material": pl.Enum(FLOOR_MATERIALS),
    "wall_material": pl.Enum(WALL_MATERIALS),
    "monthly_income": pl.Float64,
    "sisben_group": pl.String,
    "programs": pl.List(pl.String),
    "accompaniment": pl.Boolean,
}
PERSON_SCHEMA: dict[str, Any] = {
    "person_id": pl.String,
    "household_id": pl.String,
    "sex": pl.Enum(SEXES),
    "birth_date": pl.Date,
    "age": pl.Int16,
    "relationship": pl.Enum(RELATIONSHIPS),
    "ethnicity": pl.Enum(ETHNICITIES),
    "disability": pl.Boolean,
    "victim": pl.Boolean,
    "can_read_write": pl.Boolean,
    "years_of_schooling": pl.Int16,
    "attends_school": pl.Boolean,
    "activity": pl.Enum(ACTIVITIES),
    "unemployed_months": pl.Int16,
    "contributes_to_pension": pl.Boolean,
    "receives_pension": pl.Boolean,
    "health_insured": pl.Boolean,
    "health_need_last_30_days": pl.Boolean,
    "health_need_attended": pl.Boolean,
    "early_childhood_care_adequate": pl.Boolean,
    "early_childhood_nutrition_adequate": pl.Boolean,
}


def household(household_id: str = "h1", **overrides: Any) -> dict[str, Any]:
    """An urban household deprived in nothing (aqueduct, sewer, cement floor, brick walls)."""
    row: dict[str, Any] = {
        "household_id": household_id,
        "municipality_code": "05001",
        "zone": "urban",
        "sleeping_rooms": 2,
        "water_source": "aqueduct",
        "toilet": "sewer",
        "floor_material": "cement_gravel",
        "wall_material": "brick_block_stone",
        "monthly_income": 5_000_000.0,
        "sisben_group": "C1",
        "programs": [],
        "accompaniment": False,
    }
    row.update(overrides)
    return row


def person(
    household_id: str = "h1", *, person_id: str | None = None, age: int = 35, **overrides: Any
) -> dict[str, Any]:
    """A member deprived in nothing: literate, 11 years of school, formally employed, insured."""
    row: dict[str, Any] = {
        "person_id": person_id or f"{household_id}-{age}-{len(overrides)}",
        "household_id": household_id,
        "sex": "female",
        "birth_date": date(AS_OF.year - age, 1, 1),
        "age": age,
        "relationship": "head",
        "ethnicity": "none",
        "disability": False,
        "victim": False,
        "can_read_write": True,
        "years_of_schooling": 11,
        "attends_school": False,
        "activity": "employed",
        "unemployed_months": None,
        "contributes_to_pension": True,
        "receives_pension": False,
        "health_insured": True,
        "health_need_last_30_days": False,
        "health_need_attended": None,
        "early_childhood_care_adequate": None,
        "early_childhood_nutrition_adequate": None,
    }
    row.update(overrides)
    return row


def child(household_id: str = "h1", *, age: int, **overrides: Any) -> dict[str, Any]:
    """A child not deprived at its age: at school with the expected years, insured, cared for."""
    fields: dict[str, Any] = {
        "relationship": "child",
        "activity": "inactive",
        "contributes_to_pension": False,
        "attends_school": age >= 5,
        "years_of_schooling": max(0, age - 6),
        "can_read_write": age >= 7,
    }
    if age <= 5:
        fields |= {
            "early_childhood_care_adequate": True,
            "early_childhood_nutrition_adequate": True,
        }
    fields.update(overrides)
    return person(household_id, age=age, **fields)


def frames(
    households: list[dict[str, Any]], persons: list[dict[str, Any]]
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Typed LazyFrames as the contract's validation delivers them."""
    for i, p in enumerate(persons):
        p.setdefault("person_id", f"p{i}")
    persons = [{**p, "person_id": f"{p['person_id']}#{i}"} for i, p in enumerate(persons)]
    return (
        pl.LazyFrame(households, schema=HOUSEHOLD_SCHEMA),
        pl.LazyFrame(persons, schema=PERSON_SCHEMA),
    )


def deprivations(
    persons: list[dict[str, Any]],
    *,
    method: IpmMethod = ECV,
    **household_overrides: Any,
) -> dict[str, bool]:
    """Deprivations (code -> bool) of one household ``h1`` with these members."""
    hh, p = frames([household("h1", **household_overrides)], persons)
    row = household_deprivations(hh, p, method=method).collect().row(0, named=True)
    return {code: row[f"deprived_{code}"] for code in method.codes}


def deprived_in(
    persons: list[dict[str, Any]], *, method: IpmMethod = ECV, **household_overrides: Any
) -> set[str]:
    """The set of indicator codes the household ``h1`` is deprived in."""
    return {c for c, d in deprivations(persons, method=method, **household_overrides).items() if d}
