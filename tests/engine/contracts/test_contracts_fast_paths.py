"""The fast paths of validation give the results of the general one.

Exact codes are matched by a cast before trimming and lower-casing; ids are checked for
duplicates by hash, then by text; typed Parquet skips text parsing; ``columns`` and
``drop_empty_rows`` spare memory and a pass. None of them may change a result.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from oferta.engine.contracts.reading import scan_table
from oferta.engine.contracts.registry_v1 import HOUSEHOLD_COLUMNS, PERSON_COLUMNS
from oferta.engine.contracts.validation import (
    ID_HASH,
    ROW,
    RULE_DTYPE,
    RegistryValidation,
    _mark_duplicates,
    validate_registry,
)

from .builders import AS_OF, Row, child, household, person, problems, text_frame

DIAGNOSIS_ONLY = {
    "households": ["household_id", "municipality_code", "zone"],
    "persons": ["household_id", "sex", "relationship"],
}


def _messy_registry() -> tuple[list[Row], list[Row]]:
    """Clean rows plus every kind of cell the fast paths must hand to the general path."""
    households = [
        household(),
        household(household_id="h2", zone=" Rural ", toilet="SEWER"),
        household(household_id="h3", zone="mountain"),
        household(household_id="h4", water_source="  "),
        household(household_id="h5"),
        household(household_id="h5"),
        household(household_id=" h6 ", sisben_group="a1"),
    ]
    persons = [
        person(),
        child(sex="FEMALE", document_type=" rc"),
        person(person_id="p2", household_id="h2", ethnicity="Indigenous"),
        person(person_id="p3", household_id="h3"),
        person(person_id="p4", household_id="h4", first_names="   "),
        person(person_id="p5", household_id="h5"),
        person(person_id="p6", household_id="h6"),
        person(person_id="p6", household_id="h6", relationship="child"),
        person(person_id="p7", household_id="nope", sex="x"),
        person(person_id=" p8", household_id="h2", last_names=None, relationship="spouse"),
        person(person_id="p9 ", household_id=" h6"),
    ]
    return households, persons


def _same(a: RegistryValidation, b: RegistryValidation) -> None:
    assert a.households.equals(b.households)
    assert a.persons.equals(b.persons)
    assert a.rejects.equals(b.rejects)
    assert a.warnings.equals(b.warnings)
    assert a.counts == b.counts


def test_messy_text_cells_are_read_as_the_general_path_reads_them() -> None:
    # given codes in other cases and with blanks, unknown codes and whitespace around ids
    households, persons = _messy_registry()
    # when validated
    result = validate_registry(
        text_frame(households, HOUSEHOLD_COLUMNS), text_frame(persons, PERSON_COLUMNS), as_of=AS_OF
    )
    # then spellings of a code become the code, and the rest is rejected with its rule
    accepted = {r["household_id"]: r for r in result.households.iter_rows(named=True)}
    assert (accepted["h2"]["zone"], accepted["h2"]["toilet"]) == ("rural", "sewer")
    assert accepted["h6"]["sisben_group"] == "A1"
    kid = result.persons.filter(pl.col("person_id") == "c1").row(0, named=True)
    assert (kid["sex"], kid["document_type"]) == ("female", "RC")
    assert result.persons.filter(pl.col("person_id") == "p2")["ethnicity"].item() == "indigenous"
    assert set(problems(result)) >= {
        ("households", 3, "zone", "unknown_code"),
        ("households", 4, "water_source", "required"),
        ("households", 5, "household_id", "duplicate_id"),
        ("households", 6, "household_id", "duplicate_id"),
        ("persons", 5, "first_names", "required"),
        ("persons", 7, "person_id", "duplicate_id"),
        ("persons", 8, "person_id", "duplicate_id"),
        ("persons", 9, "household_id", "missing_household"),
        ("persons", 9, "sex", "unknown_code"),
        ("persons", 10, "last_names", "required"),
    }
    assert result.rejects.filter(pl.col("rule") == "unknown_code")["value"].to_list() == [
        "mountain",
        "x",
    ]


def test_typed_parquet_and_csv_give_the_same_accepted_rows_and_rejects(tmp_path: Path) -> None:
    # given the same messy registry as CSV (text) and as typed Parquet
    households, persons = _messy_registry()
    hh_text, pp_text = (
        text_frame(households, HOUSEHOLD_COLUMNS).collect(),
        text_frame(persons, PERSON_COLUMNS).collect(),
    )
    hh_text.write_csv(tmp_path / "h.csv")
    pp_text.write_csv(tmp_path / "p.csv")
    hh_text.with_columns(
        pl.col("sleeping_rooms").cast(pl.Int16),
        pl.col("monthly_income").cast(pl.Float64),
        pl.col("accompaniment").replace_strict({"false": False}, return_dtype=pl.Boolean),
    ).write_parquet(tmp_path / "h.parquet")
    flags = [n for n, c in PERSON_COLUMNS.items() if c.kind == "bool"]
    pp_text.with_columns(
        pl.col("birth_date").str.to_date(),
        pl.col("years_of_schooling", "unemployed_months").cast(pl.Int16),
        pl.col(flags).replace_strict({"true": True, "false": False}, return_dtype=pl.Boolean),
    ).write_parquet(tmp_path / "p.parquet")
    # when both are validated
    csv, parquet = (
        validate_registry(
            scan_table(tmp_path / f"h.{ext}", "households"),
            scan_table(tmp_path / f"p.{ext}", "persons"),
            as_of=AS_OF,
            households_name="h",
            persons_name="p",
        )
        for ext in ("csv", "parquet")
    )
    # then the accepted rows, rejects and warnings are the same (CSV rows count the header)
    assert parquet.households.equals(csv.households)
    assert parquet.persons.equals(csv.persons)
    shifted = csv.rejects.with_columns(pl.col("row") - 1)
    assert parquet.rejects.equals(shifted)
    assert parquet.warnings.equals(csv.warnings.with_columns(pl.col("row") - 1))
    assert parquet.counts == csv.counts


def test_keeping_fewer_columns_changes_no_reject_warning_or_count() -> None:
    # given the messy registry (duplicate person ids among its problems)
    households, persons = _messy_registry()
    hh, pp = text_frame(households, HOUSEHOLD_COLUMNS), text_frame(persons, PERSON_COLUMNS)
    # when validated keeping every column and keeping only a few
    full = validate_registry(hh, pp, as_of=AS_OF)
    few = validate_registry(hh, pp, as_of=AS_OF, columns=DIAGNOSIS_ONLY)
    # then the problems are the same (the duplicate person id still shows its value) ...
    assert few.rejects.equals(full.rejects)
    assert few.warnings.equals(full.warnings)
    assert few.counts == full.counts
    assert "p6" in few.rejects.filter(pl.col("column") == "person_id")["value"].to_list()
    # ... and the accepted frames are the full ones' columns (plus the persons' age)
    assert few.households.equals(full.households.select(DIAGNOSIS_ONLY["households"]))
    assert few.persons.equals(full.persons.select([*DIAGNOSIS_ONLY["persons"], "age"]))


def test_empty_rows_dropped_while_validating_are_those_scan_table_drops(tmp_path: Path) -> None:
    # given CSV files with fully empty rows (blank cells and blanks only) between good ones
    households, persons = _messy_registry()
    cols = list(HOUSEHOLD_COLUMNS)
    blank = ";".join("  " for _ in cols)
    lines = [";".join(cols)]
    for i, row in enumerate(households):
        lines.append(";".join(row.get(c) or "" for c in cols))
        if i in (0, 3):
            lines.append(blank if i else ";" * (len(cols) - 1))
    (tmp_path / "h.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    text_frame(persons, PERSON_COLUMNS).collect().write_csv(tmp_path / "p.csv")
    # when validated after scan_table drops them, and dropping them while validating
    before = validate_registry(
        scan_table(tmp_path / "h.csv", "households"),
        scan_table(tmp_path / "p.csv", "persons"),
        as_of=AS_OF,
    )
    during = validate_registry(
        scan_table(tmp_path / "h.csv", "households", drop_empty_rows=False),
        scan_table(tmp_path / "p.csv", "persons", drop_empty_rows=False),
        as_of=AS_OF,
        drop_empty_rows=True,
    )
    # then the results are the same, row numbers included, and no empty row was read
    _same(before, during)
    assert during.counts["households"].read == len(households)
    assert ("households", 5, "zone", "unknown_code") in problems(during)  # h3, after a blank row


def test_ids_with_equal_hashes_but_different_texts_are_not_duplicates() -> None:
    # given three rows whose id hashes are equal (as a collision would make them), two of
    # them with the same id, read again from the source because the ids were not kept
    parsed = pl.DataFrame(
        {
            ROW: [1, 2, 3, 4],
            "__err__person_id": pl.Series([None] * 4, dtype=RULE_DTYPE),
            ID_HASH: pl.Series([7, 7, 7, 8], dtype=pl.UInt64),
        }
    )
    source = pl.LazyFrame({ROW: [1, 2, 3, 4], "person_id": ["a", "b", " a", "c"]})
    # when the duplicates are marked
    marked = _mark_duplicates(parsed, source, table="persons")
    # then only the two copies of "a" get the rule, with the id for the rejects
    assert marked["__err__person_id"].to_list() == ["duplicate_id", None, "duplicate_id", None]
    assert marked["__raw__person_id"].to_list() == ["a", None, "a", None]
    assert ID_HASH not in marked.columns
