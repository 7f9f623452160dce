"""Exact scores: integer units, and the 0.33 boundary under k = 0.33 and k = 1/3."""

from __future__ import annotations

from fractions import Fraction

import polars as pl
import pytest

from oferta.engine.diagnostics.methods import parse_k
from oferta.engine.diagnostics.scoring import score_households

from .builders import CNPV, ECV

EXACTLY_033 = ("illiteracy", "informal_work", "school_lag", "inadequate_floors", "inadequate_walls")


def _frame(deprived: tuple[str, ...], codes: tuple[str, ...] = ECV.codes) -> pl.LazyFrame:
    return pl.LazyFrame([{"household_id": "h1", **{f"deprived_{c}": c in deprived for c in codes}}])


def _scored(deprived: tuple[str, ...], k: Fraction) -> dict[str, object]:
    return score_households(_frame(deprived), method=ECV, k=k).collect().row(0, named=True)


def test_a_score_of_exactly_033_is_poor_at_k_033() -> None:
    row = _scored(EXACTLY_033, parse_k("0.33"))
    assert row["score_units"] == 33
    assert row["poor"] is True


def test_a_score_of_exactly_033_is_not_poor_at_k_one_third() -> None:
    assert _scored(EXACTLY_033, parse_k("1/3"))["poor"] is False


def test_float_sum_of_the_same_weights_is_not_033() -> None:
    # why exact arithmetic matters: 0.10 + 0.10 + 0.05 + 0.04 + 0.04 summed as floats
    assert 0.10 + 0.10 + 0.05 + 0.04 + 0.04 != 0.33


def test_score_is_the_weighted_sum_for_display() -> None:
    row = _scored(("illiteracy", "critical_overcrowding"), Fraction(33, 100))
    assert row["score_units"] == 14
    assert row["score"] == pytest.approx(0.14)
    assert row["poor"] is False


def test_all_deprivations_score_one() -> None:
    row = _scored(ECV.codes, Fraction(1))
    assert row["score_units"] == 100
    assert row["score"] == 1.0
    assert row["poor"] is True


def test_no_deprivation_scores_zero_and_is_not_poor() -> None:
    row = _scored((), Fraction(1, 100))
    assert (row["score_units"], row["poor"]) == (0, False)


def test_census_method_scores_economic_dependency_at_010() -> None:
    frame = _frame(("high_economic_dependency",), CNPV.codes)
    row = score_households(frame, method=CNPV, k=Fraction(1, 10)).collect().row(0, named=True)
    assert (row["score_units"], row["poor"]) == (10, True)
