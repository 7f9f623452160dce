"""Export registry contract v1 as a Frictionless Data Package (Table Schema) JSON document.

The committed ``docs/registry-contract-v1.schema.json`` is this module's output; a test keeps
them equal. Regenerate with ``python -m oferta.engine.contracts.schema_export > FILE``.

Example
-------
>>> import json
>>> [r["name"] for r in json.loads(contract_json())["resources"]]
['households', 'persons']
"""

from __future__ import annotations

import json
from typing import Any, Final

from oferta.engine.contracts import messages as m
from oferta.engine.contracts.registry_v1 import (
    BOOL_FALSE,
    BOOL_TRUE,
    CODE_LIST_SEPARATOR,
    CONTRACT_VERSION,
    EARLY_CHILDHOOD_AGES,
    EARLY_CHILDHOOD_COLUMNS,
    MAX_AGE_YEARS,
    MUNICIPALITY_CODE_DIGITS,
    PERSON_HOUSEHOLD_KEY,
    REQUIRED_WHEN,
    TABLE_KEYS,
    TABLES,
    Column,
)

_TYPES: Final[dict[str, str]] = {
    "id": "string",
    "text": "string",
    "code": "string",
    "code_list": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "date": "date",
}


def _field(col: Column, *, table: str) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": col.name,
        "type": _TYPES[col.kind],
        "description": col.description_es,
    }
    constraints: dict[str, Any] = {"required": col.required}
    if TABLE_KEYS[table] == col.name:
        constraints["unique"] = True
    if col.codes:
        constraints["enum"] = list(col.codes)
    if col.kind == "code" and not col.codes:
        constraints["pattern"] = rf"^\d{{{MUNICIPALITY_CODE_DIGITS}}}$"
    if col.min is not None:
        constraints["minimum"] = _number(col.min)
    if col.max is not None:
        constraints["maximum"] = _number(col.max)
    field["constraints"] = constraints
    if col.kind == "date":
        field["format"] = "%Y-%m-%d"
    if col.kind == "bool":
        field["trueValues"] = list(BOOL_TRUE)
        field["falseValues"] = list(BOOL_FALSE)
    if col.kind == "code_list":
        field["x-separator"] = CODE_LIST_SEPARATOR
    if col.personal:
        field["x-personal"] = True
    for rw in REQUIRED_WHEN:
        if rw.column == col.name:
            field["x-requiredWhen"] = {"field": rw.when_column, "equals": rw.when_value}
    if table == "persons" and col.name in EARLY_CHILDHOOD_COLUMNS:
        low, high = EARLY_CHILDHOOD_AGES
        field["x-requiredForAge"] = {"minimum": low, "maximum": high}
    return field


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def contract_schema() -> dict[str, Any]:
    """Return contract v1 as a Data Package with one Table Schema per table.

    Examples
    --------
    >>> contract_schema()["resources"][0]["schema"]["primaryKey"]
    ['household_id']
    """
    resources: list[dict[str, Any]] = []
    for table, columns in TABLES.items():
        schema: dict[str, Any] = {
            "fields": [_field(col, table=table) for col in columns.values()],
            "primaryKey": [TABLE_KEYS[table]],
        }
        if table == "persons":
            schema["foreignKeys"] = [
                {
                    "fields": [PERSON_HOUSEHOLD_KEY],
                    "reference": {"resource": "households", "fields": [PERSON_HOUSEHOLD_KEY]},
                }
            ]
        resources.append(
            {
                "name": table,
                "profile": "tabular-data-resource",
                "formats": ["csv", "parquet", "xlsx"],
                "schema": schema,
            }
        )
    return {
        "$comment": "Generated from oferta.engine.contracts.registry_v1; do not edit by hand.",
        "name": "oferta-registry",
        "title": "Registro de hogares y personas (contrato de archivo v1)",
        "version": CONTRACT_VERSION,
        "profile": "tabular-data-package",
        "resources": resources,
        "x-validation": {
            "maxAgeYears": MAX_AGE_YEARS,
            "rules": list(m.RULES),
            "warnings": list(m.WARNINGS),
        },
    }


def contract_json() -> str:
    """Return :func:`contract_schema` as stable, indented JSON ending in a newline.

    Examples
    --------
    >>> contract_json().startswith("{")
    True
    """
    return json.dumps(contract_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    print(contract_json(), end="")
