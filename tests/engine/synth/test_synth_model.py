"""The latent model's feasibility rules and weights, on tiny hand-built households."""

from __future__ import annotations

import numpy as np

from oferta.engine.diagnostics import METHODS
from oferta.engine.synth.model import (
    IDX,
    INDICATORS,
    WEIGHT_UNITS,
    Composition,
    project_feasible,
    score_units,
)


def _comp(size: int, *, rural: bool = False, adults: int = 1, **flags: bool) -> Composition:
    def flag(name: str) -> np.ndarray:
        return np.array([flags.get(name, False)])

    return Composition(
        size=np.array([size]),
        rural=np.array([rural]),
        adults18=np.array([adults]),
        has_0_5=flag("has_0_5"),
        has_6_16=flag("has_6_16"),
        has_7_17=flag("has_7_17"),
        has_12_17=flag("has_12_17"),
        all_55_plus=flag("all_55_plus"),
    )


def _vector(*deprived: str) -> np.ndarray:
    v = np.zeros((1, len(INDICATORS)), dtype=bool)
    for code in deprived:
        v[0, IDX[code]] = True
    return v


def _after(vector: np.ndarray, comp: Composition) -> set[str]:
    out = project_feasible(vector, comp)[0]
    return {c for c in INDICATORS if out[IDX[c]]}


def test_weights_are_those_of_the_census_method() -> None:
    units = METHODS["dane-cnpv-2018"].weight_units()
    assert list(units) == list(INDICATORS)
    assert list(units.values()) == WEIGHT_UNITS.tolist()


def test_child_indicators_need_a_child_of_the_age() -> None:
    # given a couple without children deprived in every child indicator
    vector = _vector(
        "school_non_attendance", "school_lag", "early_childhood_barriers", "child_labour"
    )
    # when projected
    result = _after(vector, _comp(2, adults=2))
    # then none of them remains
    assert result == set()


def test_dependency_is_forced_when_adults_cannot_hold_enough_jobs() -> None:
    # given one adult and five children: 6 persons need 2 employed
    result = _after(_vector(), _comp(6, adults=1, has_0_5=True))
    assert "high_economic_dependency" in result


def test_a_working_child_keeps_a_small_household_out_of_dependency() -> None:
    # given a mother and her 15-year-old who works, drawn as dependent
    vector = _vector("child_labour", "high_economic_dependency", "informal_work")
    result = _after(vector, _comp(2, adults=1, has_12_17=True, has_7_17=True))
    assert result == {"child_labour", "informal_work"}


def test_dependency_without_informality_needs_room_for_a_formal_worker() -> None:
    # given three adults: one formal job makes the ratio 3, not above 3 -> informal forced
    three = _after(_vector("high_economic_dependency"), _comp(3, adults=3))
    assert three == {"high_economic_dependency", "informal_work"}
    # given four persons: one formal worker and a ratio of 4
    four = _after(_vector("high_economic_dependency"), _comp(4, adults=2))
    assert four == {"high_economic_dependency"}
    # given an elderly pensioner couple: nobody works, nobody is informal
    elderly = _after(_vector("high_economic_dependency"), _comp(2, adults=2, all_55_plus=True))
    assert elderly == {"high_economic_dependency"}


def test_overcrowding_needs_three_urban_or_four_rural_members() -> None:
    crowded = _vector("critical_overcrowding")
    assert _after(crowded, _comp(3, adults=3)) == {"critical_overcrowding"}
    assert _after(crowded, _comp(3, rural=True, adults=3)) == set()
    assert _after(crowded, _comp(4, rural=True, adults=4)) == {"critical_overcrowding"}


def test_scores_are_exact_hundredths() -> None:
    vector = _vector(
        "illiteracy", "informal_work", "school_lag", "inadequate_floors", "inadequate_walls"
    )
    assert score_units(vector).tolist() == [33]
