"""Properties on random instances: disaggregation, verifier on every solver, classes = full
graph = an independent CP-SAT model, min-cost flow ≥ greedy."""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from oferta.engine.allocation import (
    AllocationInstance,
    assert_valid,
    build_instance,
    disaggregate,
    solve_greedy,
    solve_min_cost_flow,
    solve_min_cost_flow_full,
)

CODES = ["illiteracy", "school_lag", "informal_work", "no_improved_water", "monetary_poverty"]


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(),
    n=st.integers(1, 8),
    k=st.integers(1, 4),
    n_offers=st.integers(1, 6),
)
def test_cyclic_disaggregation_never_gives_an_offer_twice_nor_more_than_k(data, n, k, n_offers):  # type: ignore[no-untyped-def]
    # given class flows f_o ≤ n with Σ f_o ≤ K·n
    flows = []
    budget = k * n
    for _ in range(n_offers):
        f = data.draw(st.integers(0, min(n, budget)))
        flows.append(f)
        budget -= f
    members = np.arange(100, 100 + n, dtype=np.int64)
    # when disaggregated
    hh, arc = disaggregate(
        np.array([n], dtype=np.int64),
        np.array([0], dtype=np.int64),
        members,
        np.zeros(n_offers, dtype=np.int64),
        np.array(flows, dtype=np.int64),
    )
    # then every unit is placed, no (household, offer) repeats and nobody exceeds K
    assert len(hh) == sum(flows)
    assert len(set(zip(hh.tolist(), arc.tolist(), strict=True))) == len(hh)
    assert np.bincount(hh - 100, minlength=n).max(initial=0) <= k
    # and as many distinct households as possible are reached
    assert len(set(hh.tolist())) == min(n, sum(flows))


def cp_sat_optimum(inst: AllocationInstance) -> int:
    """The same problem as a plain 0/1 model over households, slots and pairs (independent of
    the network code): maximise Σ value·x subject to every constraint."""
    model = cp_model.CpModel()
    hh = inst.households.select("hh_idx", "municipality_code").rows()
    mun = dict(hh)
    slots = inst.slots.select("slot_idx", "offer_idx", "territory_code", "places").rows()
    x: dict[tuple[int, int, int], cp_model.IntVar] = {}
    objective = []
    assert inst.eligible is not None
    for h, o, v, _ in inst.eligible.iter_rows():
        if v <= 0:
            continue
        for s, so, terr, _p in slots:
            if so == o and terr in (mun[h], mun[h][:2]):
                var = model.new_bool_var(f"x{h}_{o}_{s}")
                x[(h, o, s)] = var
                objective.append(v * var)
    for h, _ in hh:
        model.add(sum(var for (hh_, _, _), var in x.items() if hh_ == h) <= inst.k_max)
        for o in inst.offers["offer_idx"].to_list():
            model.add(sum(var for (hh_, oo, _), var in x.items() if hh_ == h and oo == o) <= 1)
    for s, _, _, places in slots:
        model.add(sum(var for (_, _, ss), var in x.items() if ss == s) <= places)
    model.maximize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    return round(solver.objective_value)


@st.composite
def small_instances(draw: st.DrawFn) -> AllocationInstance:
    n_h = draw(st.integers(1, 9))
    n_o = draw(st.integers(1, 4))
    muns = ["05001", "05002", "08001"]
    hh = pl.DataFrame(
        {
            "household_id": [f"h{i}" for i in range(n_h)],
            "municipality_code": [draw(st.sampled_from(muns)) for _ in range(n_h)],
            **{f"deprived_{c}": [draw(st.booleans()) for _ in range(n_h)] for c in CODES[:-1]},
            "monetary_status": [
                draw(st.sampled_from(["extreme_poor", "poor", "not_poor"])) for _ in range(n_h)
            ],
            # few distinct values so that classes of several households appear
            "accompaniment": [draw(st.booleans()) for _ in range(n_h)],
        }
    )
    offers = pl.DataFrame(
        {
            "offer_id": [f"o{j}" for j in range(n_o)],
            "indicators": [
                draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=2, unique=True))
                for _ in range(n_o)
            ],
        }
    )
    place_rows = []
    for j in range(n_o):
        for terr in ["05001", "05002", "08001", "05", "08"]:
            if draw(st.integers(0, 2)) == 0:
                place_rows.append((f"o{j}", terr, draw(st.integers(0, 3))))
    places = pl.DataFrame(
        place_rows,
        schema={"offer_id": pl.String, "territory_code": pl.String, "places": pl.Int64},
        orient="row",
    )
    eligible = pl.DataFrame(
        [(f"h{i}", f"o{j}") for i in range(n_h) for j in range(n_o) if draw(st.booleans())],
        schema={"household_id": pl.String, "offer_id": pl.String},
        orient="row",
    )
    return build_instance(
        households=hh,
        offers=offers,
        places=places,
        eligible=eligible,
        k_max=draw(st.integers(1, 3)),
    )


@settings(max_examples=150, deadline=None)
@given(inst=small_instances())
def test_all_solvers_are_valid_and_classes_equal_full_graph_and_cp_sat(
    inst: AllocationInstance,
) -> None:
    # when solved by every solver
    mcf = solve_min_cost_flow(inst)
    full = solve_min_cost_flow_full(inst)
    greedy = solve_greedy(inst)
    # then the verifier passes on each
    for alloc in (mcf, full, greedy):
        assert_valid(inst, alloc)
    # and classes reach the full graph's objective, which is the CP-SAT optimum
    assert mcf.objective == full.objective == cp_sat_optimum(inst)
    # and greedy never beats the optimum
    assert greedy.objective <= mcf.objective
