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

**By component.** Without source and sink the network falls apart into components (a
municipality, or a department with a pool); each is solved with its own source, sink and bypass
and the optima add up (the min-cost flow solve is superlinear, so this is also much faster). With
``workers > 1`` a share of them is solved in spawned processes: as with any ``spawn``, the
caller's main module must be import-safe (``if __name__ == "__main__":``).

**Disaggregation** (class flows → households) and its proof: see :func:`disaggregate`.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnProcess
from typing import Any, Final

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
    # connected components (without source and sink): of each group, M node and D node
    group_comp: I64
    m_comp: I64
    d_comp: I64


def _groups_and_members(
    instance: AllocationInstance, *, full: bool
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """``groups`` (group_id, municipality_code, department_code, n), ``arcs`` (group_id,
    offer_idx, value) and ``members`` (group_id, hh_idx): one group per class, or one per
    household when ``full``. Everything sorted (group ids follow classes' deterministic order)."""
    hh = instance.households.filter(pl.col("class_id").is_not_null())
    if full:
        groups = (
            hh.select(
                "hh_idx",
                "municipality_code",
                pl.col("municipality_code").str.slice(0, 2).alias("department_code"),
            )
            .sort("hh_idx")
            .with_row_index("group_id")
            .with_columns(pl.lit(1, pl.Int64).alias("n"))
        )
        arcs = instance.pairs.join(groups.select("hh_idx", "group_id"), on="hh_idx").select(
            "group_id", "offer_idx", "value"
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

    # Municipalities and departments as integer codes in sorted string order, so every node
    # lookup below is an index into a dense offer × territory table (no joins over arcs).
    munis = groups["municipality_code"].unique().sort()
    depts = munis.str.slice(0, 2).unique().sort()
    n_mun, n_dep = len(munis), len(depts)
    n_off = instance.offers.height
    group_mun = (
        groups["municipality_code"].cast(pl.Enum(munis)).to_physical().cast(pl.Int64).to_numpy()
    )
    mun_dep = _codes(munis.str.slice(0, 2), depts)

    b_group = arcs["group_id"].to_numpy().astype(np.int64)
    b_offer = arcs["offer_idx"].to_numpy().astype(np.int64)
    b_value = arcs["value"].to_numpy().astype(np.int64)
    del arcs
    # M nodes: (offer, municipality) pairs used by some arc, sorted by offer then municipality.
    b_key = b_offer * n_mun + group_mun[b_group]
    m_id_of_key = np.full(n_off * n_mun, -1, dtype=np.int64)
    m_id_of_key[b_key] = 0
    m_keys = np.flatnonzero(m_id_of_key == 0)
    m_id_of_key[m_keys] = np.arange(len(m_keys))
    b_m = m_id_of_key[b_key]
    del b_key
    m_offer = m_keys // n_mun
    m_mun = m_keys % n_mun
    m_dep = mun_dep[m_mun]

    slots = instance.slots.filter(pl.col("places") > 0)
    mun_slots = slots.filter(pl.col("territory_code").str.len_chars() == 5)
    code = _codes(mun_slots["territory_code"], munis)
    offer = mun_slots["offer_idx"].cast(pl.Int64).to_numpy()
    mun_slots = (
        mun_slots.with_columns(
            pl.Series("m_id", _lookup(m_id_of_key, offer * n_mun + code, code >= 0))
        )
        .filter(pl.col("m_id") >= 0)
        .sort("m_id", "period", "slot_idx")
    )
    # D nodes: (offer, department) pools with places that some M node of the department uses.
    dep_slots = slots.filter(pl.col("territory_code").str.len_chars() == 2)
    dcode = _codes(dep_slots["territory_code"], depts)
    doffer = dep_slots["offer_idx"].cast(pl.Int64).to_numpy()
    has_slot = np.zeros(n_off * n_dep, dtype=bool)
    has_slot[(doffer * n_dep + dcode)[dcode >= 0]] = True
    m_dkey = m_offer * n_dep + m_dep
    has_m = np.zeros(n_off * n_dep, dtype=bool)
    has_m[m_dkey] = True
    d_keys = np.flatnonzero(has_slot & has_m)
    d_id_of_key = np.full(n_off * n_dep, -1, dtype=np.int64)
    d_id_of_key[d_keys] = np.arange(len(d_keys))
    dep_slots = (
        dep_slots.with_columns(
            pl.Series("d_id", _lookup(d_id_of_key, doffer * n_dep + dcode, dcode >= 0))
        )
        .filter(pl.col("d_id") >= 0)
        .sort("d_id", "period", "slot_idx")
    )
    m_dnode = d_id_of_key[m_dkey]
    d_dep = d_keys % n_dep
    n_m = len(m_keys)
    n_d = len(d_keys)
    g0, m0 = 2, 2 + n_groups
    d0 = m0 + n_m
    n_nodes = d0 + n_d

    deg = np.bincount(b_group, minlength=n_groups).astype(np.int64)
    a_caps = np.minimum(deg, instance.k_max) * group_n
    supply = int(a_caps.sum())

    c_m = mun_slots["m_id"].to_numpy().astype(np.int64)
    c_slot = mun_slots["slot_idx"].to_numpy().astype(np.int64)
    c_caps = mun_slots["places"].to_numpy().astype(np.int64)
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
    group_comp, m_comp, d_comp = _components(group_mun, m_mun, m_dnode, d_dep, mun_dep, n_mun)
    member_counts = np.bincount(members["group_id"].to_numpy(), minlength=n_groups)
    member_start = np.concatenate([[0], np.cumsum(member_counts)[:-1]]).astype(np.int64)
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
        group_comp=group_comp,
        m_comp=m_comp,
        d_comp=d_comp,
    )


def _components(
    group_mun: I64, m_mun: I64, m_dnode: I64, d_dep: I64, mun_dep: I64, n_mun: int
) -> tuple[I64, I64, I64]:
    """Component of each group, M node and D node once source and sink are removed.

    A group (class) reaches only M nodes of its municipality, and M nodes of different
    municipalities meet only at a department pool (D node). So a municipality is a component of
    its own unless one of its M nodes draws from a pool; then it is put with its department
    (a union of true components, which is still independent of the rest).
    """
    pooled = np.zeros(n_mun, dtype=bool)
    pooled[m_mun[m_dnode >= 0]] = True
    key_of_mun = np.where(pooled, n_mun + mun_dep, np.arange(n_mun))
    _, comp_of_mun = np.unique(key_of_mun, return_inverse=True)
    comp_of_mun = comp_of_mun.astype(np.int64)
    # a pooled department's component, found through any of its pooled municipalities
    comp_of_dep = np.full(int(mun_dep.max()) + 1 if len(mun_dep) else 0, -1, dtype=np.int64)
    comp_of_dep[mun_dep[pooled]] = comp_of_mun[pooled]
    return comp_of_mun[group_mun], comp_of_mun[m_mun], comp_of_dep[d_dep]


def _lookup(table: I64, key: I64, valid: npt.NDArray[np.bool_]) -> I64:
    """``table[key]`` where ``valid``, else -1."""
    out = np.full(len(key), -1, dtype=np.int64)
    out[valid] = table[key[valid]]
    return out


def _codes(values: pl.Series, domain: pl.Series) -> I64:
    """Index of each value in the sorted, distinct ``domain``; -1 when absent (small series)."""
    if len(domain) == 0:
        return np.full(len(values), -1, dtype=np.int64)
    pos = np.minimum(domain.search_sorted(values).cast(pl.Int64).to_numpy(), len(domain) - 1)
    found = domain.gather(pl.Series(pos)).to_numpy() == values.to_numpy()
    return np.where(found, pos, -1).astype(np.int64)


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
    # Sorted by (household_id, offer_id) through the integer indexes (hh_idx follows
    # household_id, offer_idx follows offer_id), then households and slots, stored in index
    # order (row i has hh_idx / slot_idx i), are gathered: no sort or join on strings.
    key = pl.Series(hh.astype(np.uint64) << np.uint64(32) | net.b_offer[arc].astype(np.uint64))
    order = key.arg_sort().to_numpy()
    del key
    hh, arc, slot = hh[order], arc[order], slot[order]
    del order
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
    )
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


