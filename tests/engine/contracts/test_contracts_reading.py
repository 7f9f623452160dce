"""scan_table: CSV (sniffed separator, BOM), Parquet and XLSX give the same validated rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from oferta.engine.contracts.errors import (
    EmptyFileError,
    MissingColumnsError,
    NotUtf8Error,
    UnsupportedFormatError,
)
from oferta.engine.contracts.reading import scan_table, sniff_separator
from oferta.engine.contracts.registry_v1 import HOUSEHOLD_COLUMNS, PERSON_COLUMNS
from oferta.engine.contracts.validation import validate_registry

from .builders import AS_OF, Row, child, household, person, problems


def write_csv(path: Path, rows: list[Row], columns: list[str], *, sep: str, bom: bool) -> Path:
    lines = [sep.join(columns)] + [sep.join(r.get(c) or "" for c in columns) for r in rows]
    path.write_bytes(("\ufeff" if bom else "").encode() + "\n".join(lines).encode() + b"\n")
    return path


def test_semicolon_csv_with_bom_is_read_with_spreadsheet_row_numbers(tmp_path: Path) -> None:
    # given a ;-separated UTF-8 file with BOM whose third data line is broken
    rows = [household(), household(household_id="h2"), household(household_id="h3", zone="?")]
    path = write_csv(tmp_path / "hogares.csv", rows, list(HOUSEHOLD_COLUMNS), sep=";", bom=True)
    # when read
    lf = scan_table(path, "households")
    # then the header is row 1, so data starts at row 2, and text is kept as text
    df = lf.collect()
    assert df["__row__"].to_list() == [2, 3, 4]
    assert df["municipality_code"].to_list() == ["05001"] * 3
    assert df.schema["sleeping_rooms"] == pl.String
    assert sniff_separator(path) == ";"


def test_a_rejected_csv_row_carries_the_row_a_spreadsheet_shows(tmp_path: Path) -> None:
    # given a persons file with a blank line before a bad row (spreadsheet rows 2, 3 blank, 4)
    cols = list(PERSON_COLUMNS)
    path = tmp_path / "personas.csv"
    good = ",".join(person().get(c) or "" for c in cols)
    bad = ",".join(child(sex="?").get(c) or "" for c in cols)
    path.write_text(f"{','.join(cols)}\n{good}\n\n{bad}\n", encoding="utf-8")
    hh = write_csv(
        tmp_path / "hogares.csv", [household()], list(HOUSEHOLD_COLUMNS), sep=",", bom=False
    )
    # when validated
    result = validate_registry(
        scan_table(hh, "households"),
        scan_table(path, "persons"),
        as_of=AS_OF,
        persons_name="personas.csv",
    )
    # then the blank line is neither read nor renumbered away
    assert problems(result, "personas.csv") == [("personas.csv", 4, "sex", "unknown_code")]
    assert result.counts["persons"].read == 2


def test_headers_are_matched_trimmed_and_case_insensitive_and_extras_dropped(
    tmp_path: Path,
) -> None:
    cols = [c.upper() for c in HOUSEHOLD_COLUMNS] + ["notas"]
    rows = [{c.upper(): v for c, v in household().items()} | {"notas": "x"}]
    path = write_csv(tmp_path / "h.csv", rows, cols, sep=",", bom=False)
    df = scan_table(path, "households").collect()
    assert df.columns == ["__row__", *HOUSEHOLD_COLUMNS]


def test_missing_required_columns_name_the_file_and_the_columns(tmp_path: Path) -> None:
    cols = [c for c in HOUSEHOLD_COLUMNS if c not in ("zone", "toilet")]
    path = write_csv(tmp_path / "hogares.csv", [household()], cols, sep=",", bom=False)
    with pytest.raises(MissingColumnsError) as err:
        scan_table(path, "households")
    assert err.value.file == "hogares.csv"
    assert err.value.columns == ("zone", "toilet")
    assert "hogares.csv" in err.value.message
    assert "zone, toilet" in err.value.message


def test_missing_optional_columns_are_added_as_nulls(tmp_path: Path) -> None:
    cols = [c.name for c in HOUSEHOLD_COLUMNS.values() if c.required]
    path = write_csv(tmp_path / "h.csv", [household()], cols, sep=",", bom=False)
    df = scan_table(path, "households").collect()
    assert df["programs"].to_list() == [None]


def test_a_latin1_csv_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_bytes("household_id;zone\nh1;Perez Gómez\n".encode("latin-1"))
    with pytest.raises(NotUtf8Error):
        scan_table(path, "households")


def test_an_empty_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_bytes(b"")
    with pytest.raises(EmptyFileError):
        scan_table(path, "households")


def test_other_formats_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    path.write_text("{}")
    with pytest.raises(UnsupportedFormatError):
        scan_table(path, "households")


def test_parquet_keeps_types_and_numbers_rows_from_1(tmp_path: Path) -> None:
    # given typed Parquet files, the second household with too many rooms
    households = pl.DataFrame([household(), household(household_id="h2")]).with_columns(
        pl.Series("sleeping_rooms", [2, 80], dtype=pl.Int16),
        pl.col("accompaniment").replace_strict({"false": False}, return_dtype=pl.Boolean),
    )
    persons = pl.DataFrame([person(), person(person_id="p2", household_id="h2")]).with_columns(
        pl.col("birth_date").str.to_date()
    )
    households.write_parquet(tmp_path / "h.parquet")
    persons.write_parquet(tmp_path / "p.parquet")
    # when read and validated
    result = validate_registry(
        scan_table(tmp_path / "h.parquet", "households"),
        scan_table(tmp_path / "p.parquet", "persons"),
        as_of=AS_OF,
    )
    # then row 2 is rejected with the same rule and message a CSV would get
    assert problems(result, "households") == [("households", 2, "sleeping_rooms", "out_of_range")]
    assert result.rejects.filter(pl.col("file") == "households")["value"].to_list() == ["80"]
    assert result.persons["birth_date"].to_list() == [date(1985, 3, 14)]


def _write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_xlsx_takes_the_sheet_named_like_the_table_and_spreadsheet_row_numbers(
    tmp_path: Path,
) -> None:
    # given a workbook with an unrelated first sheet and a "Personas" sheet whose row 3 is blank
    cols = list(PERSON_COLUMNS)
    good = [person().get(c) for c in cols]
    good[cols.index("birth_date")] = date(1985, 3, 14)  # a real date cell
    good[cols.index("years_of_schooling")] = 11  # a numeric cell
    bad = [child(person_id="c9", years_of_schooling="x").get(c) for c in cols]
    path = _write_xlsx(
        tmp_path / "registro.xlsx",
        {"Notas": [["léame"]], "Personas": [cols, good, [None] * len(cols), bad]},
    )
    households = _write_xlsx(
        tmp_path / "hogares.xlsx",
        {"Hoja1": [list(HOUSEHOLD_COLUMNS), [household().get(c) for c in HOUSEHOLD_COLUMNS]]},
    )
    # when validated
    result = validate_registry(
        scan_table(households, "households"), scan_table(path, "persons"), as_of=AS_OF
    )
    # then the bad row is row 4, as the spreadsheet shows it, and cell types were understood
    assert problems(result, "persons") == [("persons", 4, "years_of_schooling", "not_integer")]
    row = result.persons.row(0, named=True)
    assert (row["birth_date"], row["years_of_schooling"]) == (date(1985, 3, 14), 11)


def test_the_same_registry_validates_identically_from_csv_parquet_and_xlsx(tmp_path: Path) -> None:
    hh_rows = [household(), household(household_id="h2", zone="x")]
    pp_rows = [person(), child(), person(person_id="p2", household_id="h2")]
    hcols, pcols = list(HOUSEHOLD_COLUMNS), list(PERSON_COLUMNS)
    sources = {
        "csv": (
            write_csv(tmp_path / "h.csv", hh_rows, hcols, sep=";", bom=True),
            write_csv(tmp_path / "p.csv", pp_rows, pcols, sep=",", bom=False),
        ),
        "xlsx": (
            _write_xlsx(
                tmp_path / "h.xlsx",
                {"households": [hcols, *[[r[c] for c in hcols] for r in hh_rows]]},
            ),
            _write_xlsx(
                tmp_path / "p.xlsx", {"persons": [pcols, *[[r[c] for c in pcols] for r in pp_rows]]}
            ),
        ),
    }
    results = {
        fmt: validate_registry(
            scan_table(h, "households"),
            scan_table(p, "persons"),
            as_of=AS_OF,
            households_name="h",
            persons_name="p",
        )
        for fmt, (h, p) in sources.items()
    }
    assert results["csv"].households.equals(results["xlsx"].households)
    assert results["csv"].persons.equals(results["xlsx"].persons)
    assert results["csv"].rejects.equals(results["xlsx"].rejects)
    # Parquet numbers rows from 1, so only the accepted rows are compared.
    results["csv"].households.write_parquet(tmp_path / "h.parquet")
    results["csv"].persons.drop("age").write_parquet(tmp_path / "p.parquet")
    again = validate_registry(
        scan_table(tmp_path / "h.parquet", "households"),
        scan_table(tmp_path / "p.parquet", "persons"),
        as_of=AS_OF,
    )
    assert again.households.equals(results["csv"].households)
    assert again.persons.equals(results["csv"].persons)
