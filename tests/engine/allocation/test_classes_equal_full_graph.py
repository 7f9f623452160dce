"""Done-when: on a 100k-household instance the class-based min-cost flow reaches the same
objective as min-cost flow on the full household graph; the verifier passes on both."""

from __future__ import annotations

from oferta.engine.allocation import (
    assert_valid,
    build_instance,
    solve_greedy,
    solve_min_cost_flow,
    solve_min_cost_flow_full,
)
from oferta.engine.allocation.synthetic import generate


def test_classes_reach_the_full_graph_objective_on_100k_households() -> None:
    # given a synthetic national-like instance of 100,000 households and 200 offers
    s = generate(n_households=100_000, n_offers=200, seed=7)
    inst = build_instance(
        households=s.households, offers=s.offers, places=s.places, eligible=s.eligible
    )
    assert inst.classes.height < inst.households.height
    # when solved on classes and on the full household graph
    classes = solve_min_cost_flow(inst)
    full = solve_min_cost_flow_full(inst)
    greedy = solve_greedy(inst)
    # then both are valid and optimal with the same objective, and greedy is not better
    for alloc in (classes, full, greedy):
        assert_valid(inst, alloc)
    assert classes.objective == full.objective
    assert classes.network["groups"] < full.network["groups"]
    assert greedy.objective <= classes.objective