_GREEDY_CHUNK: Final[int] = 1 << 20
_MIN_TASK_ARCS: Final[int] = 200_000  # small components are solved together, to save overhead


def _solve_arrays(
    tails: I32, heads: I32, caps: I64, costs: I64, supply: int
) -> tuple[int, I64, int]:
    """Solve one network (source 0, sink 1): ``(status, flows, cost)``. Runs in workers."""
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    smcf.set_nodes_supplies(
        np.array([0, 1], dtype=np.int32), np.array([supply, -supply], dtype=np.int64)
    )
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        return int(status), np.zeros(0, np.int64), 0
    flows = np.asarray(smcf.flows(np.arange(len(tails), dtype=np.int32)), dtype=np.int64)
    return int(status), flows, int(smcf.optimal_cost())


@dataclass(frozen=True, slots=True)
class _Task:
    """Arcs (indexes into the whole network, bypass excluded) of some components."""

    arcs: I64
    n_local_nodes: int


def _tasks(net: _Network) -> tuple[list[_Task], I64]:
    """Split the network by component into tasks, largest first, and the local node id of
    every node (source 0 and sink 1 keep theirs; the others are renumbered within a task)."""
    node_comp = np.concatenate([net.group_comp, net.m_comp, net.d_comp])
    n_comp = int(node_comp.max()) + 1 if len(node_comp) else 0
    # arcs are laid out A (source → group), B, C, D, E, then the bypass (not in any component)
    arc_comp = np.concatenate(
        [
            net.group_comp,
            net.group_comp[net.b_group],
            net.m_comp[net.c_m],
            net.m_comp[net.d_m],
            net.d_comp[net.e_dnode],
        ]
    )
    assert len(arc_comp) == len(net.tails) - 1, "arc layout changed"
    # components to tasks: big ones alone, small ones packed up to _MIN_TASK_ARCS arcs
    size = np.bincount(arc_comp, minlength=n_comp)
    task_of_comp = np.empty(n_comp, dtype=np.int64)
    n_tasks, filled = 0, 0
    for c in np.argsort(-size, kind="stable").tolist():
        if filled == 0 or filled >= _MIN_TASK_ARCS:
            n_tasks += 1
            filled = 0
        task_of_comp[c] = n_tasks - 1
        filled += int(size[c])
    arc_task = task_of_comp[arc_comp]
    del arc_comp
    order = np.argsort(arc_task, kind="stable")
    bounds = np.searchsorted(arc_task[order], np.arange(n_tasks + 1))
    del arc_task
    node_task = task_of_comp[node_comp]
    node_order = np.argsort(node_task, kind="stable")
    node_bounds = np.searchsorted(node_task[node_order], np.arange(n_tasks + 1))
    local = np.empty(len(node_comp) + 2, dtype=np.int64)
    local[:2] = (0, 1)
    local[2 + node_order] = 2 + np.arange(len(node_order)) - node_bounds[node_task[node_order]]
    tasks = [
        _Task(order[bounds[t] : bounds[t + 1]], int(node_bounds[t + 1] - node_bounds[t]) + 2)
        for t in range(n_tasks)
    ]
    return tasks, local


