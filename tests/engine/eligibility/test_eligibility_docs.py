"""docs/eligibility-rules.md stays true: its example rules check clean, it lists every variable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oferta.engine.eligibility.checker import check_rule
from oferta.engine.eligibility.variables import HOUSEHOLD_VARIABLES, PERSON_FIELDS

DOC = Path(__file__).resolve().parents[3] / "docs" / "eligibility-rules.md"
EXAMPLES = re.findall(r"```cel\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_the_reference_has_examples() -> None:
    assert len(EXAMPLES) >= 15


@pytest.mark.parametrize("rule", EXAMPLES)
def test_documented_example_rule_is_valid(rule: str) -> None:
    scope = "person" if "person." in rule else "household"
    assert check_rule(rule, scope=scope) == []


def test_every_variable_and_field_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [name for name in HOUSEHOLD_VARIABLES if f"`{name}`" not in text]
    missing += [name for name in PERSON_FIELDS if f"`m.{name}`" not in text]
    assert missing == []
