"""Solvers on tiny hand-built instances with a known optimum (verifier after every solve)."""

from __future__ import annotations

import pytest

from oferta.engine.allocation import (
    Allocation,
    AllocationInstance,
    assert_valid,
    solve_greedy,
    solve_min_cost_flow,
    solve_min_cost_flow_full,
)

from .builders import instance, pairs_of


def solve_all(inst: AllocationInstance) -> dict[str, Allocation]:
    out = {
        "mcf": solve_min_cost_flow(inst),
        "full": solve_min_cost_flow_full(inst),
        "greedy": solve_greedy(inst),
    }
    for alloc in out.values():
        assert_valid(inst, alloc)
    return out


def test_the_single_place_goes_to_the_household_of_higher_value() -> None:
    # given two households deprived in illiteracy, one also in accompaniment, one place
    inst = instance(
        hh=[
            {"id": "a", "deprived": ["illiteracy"]},
            {"id": "b", "deprived": ["illiteracy"], "accompaniment": True},
        ],
        offers={"o": ["illiteracy"]},
        places=[("o", "05001", 1)],
        eligible=[("a", "o"), ("b", "o")],
    )
    # when solved
    for alloc in solve_all(inst).values():
        # then b (value 1000 × 1.3) gets it
        assert pairs_of(alloc.assignments) == {("b", "o")}
        assert alloc.objective == 1300


def test_min_cost_flow_beats_greedy_when_an_exchange_pays() -> None:
    # given h1 values o1 = 1500 and o2 = 1000; h2 values o1 = 1000 and nothing else; K = 1
    inst = instance(
        hh=[
            {"id": "h1", "deprived": ["illiteracy", "school_lag", "informal_work"]},
            {"id": "h2", "deprived": ["illiteracy"]},
        ],
        offers={"o1": ["illiteracy", "school_lag"], "o2": ["informal_work"]},
        places=[("o1", "05001", 1), ("o2", "05001", 1)],
        eligible=[("h1", "o1"), ("h1", "o2"), ("h2", "o1"), ("h2", "o2")],
        k_max=1,
    )
    # when solved
    sol = solve_all(inst)
    # then the optimum gives o2 to h1 and o1 to h2 (2000); greedy takes h1-o1 first (1500)
    assert pairs_of(sol["mcf"].assignments) == {("h1", "o2"), ("h2", "o1")}
    assert sol["mcf"].objective == sol["full"].objective == 2000
    assert sol["greedy"].objective == 1500


def test_no_household_gets_more_than_k_offers() -> None:
    # given one household eligible for four valuable offers with places, K = 2
    offers = {f"o{i}": ["illiteracy"] for i in range(4)}
    inst = instance(
        hh=[{"id": "a", "deprived": ["illiteracy"]}],
        offers=offers,
        places=[(o, "05001", 5) for o in offers],
        eligible=[("a", o) for o in offers],
        k_max=2,
    )
    for alloc in solve_all(inst).values():
        assert alloc.places_filled == 2


def test_zero_value_pairs_are_never_assigned() -> None:
    # given an eligible household whose deprivations the offer does not close
    inst = instance(
        hh=[{"id": "a", "deprived": ["school_lag"]}],
        offers={"o": ["illiteracy"]},
        places=[("o", "05001", 3)],
        eligible=[("a", "o")],
    )
    for alloc in solve_all(inst).values():
        assert alloc.places_filled == 0
        assert alloc.objective == 0


def test_department_places_are_shared_by_its_municipalities() -> None:
    # given a department pool of 2 places, a municipal place in 05001, three households
    inst = instance(
        hh=[
            {"id": "a", "mun": "05001", "deprived": ["illiteracy"]},
            {"id": "b", "mun": "05002", "deprived": ["illiteracy"]},
            {"id": "c", "mun": "05002", "deprived": ["illiteracy"]},
            {"id": "d", "mun": "08001", "deprived": ["illiteracy"]},
        ],
        offers={"o": ["illiteracy"]},
        places=[("o", "05", 2), ("o", "05001", 1)],
        eligible=[(h, "o") for h in "abcd"],
    )
    for alloc in solve_all(inst).values():
        # then a, b, c are served (a through its municipal place), d (other department) is not
        assert pairs_of(alloc.assignments) == {("a", "o"), ("b", "o"), ("c", "o")}
        rows = {r[0]: r[2] for r in alloc.assignments.iter_rows()}
        assert rows["b"] == rows["c"] == "05"


def test_places_of_each_period_are_respected() -> None:
    # given 1 place in each of two periods and three households: two are served
    inst = instance(
        hh=[{"id": h, "deprived": ["illiteracy"]} for h in "abc"],
        offers={"o": ["illiteracy"]},
        places=[("o", "05001", 1, "2025-1"), ("o", "05001", 1, "2025-2")],
        eligible=[(h, "o") for h in "abc"],
    )
    for alloc in solve_all(inst).values():
        assert sorted(alloc.assignments["period"].to_list()) == ["2025-1", "2025-2"]


def test_a_class_of_identical_households_is_solved_as_one_node() -> None:
    # given ten identical households and three offers with 4 places each
    offers = {f"o{i}": ["illiteracy"] for i in range(3)}
    inst = instance(
        hh=[{"id": f"h{i}", "deprived": ["illiteracy"]} for i in range(10)],
        offers=offers,
        places=[(o, "05001", 4) for o in offers],
        eligible=[(f"h{i}", o) for i in range(10) for o in offers],
    )
    # then there is one class of 10
    assert inst.classes["n"].to_list() == [10]
    sol = solve_all(inst)
    # and all 12 places are filled over 10 households (cyclic disaggregation spreads them)
    assert sol["mcf"].places_filled == 12
    assert sol["mcf"].households_reached == 10
    assert sol["mcf"].network["groups"] == 1


def test_unknown_indicator_in_an_offer_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="indicador desconocido 'literacy'"):
        instance(hh=[{"id": "a"}], offers={"o": ["literacy"]}, places=[], eligible=[])


def test_eligible_pair_of_an_unknown_household_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="hogar 'z'"):
        instance(hh=[{"id": "a"}], offers={"o": ["illiteracy"]}, places=[], eligible=[("z", "o")])