def _task_arrays(net: _Network, task: _Task, local: I64) -> tuple[I32, I32, I64, I64, int]:
    """The task's own network: local node ids, plus its bypass arc (source → sink)."""
    tails = net.tails[task.arcs]
    supply = int(net.caps[task.arcs][tails == 0].sum())
    return (
        np.append(local[tails], 0).astype(np.int32),
        np.append(local[net.heads[task.arcs]], 1).astype(np.int32),
        np.append(net.caps[task.arcs], supply).astype(np.int64),
        np.append(net.costs[task.arcs], 0).astype(np.int64),
        supply,
    )


def _solve_tasks_in_child(conn: Connection) -> None:
    """Worker process: receive task arrays until ``None``, solve them all, send the results.

    Everything is received before solving: the parent sends (holding the GIL) and then solves
    its own share, so the child must not make it wait on a full pipe.
    """
    payload: list[tuple[I32, I32, I64, I64, int]] = []
    while (item := conn.recv()) is not None:
        payload.append(item)
    conn.send([_solve_arrays(*arrays) for arrays in payload])
    conn.close()


def _shares(tasks: list[_Task], workers: int) -> list[list[int]]:
    """Tasks (indexes) per process, largest first to the least loaded (LPT); share 0, with the
    largest task, is solved in this process. Load is ``arcs^1.5``: the solve is superlinear."""
    load = [0.0] * workers
    shares: list[list[int]] = [[] for _ in range(workers)]
    for i in sorted(range(len(tasks)), key=lambda t: -len(tasks[t].arcs)):
        w = min(range(workers), key=lambda k: load[k])
        shares[w].append(i)
        load[w] += len(tasks[i].arcs) ** 1.5
    return shares


