"""National routing benchmark: eligibility + allocation for N households × 200 offers.

Synthetic households and offers (:mod:`oferta.engine.allocation.synthetic`: correlated
deprivations at national rates, rule-like eligibility patterns, municipal places on 1,122 real
DIVIPOLA municipalities plus some department pools) are generated first (not timed). Then, timed:

1. eligibility: the offers' rules evaluated on every household (vectorised numpy masks of the
   same rules the offers state in CEL) into the eligible-pairs frame;
2. instance: pair values under the default priority policy and household classes;
3. min-cost flow on classes (exact), then the verifier;
4. greedy, then the verifier.

Optionally ``--full`` also solves on the full household graph and compares objectives.
Usage::

    .venv/bin/python benchmarks/route_national.py --households 12000000
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
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
from oferta.engine.allocation.synthetic import eligibility_masks, eligible_frame, generate

DIVIPOLA = Path("src/oferta/territories/data/divipola_municipios_mgn2018.csv")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def progress(stage: str, since: float) -> None:
    """One line per stage on stderr (time, peak RSS), so a killed run still tells where."""
    print(
        f"{stage}: {time.perf_counter() - since:.1f} s, peak RSS {peak_rss_mb():.0f} MB",
        file=sys.stderr,
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=12_000_000)
    parser.add_argument("--offers", type=int, default=200)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--full", action="store_true", help="also solve the full household graph")
    args = parser.parse_args()

    codes = pl.read_csv(DIVIPOLA, infer_schema=False).to_series(0).to_list()
    out: dict[str, object] = {"households": args.households, "offers": args.offers, "k": args.k}
    t = time.perf_counter()
    synth = generate(
        n_households=args.households,
        n_offers=args.offers,
        municipalities=codes,
        seed=args.seed,
        compute_eligible=False,
    )
    out["generate_s"] = round(time.perf_counter() - t, 2)
    out["rss_after_generate_mb"] = round(peak_rss_mb())
    progress("generate", t)

    t0 = time.perf_counter()
    eligible = eligible_frame(
        synth.households, synth.patterns, eligibility_masks(synth.households, synth.patterns)
    )
    t1 = time.perf_counter()
    progress("eligibility", t0)
    out["peak_rss_after_eligibility_mb"] = round(peak_rss_mb())
    instance = build_instance(
        households=synth.households,
        offers=synth.offers,
        places=synth.places,
        eligible=eligible,
        k_max=args.k,
    )
    del eligible, synth  # the instance keeps what the solvers need; free the registry
    t2 = time.perf_counter()
    progress("instance", t1)
    out["peak_rss_after_instance_mb"] = round(peak_rss_mb())
    mcf = solve_min_cost_flow(instance)
    t3 = time.perf_counter()
    progress("mcf", t2)
    report = verify_allocation(instance, mcf)
    t4 = time.perf_counter()
    progress("verify", t3)
    out["eligibility_s"] = round(t1 - t0, 2)
    out["instance_s"] = round(t2 - t1, 2)
    out["instance_detail_s"] = {k: round(v, 2) for k, v in instance.timings.items()}
    out["instance"] = instance.summary()
    out["mcf"] = mcf.summary()
    out["mcf_verify_s"] = round(t4 - t3, 2)
    out["mcf_verifier_ok"] = report.ok
    out["eligibility_plus_allocation_s"] = round(t3 - t0, 2)
    out["peak_rss_after_mcf_mb"] = round(peak_rss_mb())

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
        full = solve_min_cost_flow_full(instance)
        out["full"] = full.summary()
        out["full_s"] = round(time.perf_counter() - f0, 2)
        out["full_equals_classes"] = full.objective == mcf.objective
        out["full_verifier_ok"] = verify_allocation(instance, full).ok
    out["peak_rss_mb"] = round(peak_rss_mb())
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
