"""The synthetic registry follows contract v1: columns, types, codes, ids, heads, ages, names."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from oferta.engine.contracts.registry_v1 import (
    HOUSEHOLD_COLUMNS,
    PERSON_COLUMNS,
    SISBEN_GROUPS,
)
from oferta.engine.contracts.validation import validate_registry
from oferta.engine.diagnostics.indicators import age_in_years
from oferta.engine.synth import PROGRAMS, generate_registry

from .conftest import AS_OF


def _contract(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(pl.exclude("^target_.*$"))


def test_tables_have_exactly_the_contract_columns(small_registry) -> None:
    households, persons = small_registry
    assert _contract(households).columns == list(HOUSEHOLD_COLUMNS)
    assert persons.columns == list(PERSON_COLUMNS)


def test_columns_are_typed_dates_booleans_and_text(small_registry) -> None:
    households, persons = small_registry
    assert persons.schema["birth_date"] == pl.Date
    assert households.schema["accompaniment"] == pl.Boolean
    assert households.schema["programs"] == pl.String
    for name, col in PERSON_COLUMNS.items():
        if col.kind == "bool":
            assert persons.schema[name] == pl.Boolean, name
        if col.kind == "int":
            assert persons.schema[name].is_integer(), name


def test_every_code_is_one_of_the_contract_codes(small_registry) -> None:
    households, persons = small_registry
    for table, columns in ((households, HOUSEHOLD_COLUMNS), (persons, PERSON_COLUMNS)):
        for name, col in columns.items():
            if col.kind == "code" and col.codes:
                used = set(table[name].drop_nulls().unique())
                assert used <= set(col.codes), name
    assert set(households["sisben_group"].unique()) <= set(SISBEN_GROUPS)
    programs = households["programs"].drop_nulls().str.split(";").explode()
    assert set(programs.unique()) <= set(PROGRAMS)


def test_the_contract_validator_accepts_every_row(small_registry) -> None:
    households, persons = small_registry
    result = validate_registry(
        _contract(households).lazy(), persons.lazy(), as_of=AS_OF, strict=True
    )
    assert result.rejects.height == 0
    assert result.households.height == households.height
    assert result.persons.height == persons.height


def test_ids_and_document_numbers_are_unique(small_registry) -> None:
    households, persons = small_registry
    assert households["household_id"].is_unique().all()
    assert persons["person_id"].is_unique().all()
    assert persons["document_number"].is_unique().all()
    # 15 digits starting with 9: no Colombian document has that form.
    assert persons["document_number"].str.contains(r"^9\d{14}$").all()


def test_every_household_has_exactly_one_head_who_is_an_adult(small_registry) -> None:
    households, persons = small_registry
    heads = persons.filter(pl.col("relationship") == "head").with_columns(
        age_in_years(pl.col("birth_date"), AS_OF).alias("age")
    )
    assert heads["household_id"].is_unique().all()
    assert heads.height == households.height
    assert heads["age"].min() >= 18


def test_document_types_follow_age(small_registry) -> None:
    _, persons = small_registry
    aged = persons.with_columns(age_in_years(pl.col("birth_date"), AS_OF).alias("age"))
    expected = (
        pl.when(pl.col("age") < 7).then(pl.lit("RC")).when(pl.col("age") < 18).then(pl.lit("TI"))
    ).otherwise(pl.lit("CC"))
    assert aged.select((pl.col("document_type") == expected).all()).item()
    assert aged["age"].min() >= 0
    assert aged["age"].max() <= 100


def test_conditional_answers_are_present_exactly_where_required(small_registry) -> None:
    _, persons = small_registry
    aged = persons.with_columns(age_in_years(pl.col("birth_date"), AS_OF).alias("age"))
    unemployed = pl.col("activity") == "unemployed"
    assert aged.select((pl.col("unemployed_months").is_not_null() == unemployed).all()).item()
    need = pl.col("health_need_last_30_days")
    assert aged.select((pl.col("health_need_attended").is_not_null() == need).all()).item()
    young = pl.col("age") <= 5
    care = pl.col("early_childhood_care_adequate").is_not_null()
    assert aged.select((care == young).all()).item()


def test_children_carry_the_heads_first_surname(small_registry) -> None:
    _, persons = small_registry
    surname = pl.col("last_names").str.split(" ").list.first()
    heads = persons.filter(pl.col("relationship") == "head").select(
        "household_id", surname.alias("head_surname")
    )
    children = persons.filter(pl.col("relationship") == "child").join(heads, on="household_id")
    assert children.select((surname == pl.col("head_surname")).all()).item()


def test_households_are_spread_over_the_selected_departments_only(small_registry) -> None:
    households, _ = small_registry
    assert set(households["municipality_code"].str.slice(0, 2).unique()) == {"11", "27", "44"}
    assert households.height == 2000


def test_same_seed_gives_the_same_registry_and_another_seed_does_not() -> None:
    args = {"households": 300, "departments": ["70"], "as_of": date(2024, 1, 31)}
    first = generate_registry(seed=5, **args)
    again = generate_registry(seed=5, **args)
    other = generate_registry(seed=6, **args)
    assert first[0].equals(again[0])
    assert first[1].equals(again[1])
    assert not first[1].equals(other[1])


def test_households_per_municipality_gives_that_many_in_each() -> None:
    households, _ = generate_registry(
        households=0,
        seed=1,
        departments=["88"],
        as_of=AS_OF,
        households_per_municipality=25,
    )
    counts = households.group_by("municipality_code").len()
    assert counts["len"].to_list() == [25, 25]


def test_unknown_department_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="departamentos desconocidos: 42"):
        generate_registry(households=10, seed=1, departments=["42"], as_of=AS_OF)


def test_household_sizes_and_incomes_are_plausible(small_registry) -> None:
    households, persons = small_registry
    sizes = (
        persons.group_by("household_id")
        .len()
        .join(households.select("household_id", "zone", "monthly_income"), on="household_id")
    )
    by_zone = dict(sizes.group_by("zone").agg(pl.col("len").mean()).iter_rows())
    assert 2.5 < by_zone["urban"] < 3.6
    assert by_zone["rural"] > by_zone["urban"]
    assert sizes["len"].max() <= 15
    assert (sizes["monthly_income"] > 0).all()


def test_poorer_households_have_lower_incomes_and_sisben_groups(small_registry) -> None:
    households, _ = small_registry
    deprived = [c for c in households.columns if c.startswith("target_")]
    scored = households.with_columns(
        (pl.sum_horizontal(deprived) >= 5).alias("many"),
        pl.col("sisben_group").str.slice(0, 1).alias("letter"),
    )
    means = dict(scored.group_by("many").agg(pl.col("monthly_income").median()).iter_rows())
    assert means[True] < means[False]
    share_a = dict(scored.group_by("many").agg((pl.col("letter") == "A").mean()).iter_rows())
    assert share_a[True] > share_a[False]
