"""Personal data (Ley 1581 de 2012) never reaches a reject's message or value."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from oferta.engine.contracts.registry_v1 import PERSON_COLUMNS
from oferta.engine.contracts.validation import write_rejects

from .builders import household, person, validate

PERSONAL = [c.name for c in PERSON_COLUMNS.values() if c.personal]
SECRET = "ZQX-SECRET"


@settings(max_examples=40, deadline=None)
@given(st.sets(st.sampled_from(PERSONAL), min_size=1), st.sampled_from(["", " ", "x"]))
def test_bad_personal_cells_are_reported_without_their_value(
    columns: set[str], suffix: str
) -> None:
    # given personal cells holding a recognisable bad value, plus a bad non-personal cell
    bad = person(sex="??", **dict.fromkeys(columns, SECRET + suffix))
    # when validated
    result = validate([household()], [bad])
    # then the personal columns are reported, but their value appears nowhere
    reported = set(result.rejects["column"])
    assert {c for c in columns if PERSON_COLUMNS[c].kind in ("code", "date")} <= reported
    for text in result.rejects.select("message", "value").fill_null("").to_dicts():
        assert SECRET not in text["message"]
        assert SECRET not in text["value"]
    assert result.rejects.filter(pl.col("column").is_in(PERSONAL))["value"].null_count() == (
        result.rejects.filter(pl.col("column").is_in(PERSONAL)).height
    )


def test_valid_personal_values_never_appear_in_any_reject() -> None:
    # given a person rejected because of their household, with names and a document number
    result = validate([household(zone="?")], [person()])
    dumped = result.rejects.write_csv()
    for value in ("Ana María", "Pérez Gómez", "1098765432", "1985-03-14"):
        assert value not in dumped


def test_non_personal_cells_keep_their_value_for_the_provider() -> None:
    result = validate([household()], [person(sex="hembra")])
    assert result.rejects.filter(pl.col("column") == "sex")["value"].to_list() == ["hembra"]


def test_rejects_file_is_utf8_with_spanish_headers(tmp_path: Path) -> None:
    # given rejects with an accented message
    result = validate([household(zone="montaña")], [person(birth_date=SECRET)])
    path = tmp_path / "rechazos.csv"
    # when written
    write_rejects(result.rejects, path)
    # then the file opens in a spreadsheet with accents and holds no personal value
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "archivo,fila,columna,regla,mensaje,valor"
    assert "montaña" in text
    assert SECRET not in text
    back = pl.read_csv(path)
    assert back.height == result.rejects.height
