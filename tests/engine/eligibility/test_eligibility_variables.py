"""describe_variables: one reference row per household variable and per member field."""

from __future__ import annotations

from oferta.engine.eligibility.variables import (
    HOUSEHOLD_VARIABLES,
    NAME_ALIASES_ES,
    PERSON_FIELDS,
    VALUE_ALIASES_ES,
    describe_variables,
)


def test_rows_cover_every_household_variable_and_member_field_once() -> None:
    rows = describe_variables()
    household = [r.name for r in rows if r.group == "household"]
    member = [r.name for r in rows if r.group == "member"]
    assert household == list(HOUSEHOLD_VARIABLES)
    assert member == list(PERSON_FIELDS)


def test_programs_values_are_listed_but_not_closed() -> None:
    rows = {r.name: r for r in describe_variables() if r.group == "household"}
    assert rows["programs"].values
    assert not rows["programs"].closed_values
    assert rows["zone"].closed_values


def test_member_rows_show_how_to_write_them() -> None:
    (age,) = [r for r in describe_variables() if r.name == "age"]
    assert age.usage == "m.age · person.age"


def test_spanish_aliases_point_at_real_names_and_values() -> None:
    names = set(HOUSEHOLD_VARIABLES) | set(PERSON_FIELDS) | {"person"}
    assert set(NAME_ALIASES_ES.values()) <= names
    values = {
        v for var in (*HOUSEHOLD_VARIABLES.values(), *PERSON_FIELDS.values()) for v in var.values
    }
    assert set(VALUE_ALIASES_ES.values()) <= values
