"""The verifier finds every kind of broken constraint."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from oferta.engine.allocation import (
    AllocationInvalid,
    assert_valid,
    solve_min_cost_flow,
    verify_allocation,
)
from oferta.engine.allocation.solve import Allocation

from .builders import instance

INST = instance(
    hh=[
        {"id": "a", "deprived": ["illiteracy"]},
        {"id": "b", "deprived": ["illiteracy"]},
        {"id": "c", "mun": "08001", "deprived": ["illiteracy"]},
    ],
    offers={"o": ["illiteracy"], "p": ["illiteracy"]},
    places=[("o", "05001", 1), ("p", "05001", 2), ("p", "08001", 1)],
    eligible=[("a", "o"), ("a", "p"), ("b", "o"), ("b", "p"), ("c", "p")],
    k_max=1,
)


def tampered(rows: list[tuple[str, str, str, str, int]]) -> Allocation:
    frame = pl.DataFrame(
        rows,
        schema={
            "household_id": pl.String,
            "offer_id": pl.String,
            "territory_code": pl.String,
            "period": pl.String,
            "value": pl.Int64,
        },
        orient="row",
    )
    return Allocation(
        assignments=frame,
        objective=int(frame["value"].sum()),
        places_filled=frame.height,
        households_reached=frame["household_id"].n_unique(),
        solver="test",
        status="TEST",
    )


def codes(alloc: Allocation) -> set[str]:
    return {v.code for v in verify_allocation(INST, alloc).violations}


def test_an_optimal_solution_passes() -> None:
    report = assert_valid(INST, solve_min_cost_flow(INST))
    assert report.ok
    assert "places" in report.checks


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ([("c", "o", "08001", "2025-2", 1000)], "eligible"),
        ([("a", "o", "05001", "2025-2", 999)], "value"),
        (
            [("a", "p", "05001", "2025-2", 1000), ("a", "p", "05001", "2025-2", 1000)],
            "one_per_offer",
        ),
        ([("a", "o", "05001", "2025-2", 1000), ("a", "p", "05001", "2025-2", 1000)], "k_max"),
        ([("a", "o", "05001", "2025-2", 1000), ("b", "o", "05001", "2025-2", 1000)], "places"),
        ([("a", "p", "08001", "2025-2", 1000)], "territory"),
        ([("a", "p", "05001", "2025-1", 1000)], "territory"),
        ([("zz", "p", "05001", "2025-2", 1000)], "known"),
    ],
)
def test_each_broken_constraint_is_reported(rows, code) -> None:  # type: ignore[no-untyped-def]
    assert code in codes(tampered(rows))


def test_misreported_objective_is_reported() -> None:
    alloc = dataclasses.replace(tampered([("a", "o", "05001", "2025-2", 1000)]), objective=5)
    assert codes(alloc) == {"objective"}


def test_assert_valid_raises_with_the_violations() -> None:
    with pytest.raises(AllocationInvalid, match="k_max"):
        assert_valid(
            INST,
            tampered([("a", "o", "05001", "2025-2", 1000), ("a", "p", "05001", "2025-2", 1000)]),
        )
