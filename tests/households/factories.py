"""Factories for household tests: registry files in contract v1 and stored households."""

from __future__ import annotations

import csv
import itertools
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from oferta.engine.contracts.registry_v1 import HOUSEHOLD_COLUMNS, PERSON_COLUMNS
from oferta.households.models import Household, Person
from oferta.households.selectors import normalise_name

_seq = itertools.count(1)

AS_OF = date(2025, 6, 30)


def household_row(household_id: str = "H1", **overrides: Any) -> dict[str, str]:
    row = {
        "household_id": household_id,
        "municipality_code": "44847",
        "zone": "urban",
        "sleeping_rooms": "2",
        "water_source": "aqueduct",
        "toilet": "sewer",
        "floor_material": "cement_gravel",
        "wall_material": "brick_block_stone",
        "monthly_income": "1500000",
        "sisben_group": "A1",
        "programs": "renta_ciudadana;unidos",
        "accompaniment": "true",
    }
    row.update({k: str(v) for k, v in overrides.items()})
    return row


def person_row(person_id: str, household_id: str = "H1", **overrides: Any) -> dict[str, str]:
    row = {
        "person_id": person_id,
        "household_id": household_id,
        "document_type": "CC",
        "document_number": f"10{next(_seq):06d}",
        "first_names": "Ana María",
        "last_names": "Gómez Pérez",
        "sex": "female",
        "birth_date": "1985-03-10",
        "relationship": "head",
        "ethnicity": "none",
        "disability": "false",
        "victim": "false",
        "can_read_write": "true",
        "years_of_schooling": "11",
        "attends_school": "false",
        "activity": "employed",
        "unemployed_months": "",
        "contributes_to_pension": "true",
        "receives_pension": "false",
        "health_insured": "true",
        "health_need_last_30_days": "false",
        "health_need_attended": "",
        "early_childhood_care_adequate": "",
        "early_childhood_nutrition_adequate": "",
    }
    row.update({k: str(v) for k, v in overrides.items()})
    return row


def write_registry(
    directory: Path,
    households: list[dict[str, str]],
    persons: list[dict[str, str]],
    *,
    stem: str = "",
) -> tuple[Path, Path]:
    """Write ``hogares.csv`` and ``personas.csv`` in ``directory`` (contract column order)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = (directory / f"hogares{stem}.csv", directory / f"personas{stem}.csv")
    for path, rows, columns in (
        (paths[0], households, list(HOUSEHOLD_COLUMNS)),
        (paths[1], persons, list(PERSON_COLUMNS)),
    ):
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    return paths


def household_make(
    *,
    municipality_code: str = "44847",
    members: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Household:
    """A stored household (as an import would leave it) with its members."""
    n = next(_seq)
    defaults: dict[str, Any] = {
        "registry_id": f"HH{n}",
        "municipality_code": municipality_code,
        "department_code": municipality_code[:2],
        "zone": "urban",
        "sleeping_rooms": 2,
        "water_source": "aqueduct",
        "toilet": "sewer",
        "floor_material": "cement_gravel",
        "wall_material": "brick_block_stone",
        "as_of": AS_OF,
        "method_code": "dane-cnpv-2018",
        "k": "0.33",
        "score": Decimal("0.1000"),
        "score_units": 10,
        "poor": False,
        "diagnosed_at": timezone.now(),
    }
    defaults.update(fields)
    household = Household.objects.create(**defaults)
    for i, member in enumerate(members or [{}]):
        person_make(household=household, index=i, **member)
    household.size = household.members.count()
    household.save(update_fields=["size"])
    return household


def person_make(*, household: Household, index: int = 0, **fields: Any) -> Person:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "registry_id": f"P{n}",
        "document_type": "CC",
        "document_number": f"20{n:06d}",
        "first_names": "Ana María",
        "last_names": "Gómez Pérez",
        "sex": "female",
        "birth_date": date(1985, 3, 10),
        "relationship": "head" if index == 0 else "child",
        "ethnicity": "none",
        "disability": False,
        "victim": False,
        "can_read_write": True,
        "years_of_schooling": 11,
        "attends_school": False,
        "activity": "employed",
        "contributes_to_pension": True,
        "receives_pension": False,
        "health_insured": True,
        "health_need_last_30_days": False,
    }
    defaults.update(fields)
    defaults["search_name"] = normalise_name(f"{defaults['first_names']} {defaults['last_names']}")
    return Person.objects.create(household=household, **defaults)
