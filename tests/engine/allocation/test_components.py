"""Solving by connected component (a municipality, or a department with a pool) gives the same
optimum as solving the whole network at once, in one process or in several."""

from __future__ import annotations

import pytest

from oferta.engine.allocation import (
    assert_valid,
    build_instance,
    solve_min_cost_flow,
    solve_min_cost_flow_full,
)
from oferta.engine.allocation import solve as solve_module
from oferta.engine.allocation.synthetic import generate, municipality_codes

# 12 departments with several municipalities each, so some offers have department pools
CODES = municipality_codes(40)


@pytest.fixture(scope="module")
def synthetic():  # type: ignore[no-untyped-def]
    s = generate(n_households=6_000, n_offers=40, municipalities=CODES, seed=11)
    return build_instance(
        households=s.households, offers=s.offers, places=s.places, eligible=s.eligible
    )


def test_components_reach_the_whole_network_optimum(synthetic, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # given an instance with municipal places and department pools, one task per component
    assert synthetic.slots.filter(synthetic.slots["territory_code"].str.len_chars() == 2).height
    monkeypatch.setattr(solve_module, "_MIN_TASK_ARCS", 1)
    # when solved whole and by component
    whole = solve_min_cost_flow(synthetic, by_component=False)
    parts = solve_min_cost_flow(synthetic)
    # then both are valid, with the same objective, and the split really happened
    assert_valid(synthetic, whole)
    assert_valid(synthetic, parts)
    assert parts.network["tasks"] > 10
    assert whole.network["tasks"] == 1
    assert parts.objective == whole.objective


def test_worker_processes_give_the_same_assignments(synthetic, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # given small tasks so that two processes share them
    monkeypatch.setattr(solve_module, "_MIN_TASK_ARCS", 300)
    in_process = solve_min_cost_flow(synthetic)
    # when solved in two worker processes
    two = solve_min_cost_flow(synthetic, workers=2)
    # then the tasks are the same, so are the assignments, and they are valid
    assert two.network["tasks"] == in_process.network["tasks"] > 2
    assert two.assignments.equals(in_process.assignments)
    assert_valid(synthetic, two)


def test_full_graph_by_component_equals_classes(synthetic, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(solve_module, "_MIN_TASK_ARCS", 1)
    full = solve_min_cost_flow_full(synthetic)
    assert_valid(synthetic, full)
    assert full.objective == solve_min_cost_flow(synthetic, by_component=False).objective
