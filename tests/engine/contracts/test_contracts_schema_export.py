"""The committed JSON schema is generated from registry_v1 and kept up to date."""

from __future__ import annotations

import json
from pathlib import Path

from oferta.engine.contracts import messages
from oferta.engine.contracts.registry_v1 import TABLES
from oferta.engine.contracts.schema_export import contract_json, contract_schema

DOCS = Path(__file__).resolve().parents[3] / "docs"


def test_committed_schema_equals_the_generated_one() -> None:
    # To refresh: python -m oferta.engine.contracts.schema_export > docs/<this file>
    committed = (DOCS / "registry-contract-v1.schema.json").read_text(encoding="utf-8")
    assert committed == contract_json()


def test_schema_lists_every_column_with_its_codes_and_personal_flag() -> None:
    resources = {r["name"]: r for r in contract_schema()["resources"]}
    for table, columns in TABLES.items():
        fields = {f["name"]: f for f in resources[table]["schema"]["fields"]}
        assert list(fields) == list(columns)
        for name, col in columns.items():
            assert fields[name]["constraints"]["required"] == col.required
            assert fields[name]["constraints"].get("enum", []) == list(col.codes)
            assert fields[name].get("x-personal", False) == col.personal


def test_persons_reference_households() -> None:
    persons = contract_schema()["resources"][1]["schema"]
    assert persons["foreignKeys"][0]["reference"]["resource"] == "households"


def test_schema_is_valid_json_with_the_rule_codes() -> None:
    doc = json.loads(contract_json())
    assert doc["x-validation"]["rules"] == list(messages.RULES)


def test_data_contract_page_documents_every_column_and_rule() -> None:
    page = (DOCS / "data-contract.md").read_text(encoding="utf-8")
    names = {n for columns in TABLES.values() for n in columns}
    missing = [n for n in (*names, *messages.RULES, *messages.WARNINGS) if f"`{n}`" not in page]
    assert missing == []
