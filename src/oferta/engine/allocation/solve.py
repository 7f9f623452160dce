"""Solvers: exact min-cost flow on household classes (or on every household) and greedy.

The network (one per solve, integer arrays handed to OR-Tools in one call)::

    source ──(cap min(K, deg_c)·n_c)──▶ class c ──(cap n_c, cost −value)──▶ M(offer, municipality)
    M(o, m) ──(cap places)──▶ sink                       one arc per municipal slot (period)
    M(o, m) ──(cap ∞)──▶ D(o, department) ──(cap places)──▶ sink   department slots, shared
    source ──(cap F, cost 0)──▶ sink                     bypass: leaving places empty is allowed

with supply ``F = Σ_c min(K, deg_c)·n_c`` at the source and ``−F`` at the sink. A minimum-cost
flow is a maximum-value allocation: every unit of flow through ``c → M(o, m)`` is one household
of ``c`` taking offer ``o`` (value ``value``) in ``m``. Capacities are integral, so an optimal
integral flow exists and OR-Tools returns one. Only pairs with value > 0 and places reachable
are arcs; a zero-value pair would add nothing to the objective.

**Disaggregation** (class flows → households) and its proof: see :func:`disaggregate`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
from ortools.graph.python import min_cost_flow

from oferta.engine.allocation.instance import AllocationInstance

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]


@dataclass(frozen=True, slots=True)
class Allocation:
    """The solution of one solve.

    Attributes
    ----------
    assignments
        ``household_id``, ``offer_id``, ``territory_code``, ``period``, ``value`` (one row per
        place given), sorted by household and offer.
    objective
        Sum of ``value`` (policy units; divide by ``policy.scale`` for weight units).
    places_filled, households_reached
        Rows of ``assignments`` and distinct households in them.
    solver
        ``"min_cost_flow"`` (classes), ``"min_cost_flow_full"`` or ``"greedy"``.
    status
        ``"OPTIMAL"`` for the exact solvers, ``"HEURISTIC"`` for greedy, or OR-Tools' status.
    timings
        Seconds per stage (``network``, ``solve``, ``disaggregate``, ``total``).
    network
        Nodes and arcs of the network (empty for greedy's arcs it did not build).
    """

    assignments: pl.DataFrame
    objective: int
    places_filled: int
    households_reached: int
    solver: str
    status: str
    timings: dict[str, float] = field(default_factory=dict)
    network: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """JSON-ready figures of the solve."""
        return {
            "solver": self.solver,
            "status": self.status,
            "objective": self.objective,
            "places_filled": self.places_filled,
            "households_reached": self.households_reached,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "network": self.network,
        }


@dataclass(frozen=True, slots=True)
class _Network:
    """Arc arrays and the bookkeeping disaggregation needs (all numpy, aligned by arc)."""

    tails: I32
    heads: I32
    caps: I64
    costs: I64
    supply: int
    n_nodes: int
    # groups (classes or single households)
    group_n: I64
    member_start: I64  # members of group g: members[member_start[g] : member_start[g] + n]
    members: I64  # hh_idx
    # B arcs: group -> M
    b_first: int
    b_group: I64
    b_offer: I64
    b_value: I64
    b_m: I64
    # C arcs: M -> sink (municipal slots); D arcs: M -> Dnode; E arcs: Dnode -> sink
    c_first: int
    c_m: I64
    c_slot: I64
    d_first: int
    d_m: I64
    d_dnode: I64
    e_first: int
    e_dnode: I64
    e_slot: I64
    m_dnode: I64  # D node of each M node, -1 if none


def _groups_and_members(
    instance: AllocationInstance, *, full: bool
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """``groups`` (group_id, municipality_code, department_code, n), ``arcs`` (group_id,
    offer_idx, value) and ``members`` (group_id, hh_idx): one group per class, or one per
    household when ``full``. Everything sorted (group ids follow classes' deterministic order)."""
    hh = instance.households.filter(pl.col("class_id").is_not_null())
    if full:
        groups = (
            hh.select("hh_idx", "municipality_code", "department_code")
            .sort("hh_idx")
            .with_row_index("group_id")
            .with_columns(pl.lit(1, pl.Int64).alias("n"))
        )
        arcs = (
            instance.pairs.filter(pl.col("reachable") & (pl.col("value") > 0))
            .join(groups.select("hh_idx", "group_id"), on="hh_idx")
            .select("group_id", "offer_idx", "value")
        )
        members = groups.select("group_id", "hh_idx")
        groups = groups.drop("hh_idx")
    else:
        groups = instance.classes.select(
            pl.col("class_id").alias("group_id"), "municipality_code", "n"
        ).with_columns(pl.col("municipality_code").str.slice(0, 2).alias("department_code"))
        arcs = instance.class_arcs.select(
            pl.col("class_id").alias("group_id"), "offer_idx", "value"
        )
        members = hh.select(pl.col("class_id").alias("group_id"), "hh_idx")
    gid = pl.col("group_id").cast(pl.Int64)
    return (
        groups.with_columns(gid).sort("group_id"),
        arcs.with_columns(gid).sort("group_id", "offer_idx"),
        members.with_columns(gid).sort("group_id", "hh_idx"),
    )


def _build_network(instance: AllocationInstance, *, full: bool) -> _Network:
    groups, arcs, members = _groups_and_members(instance, full=full)
    n_groups = groups.height
    group_n = groups["n"].to_numpy().astype(np.int64)
    group_mun = groups["municipality_code"]

    # M nodes: (offer, municipality) pairs used by some arc, sorted.
    arcs = arcs.join(
        groups.select("group_id", "municipality_code", "department_code"), on="group_id"
    ).sort("group_id", "offer_idx")
    m_nodes = (
        arcs.select("offer_idx", "municipality_code", "department_code")
        .unique()
        .sort("offer_idx", "municipality_code")
        .with_row_index("m_id")
    )
    arcs = arcs.join(
        m_nodes.select("offer_idx", "municipality_code", "m_id"),
        on=["offer_idx", "municipality_code"],
    ).sort("group_id", "offer_idx")
    slots = instance.slots.filter(pl.col("places") > 0)
    mun_slots = (
        slots.filter(pl.col("territory_code").str.len_chars() == 5)
        .join(
            m_nodes.select(
                "offer_idx", pl.col("municipality_code").alias("territory_code"), "m_id"
            ),
            on=["offer_idx", "territory_code"],
        )
        .sort("m_id", "period", "slot_idx")
    )
    dep_slots = slots.filter(pl.col("territory_code").str.len_chars() == 2)
    d_nodes = (
        m_nodes.select("offer_idx", pl.col("department_code").alias("territory_code"))
        .unique()
        .join(
            dep_slots.select("offer_idx", "territory_code").unique(),
            on=["offer_idx", "territory_code"],
        )
        .sort("offer_idx", "territory_code")
        .with_row_index("d_id")
    )
    dep_slots = dep_slots.join(d_nodes, on=["offer_idx", "territory_code"]).sort(
        "d_id", "period", "slot_idx"
    )
    m_to_d = m_nodes.join(
        d_nodes.rename({"territory_code": "department_code"}),
        on=["offer_idx", "department_code"],
        how="left",
    ).sort("m_id")
    n_m = m_nodes.height
    n_d = d_nodes.height
    g0, m0 = 2, 2 + n_groups
    d0 = m0 + n_m
    n_nodes = d0 + n_d

    b_group = arcs["group_id"].to_numpy().astype(np.int64)
    b_offer = arcs["offer_idx"].to_numpy().astype(np.int64)
    b_value = arcs["value"].to_numpy().astype(np.int64)
    b_m = arcs["m_id"].to_numpy().astype(np.int64)
    deg = np.bincount(b_group, minlength=n_groups).astype(np.int64)
    a_caps = np.minimum(deg, instance.k_max) * group_n
    supply = int(a_caps.sum())

    c_m = mun_slots["m_id"].to_numpy().astype(np.int64)
    c_slot = mun_slots["slot_idx"].to_numpy().astype(np.int64)
    c_caps = mun_slots["places"].to_numpy().astype(np.int64)
    m_dnode = m_to_d["d_id"].fill_null(-1).to_numpy().astype(np.int64)
    d_m = np.flatnonzero(m_dnode >= 0).astype(np.int64)
    d_dnode = m_dnode[d_m]
    e_dnode = dep_slots["d_id"].to_numpy().astype(np.int64)
    e_slot = dep_slots["slot_idx"].to_numpy().astype(np.int64)
    e_caps = dep_slots["places"].to_numpy().astype(np.int64)
    d_total = np.bincount(e_dnode, weights=e_caps, minlength=n_d).astype(np.int64)

    gid = np.arange(n_groups, dtype=np.int64)
    tails = np.concatenate(
        [np.zeros(n_groups, np.int64), g0 + b_group, m0 + c_m, m0 + d_m, d0 + e_dnode, [0]]
    )
    heads = np.concatenate(
        [
            g0 + gid,
            m0 + b_m,
            np.ones(len(c_m), np.int64),
            d0 + d_dnode,
            np.ones(len(e_dnode), np.int64),
            [1],
        ]
    )
    caps = np.concatenate([a_caps, group_n[b_group], c_caps, d_total[d_dnode], e_caps, [supply]])
    costs = np.concatenate(
        [
            np.zeros(n_groups, np.int64),
            -b_value,
            np.zeros(len(c_m) + len(d_m) + len(e_dnode) + 1, np.int64),
        ]
    )
    member_counts = np.bincount(members["group_id"].to_numpy(), minlength=n_groups)
    member_start = np.concatenate([[0], np.cumsum(member_counts)[:-1]]).astype(np.int64)
    del group_mun
    b_first = n_groups
    c_first = b_first + len(b_group)
    d_first = c_first + len(c_m)
    e_first = d_first + len(d_m)
    return _Network(
        tails=tails.astype(np.int32),
        heads=heads.astype(np.int32),
        caps=caps.astype(np.int64),
        costs=costs.astype(np.int64),
        supply=supply,
        n_nodes=n_nodes,
        group_n=group_n,
        member_start=member_start,
        members=members["hh_idx"].to_numpy().astype(np.int64),
        b_first=b_first,
        b_group=b_group,
        b_offer=b_offer,
        b_value=b_value,
        b_m=b_m,
        c_first=c_first,
        c_m=c_m,
        c_slot=c_slot,
        d_first=d_first,
        d_m=d_m,
        d_dnode=d_dnode,
        e_first=e_first,
        e_dnode=e_dnode,
        e_slot=e_slot,
        m_dnode=m_dnode,
    )


def disaggregate(
    group_n: I64, member_start: I64, members: I64, arc_group: I64, arc_flow: I64
) -> tuple[I64, I64]:
    """Turn flows on (group, offer) arcs into (household, arc) units.

    Arcs must be sorted by group. Within a group of ``n`` households ``h_0 … h_{n−1}`` (sorted
    by ``hh_idx``), lay the units out offer after offer (``f_1`` copies of the first arc, then
    ``f_2`` of the second, …) and give unit number ``p`` to household ``h_{p mod n}``.

    Claim: if every ``f_o ≤ n`` and ``Σ f_o ≤ K·n`` (the network's capacities guarantee both),
    no household gets the same offer twice and none gets more than ``K`` offers.

    Proof. Household ``h_i`` receives the units at positions ``p ≡ i (mod n)``, i.e.
    ``i, i + n, i + 2n, …``, all ``< Σ f_o ≤ K·n``: at most ``K`` positions. The units of one
    offer occupy consecutive positions ``s … s + f_o − 1``; two of them going to the same
    household would differ by a positive multiple of ``n``, but they differ by at most
    ``f_o − 1 < n``. ∎  It also reaches as many households as possible: the first
    ``min(n, Σ f_o)`` units go to distinct households.

    Returns
    -------
    (hh_idx, arc) of each unit, ordered by arc then position.
    """
    flow = arc_flow.astype(np.int64)
    unit_arc = np.repeat(np.arange(len(flow), dtype=np.int64), flow)
    if len(unit_arc) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    unit_group = arc_group[unit_arc]
    # position of each unit within its group
    group_total = np.bincount(unit_group, minlength=len(group_n)).astype(np.int64)
    group_first_unit = np.concatenate([[0], np.cumsum(group_total)[:-1]])
    pos = np.arange(len(unit_arc), dtype=np.int64) - group_first_unit[unit_group]
    hh = members[member_start[unit_group] + pos % group_n[unit_group]]
    return hh, unit_arc


def _align(unit_node: I64, out_node: I64, out_flow: I64) -> I64:
    """Match units entering nodes to the arcs leaving them (flow conservation): returns, for
    each unit, the index of its out arc. Units and out arcs are each taken in stable order."""
    order = np.argsort(unit_node, kind="stable")
    out_sorted = np.argsort(out_node, kind="stable")
    per_unit = np.repeat(out_sorted, out_flow[out_sorted])
    assert len(per_unit) == len(unit_node), "flow is not conserved"
    result = np.empty(len(unit_node), dtype=np.int64)
    result[order] = per_unit
    return result


def _assignments(
    instance: AllocationInstance, net: _Network, flows: I64
) -> tuple[pl.DataFrame, float]:
    t0 = time.perf_counter()
    nb = len(net.b_group)
    b_flow = flows[net.b_first : net.b_first + nb]
    c_flow = flows[net.c_first : net.c_first + len(net.c_m)]
    d_flow = flows[net.d_first : net.d_first + len(net.d_m)]
    e_flow = flows[net.e_first : net.e_first + len(net.e_dnode)]
    hh, arc = disaggregate(net.group_n, net.member_start, net.members, net.b_group, b_flow)
    unit_m = net.b_m[arc]
    # leaving M: municipal slot arcs (C) then the arc to its department node (D)
    out_node = np.concatenate([net.c_m, net.d_m])
    out_flow = np.concatenate([c_flow, d_flow])
    out = _align(unit_m, out_node, out_flow)
    slot = np.full(len(hh), -1, dtype=np.int64)
    is_c = out < len(net.c_m)
    slot[is_c] = net.c_slot[out[is_c]]
    via_d = np.flatnonzero(~is_c)
    if len(via_d):
        unit_d = net.d_dnode[out[via_d] - len(net.c_m)]
        e = _align(unit_d, net.e_dnode, e_flow)
        slot[via_d] = net.e_slot[e]
    # households and slots are stored in index order (row i has hh_idx / slot_idx i): gather.
    slot_rows = pl.Series(slot, dtype=pl.UInt32)
    frame = pl.DataFrame(
        {
            "household_id": instance.households["household_id"].gather(
                pl.Series(hh, dtype=pl.UInt32)
            ),
            "offer_id": instance.slots["offer_id"].gather(slot_rows),
            "territory_code": instance.slots["territory_code"].gather(slot_rows),
            "period": instance.slots["period"].gather(slot_rows),
            "value": pl.Series(net.b_value[arc], dtype=pl.Int64),
        }
    ).sort("household_id", "offer_id")
    return frame, time.perf_counter() - t0


def _allocation(
    frame: pl.DataFrame,
    *,
    solver: str,
    status: str,
    timings: dict[str, float],
    net: _Network,
) -> Allocation:
    timings["total"] = sum(timings.values())
    return Allocation(
        assignments=frame,
        objective=int(frame["value"].sum()),
        places_filled=frame.height,
        households_reached=frame["household_id"].n_unique(),
        solver=solver,
        status=status,
        timings=timings,
        network={"nodes": net.n_nodes, "arcs": len(net.tails), "groups": len(net.group_n)},
    )


def _solve_mcf(instance: AllocationInstance, *, full: bool) -> Allocation:
    t0 = time.perf_counter()
    net = _build_network(instance, full=full)
    t1 = time.perf_counter()
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(net.tails, net.heads, net.caps, net.costs)
    smcf.set_nodes_supplies(
        np.array([0, 1], dtype=np.int32), np.array([net.supply, -net.supply], dtype=np.int64)
    )
    status = smcf.solve()
    t2 = time.perf_counter()
    name = "min_cost_flow_full" if full else "min_cost_flow"
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"{name}: OR-Tools terminó con estado {status}")
    flows = np.asarray(smcf.flows(np.arange(len(net.tails), dtype=np.int32)), dtype=np.int64)
    optimum = -int(smcf.optimal_cost())
    del smcf
    frame, t_dis = _assignments(instance, net, flows)
    alloc = _allocation(
        frame,
        solver=name,
        status="OPTIMAL",
        timings={"network": t1 - t0, "solve": t2 - t1, "disaggregate": t_dis},
        net=net,
    )
    if alloc.objective != optimum:  # pragma: no cover - would be a bug in disaggregation
        raise RuntimeError(f"{name}: objetivo {alloc.objective} ≠ costo óptimo {optimum}")
    return alloc


def solve_min_cost_flow(instance: AllocationInstance) -> Allocation:
    """Exact maximum-value allocation by min-cost flow on household classes.

    Example
    -------
    >>> import polars as pl
    >>> from oferta.engine.allocation.instance import build_instance
    >>> inst = build_instance(
    ...     households=pl.DataFrame({"household_id": ["a"], "municipality_code": ["05001"],
    ...                              "deprived_illiteracy": [True]}),
    ...     offers=pl.DataFrame({"offer_id": ["o"], "indicators": [["illiteracy"]]}),
    ...     places=pl.DataFrame({"offer_id": ["o"], "territory_code": ["05"], "places": [5]}),
    ...     eligible=pl.DataFrame({"household_id": ["a"], "offer_id": ["o"]}))
    >>> solve_min_cost_flow(inst).assignments.rows()
    [('a', 'o', '05', '', 1000)]
    """
    return _solve_mcf(instance, full=False)


def solve_min_cost_flow_full(instance: AllocationInstance) -> Allocation:
    """The same model on the full household graph (one node per household): the reference the
    class-based solve must equal."""
    return _solve_mcf(instance, full=True)


def solve_greedy(instance: AllocationInstance) -> Allocation:
    """Greedy allocation: highest value first.

    (class, offer) arcs are taken in decreasing value; ties by ``offer_id``, then municipality,
    then class (classes are numbered by municipality and smallest ``household_id``). Each arc
    gets as many places as its class size, the class's remaining ``K`` budget and the places left
    (municipal slots first, in period order, then the department's) allow. Units are then given
    to households by the same cyclic rule as the exact solver, so households of a class are
    treated alike and a household never exceeds ``K``.
    """
    t0 = time.perf_counter()
    net = _build_network(instance, full=False)
    t1 = time.perf_counter()
    nb = len(net.b_group)
    n_m = len(net.m_dnode)
    m_cap = np.bincount(
        net.c_m, weights=net.caps[net.c_first : net.c_first + len(net.c_m)], minlength=n_m
    ).astype(np.int64)
    n_d = int(net.e_dnode.max()) + 1 if len(net.e_dnode) else 0
    d_cap = np.bincount(
        net.e_dnode,
        weights=net.caps[net.e_first : net.e_first + len(net.e_dnode)],
        minlength=n_d,
    ).astype(np.int64)
    k_left = (net.caps[: len(net.group_n)]).copy()  # min(K, deg)·n
    # offer index order equals offer_id order; M ids are sorted by (offer, municipality)
    order = np.lexsort((net.b_group, net.b_m, -net.b_value))
    b_flow = np.zeros(nb, dtype=np.int64)
    m_used = np.zeros(n_m, dtype=np.int64)
    md_used = np.zeros(n_m, dtype=np.int64)
    grp = net.b_group.tolist()
    mid = net.b_m.tolist()
    gn = net.group_n.tolist()
    kl = k_left.tolist()
    mc = m_cap.tolist()
    dc = d_cap.tolist()
    mdn = net.m_dnode.tolist()
    bf = b_flow.tolist()
    mu = m_used.tolist()
    mdu = md_used.tolist()
    for a in order.tolist():
        g = grp[a]
        m = mid[a]
        d = mdn[m]
        room = mc[m] + (dc[d] if d >= 0 else 0)
        x = min(gn[g], kl[g], room)
        if x <= 0:
            continue
        bf[a] = x
        kl[g] -= x
        y = min(x, mc[m])
        mc[m] -= y
        mu[m] += y
        if x > y:
            dc[d] -= x - y
            mdu[m] += x - y
    b_flow = np.asarray(bf, dtype=np.int64)
    m_used = np.asarray(mu, dtype=np.int64)
    md_used = np.asarray(mdu, dtype=np.int64)
    c_flow = _fill(net.c_m, net.caps[net.c_first : net.c_first + len(net.c_m)], m_used)
    d_flow = md_used[net.d_m]
    d_in = np.bincount(net.d_dnode, weights=d_flow, minlength=n_d).astype(np.int64)
    e_flow = _fill(net.e_dnode, net.caps[net.e_first : net.e_first + len(net.e_dnode)], d_in)
    flows = np.zeros(len(net.tails), dtype=np.int64)
    flows[net.b_first : net.b_first + nb] = b_flow
    flows[net.c_first : net.c_first + len(net.c_m)] = c_flow
    flows[net.d_first : net.d_first + len(net.d_m)] = d_flow
    flows[net.e_first : net.e_first + len(net.e_dnode)] = e_flow
    t2 = time.perf_counter()
    frame, t_dis = _assignments(instance, net, flows)
    return _allocation(
        frame,
        solver="greedy",
        status="HEURISTIC",
        timings={"network": t1 - t0, "solve": t2 - t1, "disaggregate": t_dis},
        net=net,
    )


def _fill(node: I64, cap: I64, used: I64) -> I64:
    """Spread ``used[node]`` units over a node's arcs (sorted by node) in order, each up to its
    capacity: the first arcs fill first."""
    if len(node) == 0:
        return np.zeros(0, np.int64)
    before = np.cumsum(cap) - cap
    first = np.zeros(int(node.max()) + 1, dtype=np.int64)
    # cumulative capacity before each arc within its node
    starts = np.flatnonzero(np.r_[True, node[1:] != node[:-1]])
    first[node[starts]] = before[starts]
    within = before - first[node]
    return np.clip(used[node] - within, 0, cap).astype(np.int64)
