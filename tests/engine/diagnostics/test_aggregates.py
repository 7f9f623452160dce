"""Alkire-Foster aggregates on a hand-computed example: H, A, M0, headcounts, contributions."""

from __future__ import annotations

from fractions import Fraction

import polars as pl
import pytest

from oferta.engine.diagnostics.aggregates import af_aggregates
from oferta.engine.diagnostics.scoring import score_households

from .builders import ECV

K = Fraction(33, 100)
EXACTLY_033 = ("illiteracy", "informal_work", "school_lag", "inadequate_floors", "inadequate_walls")

# household, persons, group, deprivations
HOUSEHOLDS = [
    ("h1", 3, "a", EXACTLY_033),  # 33 units: poor
    ("h2", 1, "a", ()),  # 0
    ("h3", 2, "b", ECV.codes),  # 100 units: poor
    ("h4", 4, "b", ("illiteracy", "low_educational_attainment")),  # 20: not poor
]


def _scored(rows: list[tuple[str, int, str, tuple[str, ...]]] = HOUSEHOLDS) -> pl.LazyFrame:
    frame = pl.LazyFrame(
        [
            {
                "household_id": h,
                "persons": n,
                "group": g,
                "factor": 2.0 if h == "h2" else 1.0,
                **{f"deprived_{c}": c in d for c in ECV.codes},
            }
            for h, n, g, d in rows
        ],
        schema_overrides={"persons": pl.UInt32},
    )
    return score_households(frame, method=ECV, k=K)


def test_national_h_a_m0_are_person_weighted() -> None:
    row = af_aggregates(_scored(), method=ECV, k=K).row(0, named=True)
    assert row["households"] == 4
    assert row["persons"] == 10
    assert row["poor_persons"] == 5
    assert row["H"] == 0.5
    assert row["A"] == pytest.approx((3 * 0.33 + 2 * 1.0) / 5, abs=1e-15)
    assert row["M0"] == pytest.approx(0.299, abs=1e-15)
    assert row["M0"] == pytest.approx(row["H"] * row["A"], abs=1e-15)


def test_uncensored_and_censored_headcounts() -> None:
    row = af_aggregates(_scored(), method=ECV, k=K).row(0, named=True)
    assert row["h_illiteracy"] == 0.9  # h1, h3, h4
    assert row["hc_illiteracy"] == 0.5  # only the poor h1, h3
    assert row["h_low_educational_attainment"] == 0.6  # h3, h4
    assert row["hc_low_educational_attainment"] == 0.2  # h3


def test_m0_is_the_weighted_sum_of_censored_headcounts() -> None:
    row = af_aggregates(_scored(), method=ECV, k=K).row(0, named=True)
    total = sum(float(i.weight) * row[f"hc_{i.code}"] for i in ECV.indicators)
    assert total == pytest.approx(row["M0"], abs=1e-15)


def test_contributions_of_indicators_and_of_dimensions_sum_to_one() -> None:
    row = af_aggregates(_scored(), method=ECV, k=K).row(0, named=True)
    assert sum(row[f"contrib_{c}"] for c in ECV.codes) == pytest.approx(1.0, abs=1e-12)
    assert sum(row[f"contrib_dim_{d.code}"] for d in ECV.dimensions) == pytest.approx(1.0)
    assert row["contrib_illiteracy"] == pytest.approx(10 * 5 / 299)


def test_grouped_aggregates_decompose_the_national_m0() -> None:
    national = af_aggregates(_scored(), method=ECV, k=K).row(0, named=True)
    groups = af_aggregates(_scored(), method=ECV, k=K, by=["group"])
    assert groups["group"].to_list() == ["a", "b"]
    assert groups["H"].to_list() == [0.75, pytest.approx(2 / 6)]
    decomposed = sum(
        r["persons"] / national["persons"] * r["M0"] for r in groups.iter_rows(named=True)
    )
    assert decomposed == pytest.approx(national["M0"], abs=1e-15)


def test_k_decides_identification_even_if_the_poor_column_disagrees() -> None:
    third = af_aggregates(_scored(), method=ECV, k=Fraction(1, 3)).row(0, named=True)
    assert third["poor_persons"] == 2  # h1 (exactly 0.33) is not poor at k = 1/3
    assert third["H"] == 0.2


def test_expansion_factor_multiplies_person_weights() -> None:
    row = af_aggregates(_scored(), method=ECV, k=K, weight="factor").row(0, named=True)
    assert row["households"] == 5.0
    assert row["persons"] == 11.0
    assert row["H"] == pytest.approx(5 / 11)


def test_group_without_poor_has_null_intensity_and_contributions() -> None:
    rows = [("h2", 1, "a", ()), ("h4", 4, "a", ("illiteracy",))]
    row = af_aggregates(_scored(rows), method=ECV, k=K).row(0, named=True)
    assert (row["H"], row["M0"]) == (0.0, 0.0)
    assert row["A"] is None
    assert row["contrib_illiteracy"] is None
    assert row["h_illiteracy"] == 0.8
