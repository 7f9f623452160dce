"""Monetary poverty against departmental or national lines, the quadrant, and the shipped lines."""

from __future__ import annotations

import polars as pl
import pytest

from oferta.engine.diagnostics.monetary import (
    load_poverty_lines,
    monetary_poverty,
    quadrant,
)

LINES = pl.DataFrame(
    {
        "department_code": ["CO", "05", "CO"],
        "year": [2023, 2023, 2024],
        "poverty_line": [400_000, 450_000, 460_198],
        "extreme_poverty_line": [200_000, 210_000, 227_220],
        "source": ["test"] * 3,
    }
)


def _status(
    income: float | None, persons: int = 2, municipality: str = "11001", year: int = 2023
) -> dict[str, object]:
    hh = pl.LazyFrame(
        {"household_id": ["h1"], "municipality_code": [municipality], "monthly_income": [income]},
        schema={
            "household_id": pl.String,
            "municipality_code": pl.String,
            "monthly_income": pl.Float64,
        },
    )
    n = pl.LazyFrame({"household_id": ["h1"], "persons": [persons]})
    return monetary_poverty(hh, n, lines=LINES, year=year).collect().row(0, named=True)


@pytest.mark.parametrize(
    ("income", "status"),
    [
        (399_999.0, "extreme_poor"),  # 199,999.5 per capita < 200,000
        (400_000.0, "poor"),  # exactly at the extreme line: not below it
        (799_999.0, "poor"),
        (800_000.0, "not_poor"),  # exactly at the poverty line
        (0.0, "extreme_poor"),
    ],
)
def test_status_against_national_lines(income: float, status: str) -> None:
    assert _status(income)["monetary_status"] == status


def test_income_per_capita_divides_by_members() -> None:
    assert _status(900_000.0, persons=3)["income_per_capita"] == 300_000.0


def test_department_line_applies_when_published() -> None:
    # 05 (Antioquia) has its own 450,000 line: 2 x 420,000 is poor there, not in Bogotá (CO)
    assert _status(840_000.0, municipality="05001")["monetary_status"] == "poor"
    assert _status(840_000.0, municipality="11001")["monetary_status"] == "not_poor"
    assert _status(840_000.0, municipality="05001")["poverty_line"] == 450_000


def test_national_line_is_the_fallback_for_a_year_without_department_lines() -> None:
    row = _status(840_000.0, municipality="05001", year=2024)
    assert row["poverty_line"] == 460_198
    assert row["monetary_status"] == "poor"


def test_unknown_income_gives_no_status() -> None:
    row = _status(None)
    assert row["monetary_status"] is None
    assert row["income_per_capita"] is None


def test_household_without_members_gives_no_status() -> None:
    assert _status(500_000.0, persons=0)["monetary_status"] is None


def test_households_without_an_income_column_get_no_status() -> None:
    hh = pl.LazyFrame({"household_id": ["h1"], "municipality_code": ["05001"]})
    n = pl.LazyFrame({"household_id": ["h1"], "persons": [1]})
    out = monetary_poverty(hh, n, lines=LINES, year=2023).collect()
    assert out["monetary_status"].to_list() == [None]


def test_a_year_without_national_line_is_an_error() -> None:
    with pytest.raises(ValueError, match="2030"):
        _status(1.0, year=2030)


def test_quadrant_combines_both_poverties() -> None:
    frame = pl.LazyFrame(
        {
            "poor": [True, True, False, False, True, False],
            "monetary_status": ["extreme_poor", "not_poor", "poor", "not_poor", None, None],
        }
    )
    assert quadrant(frame).collect()["quadrant"].to_list() == [
        "both",
        "only_multidimensional",
        "only_monetary",
        "neither",
        None,
        None,
    ]


# --------------------------------------------------------------------------- shipped lines


def test_shipped_lines_have_national_2019_to_2024_as_in_domain() -> None:
    lines = load_poverty_lines()
    national = lines.filter(pl.col("department_code") == "CO").sort("year")
    assert national.select("year", "poverty_line", "extreme_poverty_line").rows() == [
        (2019, 327_674, 137_350),
        (2020, 331_688, 145_004),
        (2021, 351_480, 160_302),
        (2022, 396_864, 198_698),
        (2023, 435_375, 218_846),
        (2024, 460_198, 227_220),
    ]
    assert national["source"].str.contains("DANE").all()


def test_shipped_lines_have_24_departments_for_2021_to_2023() -> None:
    lines = load_poverty_lines().filter(pl.col("department_code") != "CO")
    assert sorted(lines["year"].unique()) == [2021, 2022, 2023]
    assert lines["department_code"].n_unique() == 24
    assert lines.group_by("year").len()["len"].to_list() == [24, 24, 24]
    assert (lines["extreme_poverty_line"] < lines["poverty_line"]).all()
    antioquia = lines.filter(pl.col("department_code") == "05", pl.col("year") == 2023)
    assert antioquia.select("poverty_line", "extreme_poverty_line").row(0) == (456_506, 210_589)