def _solve_network(net: _Network, *, by_component: bool, workers: int) -> tuple[I64, int, int]:
    """Flows of every arc, the optimal cost and the number of tasks solved.

    Components share nothing but source and sink, so their optima add up to the optimum of the
    whole network. With ``workers > 1``, ``workers − 1`` spawned processes receive their share
    of the tasks while this process keeps the largest (its arrays are not copied) and solves
    its share meanwhile. OR-Tools holds the GIL while it solves, so threads would not run in
    parallel.
    """
    if not by_component:
        status, flows, cost = _solve_arrays(net.tails, net.heads, net.caps, net.costs, net.supply)
        if status != min_cost_flow.SimpleMinCostFlow.OPTIMAL:
            raise RuntimeError(f"min_cost_flow: OR-Tools terminó con estado {status}")
        return flows, cost, 1
    tasks, local = _tasks(net)
    flows = np.zeros(len(net.tails), dtype=np.int64)
    total = 0

    def take(task: _Task, result: tuple[int, I64, int]) -> None:
        nonlocal total
        status, task_flows, cost = result
        if status != min_cost_flow.SimpleMinCostFlow.OPTIMAL:
            raise RuntimeError(f"min_cost_flow: OR-Tools terminó con estado {status}")
        flows[task.arcs] = task_flows[:-1]
        total += cost

    shares = _shares(tasks, max(1, min(workers, len(tasks))))
    context = multiprocessing.get_context("spawn")  # no fork of a large, threaded process
    children: list[tuple[SpawnProcess, Connection, list[int]]] = []
    try:
        for share in shares[1:]:
            mine, theirs = context.Pipe()
            child = context.Process(target=_solve_tasks_in_child, args=(theirs,), daemon=True)
            child.start()
            theirs.close()
            for i in share:
                mine.send(_task_arrays(net, tasks[i], local))
            mine.send(None)
            children.append((child, mine, share))
        for i in shares[0]:
            take(tasks[i], _solve_arrays(*_task_arrays(net, tasks[i], local)))
        for child, conn, share in children:
            try:
                results = conn.recv()
            except EOFError as exc:
                raise RuntimeError(f"min_cost_flow: el proceso {child.pid} terminó") from exc
            for i, result in zip(share, results, strict=True):
                take(tasks[i], result)
    finally:
        for child, conn, _ in children:
            conn.close()
            child.join(timeout=5)
            if child.is_alive():  # pragma: no cover - only after an error
                child.terminate()
    flows[-1] = net.supply - int(flows[: len(net.group_n)].sum())  # bypass
    return flows, total, len(tasks)


def _solve_mcf(
    instance: AllocationInstance, *, full: bool, by_component: bool = True, workers: int = 1
) -> Allocation:
    t0 = time.perf_counter()
    net = _build_network(instance, full=full)
    t1 = time.perf_counter()
    name = "min_cost_flow_full" if full else "min_cost_flow"
    flows, cost, n_tasks = _solve_network(net, by_component=by_component, workers=workers)
    optimum = -cost
    t2 = time.perf_counter()
    frame, t_dis = _assignments(instance, net, flows)
    alloc = _allocation(
        frame,
        solver=name,
        status="OPTIMAL",
        timings={"network": t1 - t0, "solve": t2 - t1, "disaggregate": t_dis},
        net=net,
    )
    alloc.network["tasks"] = n_tasks
    if alloc.objective != optimum:  # pragma: no cover - would be a bug in disaggregation
        raise RuntimeError(f"{name}: objetivo {alloc.objective} ≠ costo óptimo {optimum}")
    return alloc


def solve_min_cost_flow(
    instance: AllocationInstance, *, workers: int = 1, by_component: bool = True
) -> Allocation:
    """Exact maximum-value allocation by min-cost flow on household classes.

    Parameters
    ----------
    instance
        The instance.
    workers
        Processes solving components at once (1: all in this process; more: this process
        plus ``workers − 1`` spawned ones, each with its own copy of its tasks' arrays).
    by_component
        Solve each connected component (a municipality, or a department with a pool) on its
        own; False solves the whole network at once (the same optimum, for tests).

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
    return _solve_mcf(instance, full=False, by_component=by_component, workers=workers)


def solve_min_cost_flow_full(
    instance: AllocationInstance, *, workers: int = 1, by_component: bool = True
) -> Allocation:
    """The same model on the full household graph (one node per household): the reference the
    class-based solve must equal."""
    return _solve_mcf(instance, full=True, by_component=by_component, workers=workers)


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
    gn = net.group_n.tolist()
    kl = k_left.tolist()
    mc = m_cap.tolist()
    dc = d_cap.tolist()
    mdn = net.m_dnode.tolist()
    mu = [0] * n_m
    mdu = [0] * n_m
    # Arcs are visited in chunks converted to lists (a Python loop is fastest on lists), so
    # only one chunk of per-arc lists is alive: per-node state stays in whole lists.
    for start in range(0, nb, _GREEDY_CHUNK):
        arcs = order[start : start + _GREEDY_CHUNK]
        flow = [0] * len(arcs)
        for i, (g, m) in enumerate(
            zip(net.b_group[arcs].tolist(), net.b_m[arcs].tolist(), strict=True)
        ):
            d = mdn[m]
            room = mc[m] + (dc[d] if d >= 0 else 0)
            x = min(gn[g], kl[g], room)
            if x <= 0:
                continue
            flow[i] = x
            kl[g] -= x
            y = min(x, mc[m])
            mc[m] -= y
            mu[m] += y
            if x > y:
                dc[d] -= x - y
                mdu[m] += x - y
        b_flow[arcs] = flow
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
