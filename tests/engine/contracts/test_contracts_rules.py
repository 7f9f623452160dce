"""validate_registry: each rule rejects the row it names, at the exact row and column."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from oferta.engine.contracts.validation import output_schema, validate_registry

from .builders import child, household, person, problems, validate


def test_a_valid_registry_is_accepted_whole_and_typed() -> None:
    # given one household with a head and a small child
    # when it is validated
    result = validate([household()], [person(), child()])
    # then nothing is rejected and the accepted frames carry the contract's types
    assert result.rejects.is_empty()
    assert result.households.schema == output_schema("households")
    assert result.persons.schema == output_schema("persons")
    assert result.households.row(0, named=True)["programs"] == ["familias_en_accion"]
    assert result.persons.get_column("age").to_list() == [40, 3]


def test_output_types_follow_the_contract() -> None:
    hh, pp = output_schema("households"), output_schema("persons")
    assert hh["sleeping_rooms"] == pl.Int16
    assert hh["zone"] == pl.Enum(["urban", "rural"])
    assert hh["municipality_code"] == pl.String
    assert hh["programs"] == pl.List(pl.String)
    assert hh["accompaniment"] == pl.Boolean
    assert pp["birth_date"] == pl.Date
    assert pp["age"] == pl.Int16


def test_missing_required_value_is_rejected_on_its_cell() -> None:
    # given a household without zone (second data row of the file is row 2 here: 1-based)
    result = validate([household(household_id="h0"), household(zone="  ")], [person()])
    # then that row is rejected with rule "required" on "zone"
    assert ("households", 2, "zone", "required") in problems(result)
    assert result.counts["households"].rejected == 2  # h0 has no persons either


def test_missing_optional_value_is_accepted_as_null() -> None:
    result = validate([household(monthly_income=None, sisben_group="", programs=None)], [person()])
    assert result.rejects.is_empty()
    row = result.households.row(0, named=True)
    assert row["monthly_income"] is None
    assert row["sisben_group"] is None


def test_unknown_code_names_the_allowed_codes_and_keeps_the_cell() -> None:
    result = validate([household(zone="mountain")], [person()])
    reject = result.rejects.filter(pl.col("column") == "zone").row(0, named=True)
    assert (reject["row"], reject["rule"], reject["value"]) == (1, "unknown_code", "mountain")
    assert "urban, rural" in reject["message"]


def test_long_code_lists_are_named_briefly() -> None:
    result = validate([household(sisben_group="Z9")], [person()])
    message = result.rejects.filter(pl.col("column") == "sisben_group")["message"][0]
    assert "A1–A5, B1–B7, C1–C18, D1–D21" in message


def test_codes_are_matched_trimmed_and_ignoring_case() -> None:
    result = validate([household(zone=" Urban ", sisben_group="b2")], [person(document_type="cc")])
    assert result.rejects.is_empty()
    assert result.households["zone"].to_list() == ["urban"]
    assert result.households["sisben_group"].to_list() == ["B2"]


@pytest.mark.parametrize("cell", ["dos", "2.5", "2,0", "1e3"])
def test_a_non_integer_is_rejected(cell: str) -> None:
    result = validate([household(sleeping_rooms=cell)], [person()])
    assert problems(result, "households") == [("households", 1, "sleeping_rooms", "not_integer")]


def test_an_integer_written_with_a_zero_decimal_is_accepted() -> None:
    result = validate([household(sleeping_rooms="3.0")], [person()])
    assert result.households["sleeping_rooms"].to_list() == [3]


@pytest.mark.parametrize("cell", ["1.500.000", "1500000,50", "mucho", "nan", "inf"])
def test_a_non_number_is_rejected(cell: str) -> None:
    result = validate([household(monthly_income=cell)], [person()])
    assert problems(result, "households") == [("households", 1, "monthly_income", "not_number")]


@pytest.mark.parametrize(("cell", "expected"), [("Sí", True), ("0", False), ("TRUE", True)])
def test_boolean_spellings_are_accepted(cell: str, expected: bool) -> None:
    result = validate([household(accompaniment=cell)], [person()])
    assert result.households["accompaniment"].to_list() == [expected]


def test_a_non_boolean_is_rejected() -> None:
    result = validate([household()], [person(victim="tal vez")])
    assert problems(result, "persons") == [("persons", 1, "victim", "not_boolean")]


@pytest.mark.parametrize("cell", ["14/03/1985", "1985-3-14", "1985-02-30", "ayer"])
def test_a_non_iso_date_is_rejected(cell: str) -> None:
    result = validate([household()], [person(), person(person_id="p2", birth_date=cell)])
    assert ("persons", 2, "birth_date", "not_date") in problems(result)


def test_a_spreadsheet_date_at_midnight_is_accepted() -> None:
    result = validate([household()], [person(birth_date="1985-03-14 00:00:00")])
    assert result.persons["birth_date"].to_list() == [date(1985, 3, 14)]


@pytest.mark.parametrize(("column", "cell"), [("sleeping_rooms", "51"), ("sleeping_rooms", "-1")])
def test_a_household_number_out_of_range_is_rejected(column: str, cell: str) -> None:
    result = validate([household(**{column: cell})], [person()])
    assert problems(result, "households") == [("households", 1, column, "out_of_range")]
    assert "(0 a 50)" in result.rejects["message"][0]


def test_a_person_number_out_of_range_is_rejected() -> None:
    result = validate([household()], [person(years_of_schooling="27")])
    assert problems(result, "persons") == [("persons", 1, "years_of_schooling", "out_of_range")]


def test_a_huge_integer_is_out_of_range_not_malformed() -> None:
    result = validate([household(sleeping_rooms="99999999999999999999999")], [person()])
    assert problems(result, "households") == [("households", 1, "sleeping_rooms", "out_of_range")]


@pytest.mark.parametrize("cell", ["5001", "050011", "05-01", "O5001"])
def test_a_municipality_code_that_is_not_five_digits_is_rejected(cell: str) -> None:
    result = validate([household(municipality_code=cell)], [person()])
    assert problems(result, "households") == [
        ("households", 1, "municipality_code", "invalid_municipality")
    ]


def test_an_unknown_municipality_is_rejected_when_the_list_is_given() -> None:
    result = validate(
        [household(), household(household_id="h2", municipality_code="99999")],
        [person(), person(person_id="p2", household_id="h2")],
        known_municipalities=frozenset({"05001"}),
    )
    assert ("households", 2, "municipality_code", "unknown_municipality") in problems(result)
    assert result.households["household_id"].to_list() == ["h1"]


def test_every_occurrence_of_a_duplicate_household_id_is_rejected() -> None:
    # given the same household id on rows 1 and 3
    households = [household(), household(household_id="h2"), household(zone="rural")]
    persons = [person(), person(person_id="p2", household_id="h2")]
    # when validated
    result = validate(households, persons)
    # then both rows are rejected, and so is the person pointing at that id
    assert ("households", 1, "household_id", "duplicate_id") in problems(result)
    assert ("households", 3, "household_id", "duplicate_id") in problems(result)
    assert ("persons", 1, "household_id", "household_rejected") in problems(result)
    assert result.households["household_id"].to_list() == ["h2"]


def test_every_occurrence_of_a_duplicate_person_id_is_rejected() -> None:
    result = validate([household()], [person(), child(), person(relationship="spouse")])
    assert problems(result) == [
        ("persons", 1, "person_id", "duplicate_id"),
        ("persons", 3, "person_id", "duplicate_id"),
    ]
    assert result.persons["person_id"].to_list() == ["c1"]


def test_a_person_whose_household_is_not_in_the_file_is_rejected() -> None:
    result = validate([household()], [person(), child(household_id="h404")])
    assert problems(result) == [("persons", 2, "household_id", "missing_household")]
    assert result.rejects["value"].to_list() == ["h404"]


def test_a_person_whose_household_is_rejected_is_rejected() -> None:
    result = validate([household(toilet="bucket")], [person()])
    assert ("persons", 1, "household_id", "household_rejected") in problems(result)
    assert result.counts["persons"].accepted == 0


def test_a_birth_date_after_the_reference_date_is_an_impossible_age() -> None:
    result = validate([household()], [person(), child(birth_date="2025-07-01")])
    assert problems(result) == [("persons", 2, "birth_date", "impossible_age")]


def test_an_age_over_120_is_impossible_but_120_is_not() -> None:
    result = validate(
        [household()],
        [
            person(),
            person(person_id="p2", birth_date="1905-06-30", relationship="parent"),
            person(person_id="p3", birth_date="1904-06-30", relationship="parent"),
        ],
    )
    assert problems(result) == [("persons", 3, "birth_date", "impossible_age")]
    assert result.persons.filter(pl.col("person_id") == "p2")["age"].to_list() == [120]


@pytest.mark.parametrize(
    ("birth", "age"),
    [("2000-06-30", 25), ("2000-07-01", 24), ("2000-02-29", 25), ("2025-06-30", 0)],
)
def test_age_is_completed_years_at_the_reference_date(birth: str, age: int) -> None:
    result = validate(
        [household()], [person(), child(birth_date=birth, early_childhood_care_adequate="true")]
    )
    assert result.persons["age"].to_list()[1] == age


def test_an_unemployed_person_without_unemployed_months_is_missing_a_value() -> None:
    result = validate([household()], [person(activity="unemployed", unemployed_months=None)])
    assert problems(result, "persons") == [("persons", 1, "unemployed_months", "required")]
    assert "activity = unemployed" in result.rejects["message"][-1]


def test_unemployed_months_for_someone_not_unemployed_is_allowed() -> None:
    result = validate([household()], [person(activity="employed", unemployed_months="4")])
    assert result.rejects.is_empty()
    assert result.persons["unemployed_months"].to_list() == [4]


def test_a_health_need_without_saying_whether_it_was_attended_is_missing_a_value() -> None:
    result = validate([household()], [person(health_need_last_30_days="si")])
    assert problems(result, "persons") == [("persons", 1, "health_need_attended", "required")]


def test_early_childhood_fields_are_required_up_to_age_5() -> None:
    # given a child aged 5 and one aged 6, both without early-childhood answers
    five = child(
        person_id="c5",
        birth_date="2020-01-01",
        early_childhood_care_adequate=None,
        early_childhood_nutrition_adequate="true",
    )
    six = child(
        person_id="c6",
        birth_date="2019-01-01",
        early_childhood_care_adequate=None,
        early_childhood_nutrition_adequate=None,
    )
    # when validated
    result = validate([household()], [person(), five, six])
    # then only the 5-year-old is rejected, on the missing field
    assert problems(result) == [("persons", 2, "early_childhood_care_adequate", "required_for_age")]


def test_a_household_without_persons_is_rejected() -> None:
    result = validate([household(), household(household_id="h2")], [person()])
    assert problems(result, "households") == [
        ("households", 2, "household_id", "household_without_persons")
    ]


def test_a_household_whose_only_person_is_rejected_is_rejected() -> None:
    result = validate([household()], [person(sex="unknown")])
    assert problems(result) == [
        ("households", 1, "household_id", "household_without_persons"),
        ("persons", 1, "sex", "unknown_code"),
    ]
    assert result.counts["households"].accepted == 0


def test_a_household_without_head_is_accepted_with_a_warning() -> None:
    result = validate([household()], [person(relationship="spouse")])
    assert result.rejects.is_empty()
    assert result.warnings.select("row", "rule").rows() == [(1, "household_without_head")]


def test_a_household_with_two_heads_is_accepted_with_a_warning() -> None:
    result = validate([household()], [person(), person(person_id="p2")])
    assert result.counts["households"].accepted == 1
    assert result.warnings["rule"].to_list() == ["multiple_heads"]


def test_a_household_that_lost_some_persons_is_flagged() -> None:
    result = validate([household()], [person(), child(sex="?")])
    assert result.counts["households"].accepted == 1
    assert result.warnings["rule"].to_list() == ["household_with_rejected_persons"]


def test_a_row_with_several_problems_counts_once_and_lists_each_problem() -> None:
    # given a person with three bad cells
    bad = child(sex="x", victim="quizá", years_of_schooling="-3")
    # when validated
    result = validate([household()], [person(), bad])
    # then the row appears three times in the rejects, in column order, and counts once
    assert problems(result) == [
        ("persons", 2, "sex", "unknown_code"),
        ("persons", 2, "victim", "not_boolean"),
        ("persons", 2, "years_of_schooling", "out_of_range"),
    ]
    counts = result.counts["persons"]
    assert (counts.read, counts.accepted, counts.rejected) == (2, 1, 1)


def test_file_names_are_written_in_the_rejects() -> None:
    result = validate(
        [household(zone="?")], [person()], households_name="hogares.csv", persons_name="p.csv"
    )
    assert set(result.rejects["file"]) == {"hogares.csv", "p.csv"}


def test_typed_columns_follow_the_same_rules_and_messages_as_text() -> None:
    # given the same bad household once as text and once typed (as Parquet gives it)
    text = validate([household(sleeping_rooms="99")], [person()])
    typed_households = pl.LazyFrame([household()]).with_columns(
        pl.lit(99, dtype=pl.Int64).alias("sleeping_rooms"),
        pl.lit(2.5).alias("monthly_income"),
        pl.lit(True).alias("accompaniment"),
    )
    persons = pl.LazyFrame([person()]).with_columns(pl.lit(date(1985, 3, 14)).alias("birth_date"))
    typed = validate_registry(typed_households, persons, as_of=date(2025, 6, 30))
    # then the rejects are identical
    assert typed.rejects.filter(pl.col("file") == "households").equals(
        text.rejects.filter(pl.col("file") == "households")
    )


def test_a_fractional_float_in_an_integer_column_is_not_an_integer() -> None:
    households = pl.LazyFrame([household()]).with_columns(pl.lit(2.5).alias("sleeping_rooms"))
    result = validate_registry(households, pl.LazyFrame([person()]), as_of=date(2025, 6, 30))
    assert problems(result, "households") == [("households", 1, "sleeping_rooms", "not_integer")]
