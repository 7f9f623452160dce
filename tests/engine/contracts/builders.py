"""Tiny hand-built registries for the contract tests: one valid household and its head."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from oferta.engine.contracts.registry_v1 import HOUSEHOLD_COLUMNS, PERSON_COLUMNS
from oferta.engine.contracts.validation import RegistryValidation, validate_registry

AS_OF = date(2025, 6, 30)

Row = dict[str, str | None]


def household(**values: str | None) -> Row:
    """A valid household row (all text, as read from CSV); ``values`` override columns."""
    row: Row = dict.fromkeys(HOUSEHOLD_COLUMNS)
    row.update(
        household_id="h1",
        municipality_code="05001",
        zone="urban",
        sleeping_rooms="2",
        water_source="aqueduct",
        toilet="sewer",
        floor_material="tile_brick",
        wall_material="brick_block_stone",
        monthly_income="1500000",
        sisben_group="B2",
        programs="familias_en_accion",
        accompaniment="false",
    )
    row.update(values)
    return row


def person(**values: str | None) -> Row:
    """A valid adult head of household ``h1``; ``values`` override columns."""
    row: Row = dict.fromkeys(PERSON_COLUMNS)
    row.update(
        person_id="p1",
        household_id="h1",
        document_type="CC",
        document_number="1098765432",
        first_names="Ana María",
        last_names="Pérez Gómez",
        sex="female",
        birth_date="1985-03-14",
        relationship="head",
        ethnicity="none",
        disability="false",
        victim="false",
        can_read_write="true",
        years_of_schooling="11",
        attends_school="false",
        activity="employed",
        contributes_to_pension="true",
        receives_pension="false",
        health_insured="true",
        health_need_last_30_days="false",
    )
    row.update(values)
    return row


def child(**values: str | None) -> Row:
    """A valid 3-year-old child of household ``h1`` (early-childhood fields given)."""
    base = person(
        person_id="c1",
        document_type="RC",
        document_number="1122334455",
        first_names="Tomás",
        birth_date="2022-01-10",
        relationship="child",
        can_read_write="false",
        years_of_schooling="0",
        attends_school="false",
        activity="inactive",
        contributes_to_pension="false",
        early_childhood_care_adequate="true",
        early_childhood_nutrition_adequate="true",
    )
    base.update(values)
    return base


def text_frame(rows: list[Row], columns: dict[str, Any]) -> pl.LazyFrame:
    """A frame of text columns, as CSV or XLSX give them."""
    return pl.LazyFrame(rows, schema=dict.fromkeys(columns, pl.String), orient="row")


def validate(households: list[Row], persons: list[Row], **options: Any) -> RegistryValidation:
    """Validate text rows with the test reference date."""
    return validate_registry(
        text_frame(households, HOUSEHOLD_COLUMNS),
        text_frame(persons, PERSON_COLUMNS),
        as_of=options.pop("as_of", AS_OF),
        **options,
    )


def problems(
    result: RegistryValidation, file: str | None = None
) -> list[tuple[str, int, str, str]]:
    """The rejects as (file, row, column, rule), optionally of one file only."""
    return [
        (r["file"], r["row"], r["column"], r["rule"])
        for r in result.rejects.iter_rows(named=True)
        if file is None or r["file"] == file
    ]
