"""National routing benchmark: eligibility + allocation for N households × 200 offers.

Synthetic households, their members and offers (:mod:`oferta.engine.allocation.synthetic`:
correlated deprivations at national rates, rule-like eligibility patterns written in CEL,
municipal places on 1,122 real DIVIPOLA municipalities plus some department pools) are
generated first (not timed). Then, timed:

1. eligibility: the offers' CEL rules compiled by the engine's compiler and evaluated by its
   bulk path (:func:`~oferta.engine.eligibility.pairs.iter_eligible_household_pairs`: integer
   household codes, rules in batches), each batch handed to the instance as it comes;
2. instance: each batch reduced to its assignable pairs (value > 0, places reachable) with
   values under the default priority policy, then household classes;
3. min-cost flow on classes (exact), by connected component in ``--workers`` processes.

Then, not in the target's timing: the verifier, greedy and its verifier. ``--full`` also solves
on the full household graph and compares objectives; ``--check-masks`` counts the pairs of the
same rules evaluated with numpy (untimed) and checks the engine found as many.

Peak memory: ``ru_maxrss`` of this process and of its largest child, and the peak of the whole
process tree (this process plus the solver workers) sampled every 50 ms. Usage::

    flock /tmp/oferta-12m.lock .venv/bin/python benchmarks/route_national.py --households 12000000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import threading
import time
from pathlib import Path

import polars as pl

from oferta.engine.allocation import (
    build_instance,
    solve_greedy,
    solve_min_cost_flow,
    solve_min_cost_flow_full,
    verify_allocation,
)
from oferta.engine.allocation.synthetic import eligibility_masks, generate, persons_for
from oferta.engine.eligibility.compile import compile_rule
from oferta.engine.eligibility.pairs import iter_eligible_household_pairs

DIVIPOLA = Path("src/oferta/territories/data/divipola_municipios_mgn2018.csv")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{p}/task/{tid}/children", encoding="ascii") as f:
                    kids = [int(k) for k in f.read().split()]
            except OSError:
                continue
            found.extend(kids)
            stack.extend(kids)
    return found


class TreeSampler(threading.Thread):
    """Peak resident memory of this process plus all its descendants, sampled."""

    def __init__(self, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_kb = 0
        self.stop = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self.stop.is_set():
            total = _rss_kb(me) + sum(_rss_kb(p) for p in _descendants(me))
            self.peak_kb = max(self.peak_kb, total)
            self.stop.wait(self.interval)


def progress(stage: str, since: float) -> None:
    """One line per stage on stderr (time, peak RSS), so a killed run still tells where."""
    print(
        f"{stage}: {time.perf_counter() - since:.1f} s, peak RSS {peak_rss_mb():.0f} MB, "
        f"load {os.getloadavg()[0]:.2f}",
        file=sys.stderr,
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=12_000_000)
    parser.add_argument("--offers", type=int, default=200)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workers", type=int, default=1, help="min-cost flow processes (2: faster, more memory)"
    )
    parser.add_argument("--full", action="store_true", help="also solve the full household graph")
    parser.add_argument(
        "--check-masks", action="store_true", help="count the pairs with numpy too (untimed)"
    )
    args = parser.parse_args()
    sampler = TreeSampler()
    sampler.start()

    codes = pl.read_csv(DIVIPOLA, infer_schema=False).to_series(0).to_list()
    out: dict[str, object] = {
        "households": args.households,
        "offers": args.offers,
        "k": args.k,
        "workers": args.workers,
        "load_before": os.getloadavg()[0],
    }
    t = time.perf_counter()
    synth = generate(
        n_households=args.households,
        n_offers=args.offers,
        municipalities=codes,
        seed=args.seed,
        compute_eligible=False,
    )
    persons = persons_for(synth.households, seed=args.seed)
    out["persons"] = persons.height
    out["generate_s"] = round(time.perf_counter() - t, 2)
    out["rss_after_generate_mb"] = round(peak_rss_mb())
    progress("generate", t)
    if args.check_masks:
        out["numpy_mask_pairs"] = sum(
            int(m.sum()) for m in eligibility_masks(synth.households, synth.patterns)
        )

    t0 = time.perf_counter()
    rules = {
        offer_id: compile_rule(rule)
        for offer_id, rule in synth.offers.select("offer_id", "rule").iter_rows()
    }
    compile_s = time.perf_counter() - t0
    instance = build_instance(
        households=synth.households,
        offers=synth.offers,
        places=synth.places,
        eligible=iter_eligible_household_pairs(rules, synth.households.lazy(), persons.lazy()),
        k_max=args.k,
        keep_eligible=False,
    )
    del synth, persons  # the instance keeps what the solvers need; free the registry
    t2 = time.perf_counter()
    eligibility_s = compile_s + instance.timings.get("eligibility", 0.0)
    progress("eligibility + instance", t0)
    out["peak_rss_after_instance_mb"] = round(peak_rss_mb())
    out["rss_before_mcf_mb"] = round(_rss_kb(os.getpid()) / 1024)
    mcf = solve_min_cost_flow(instance, workers=args.workers)
    t3 = time.perf_counter()
    progress("mcf", t2)
    out["load_after_mcf"] = os.getloadavg()[0]
    out["peak_rss_after_mcf_mb"] = round(peak_rss_mb())
    out["tree_peak_rss_after_mcf_mb"] = round(sampler.peak_kb / 1024)
    report = verify_allocation(instance, mcf)
    t4 = time.perf_counter()
    progress("verify", t3)
    out["eligibility_s"] = round(eligibility_s, 2)
    out["instance_s"] = round(t2 - t0 - eligibility_s, 2)
    out["instance_detail_s"] = {k: round(v, 2) for k, v in instance.timings.items()}
    out["instance"] = instance.summary()
    out["mcf"] = mcf.summary()
    out["mcf_s"] = round(t3 - t2, 2)
    out["mcf_verify_s"] = round(t4 - t3, 2)
    out["mcf_verifier_ok"] = report.ok
    out["eligibility_plus_allocation_s"] = round(t3 - t0, 2)
    if args.check_masks:
        out["engine_pairs_equal_numpy_count"] = out["numpy_mask_pairs"] == instance.n_eligible
    out["peak_rss_after_verify_mb"] = round(peak_rss_mb())

    g0 = time.perf_counter()
    greedy = solve_greedy(instance)
    g1 = time.perf_counter()
    progress("greedy", g0)
    out["greedy"] = greedy.summary()
    out["greedy_s"] = round(g1 - g0, 2)
    out["greedy_verifier_ok"] = verify_allocation(instance, greedy).ok
    out["greedy_vs_mcf"] = {
        "objective_gap_pct": round(100 * (1 - greedy.objective / mcf.objective), 2),
        "places_filled_gap_pct": round(100 * (1 - greedy.places_filled / mcf.places_filled), 2),
        "households_reached_gap_pct": round(
            100 * (1 - greedy.households_reached / mcf.households_reached), 2
        ),
    }
    if args.full:
        f0 = time.perf_counter()
        full = solve_min_cost_flow_full(instance, workers=args.workers)
        out["full"] = full.summary()
        out["full_s"] = round(time.perf_counter() - f0, 2)
        out["full_equals_classes"] = full.objective == mcf.objective
        out["full_verifier_ok"] = verify_allocation(instance, full).ok
    sampler.stop.set()
    sampler.join()
    out["peak_rss_mb"] = round(peak_rss_mb())
    out["children_peak_rss_mb"] = round(children_peak_rss_mb())
    out["tree_peak_rss_mb"] = round(sampler.peak_kb / 1024)
    out["load_after"] = os.getloadavg()[0]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
