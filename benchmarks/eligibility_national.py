"""Eligibility at national scale: N households / 3N persons in memory, 200 rules.

By default the eligible (household code, offer) pairs are produced with
:func:`~oferta.engine.eligibility.pairs.iter_eligible_household_pairs` (integer codes, rules in
batches) and kept, as the allocation needs them; ``--wide`` also runs the wide evaluators
(``evaluate_rules`` and ``evaluate_person_rules``, string ids), which do not fit at 12 M.

Rules are the demo catalogue's (read from ``src/oferta/offers/demo/data.py`` as text, without
importing the Django app) plus rules built from the templates with random parameters, up to
``--rules``. Reports seconds per step and the peak resident memory.

    .venv/bin/python benchmarks/eligibility_national.py --households 12000000 --rules 200
"""

from __future__ import annotations

import argparse
import ast
import json
import resource
import time
from pathlib import Path

import numpy as np
import polars as pl

from oferta.engine.eligibility import templates as t
from oferta.engine.eligibility.compile import (
    CompiledRule,
    compile_rule,
    evaluate_person_rules,
    evaluate_rules,
)
from oferta.engine.eligibility.pairs import iter_eligible_household_pairs
from oferta.engine.eligibility.variables import (
    ACTIVITIES,
    ETHNICITIES,
    IPM_INDICATORS,
    MONETARY_STATUSES,
    PROGRAMS,
    QUADRANTS,
    RELATIONSHIPS,
    SEXES,
    SISBEN_GROUPS,
    ZONES,
)

DEMO = Path(__file__).resolve().parents[1] / "src" / "oferta" / "offers" / "demo" / "data.py"


def demo_rules() -> list[str]:
    """The ``rule=`` strings of the demo catalogue (parsed, not imported: it is a Django app)."""
    tree = ast.parse(DEMO.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "rule":
            value = ast.literal_eval(node.value)
            if isinstance(value, str) and value.strip():
                found.append(value)
    return found


def _template_rule(rng: np.random.Generator, choice: int, low: int, high: int) -> str:
    municipalities = ["05001", "11001", "27001", "44847", "76109", "52835"]
    match choice:
        case 0:
            return t.sisben_between(SISBEN_GROUPS[low], SISBEN_GROUPS[high])
        case 1:
            return t.all_of(
                t.in_programs(rng.choice(PROGRAMS, 2, replace=False).tolist()),
                t.sisben_between("A1", SISBEN_GROUPS[high]),
            )
        case 2:
            return t.all_of(t.age_band(low, low + 15), t.sisben_between("A1", "C18"))
        case 3:
            return t.has_member_in_age_band(low, low + 10, at_least=1 + low % 2)
        case 4:
            return t.deprived_in(rng.choice(IPM_INDICATORS, 2, replace=False).tolist())
        case 5:
            return t.ethnicity_any_of(["indigenous", "afrocolombian", "raizal"])
        case 6:
            return t.any_of(t.victim(target="person"), t.with_disability(target="person"))
        case 7:
            return t.all_of(t.female_head(), t.deprived_in(["no_health_insurance"]))
        case _:
            return t.in_territory(
                departments=[f"{int(rng.integers(5, 99)):02d}"],
                municipalities=rng.choice(municipalities, 2, replace=False).tolist(),
            )


def template_rules(rng: np.random.Generator, count: int) -> list[str]:
    rules: list[str] = []
    while len(rules) < count:
        low = int(rng.integers(0, 20))
        high = int(rng.integers(low, 51))
        rules.append(_template_rule(rng, int(rng.integers(0, 9)), low, high))
    return rules


def _pick(values: tuple[str, ...] | list[str], index: np.ndarray, enum: bool = True) -> pl.Series:
    """``values[index]`` built by a gather in Polars: the same draws as ``rng.choice(values,
    …)`` without numpy's fixed-width string arrays (1.9 GB for 37 M ethnicities)."""
    source = pl.Series(list(values), dtype=pl.Enum(list(values)) if enum else pl.String)
    return source.gather(pl.Series(index).cast(pl.UInt32))


def build_frames(households: int, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    sizes = rng.choice([1, 2, 3, 4, 5, 6], size=households, p=[0.15, 0.22, 0.25, 0.2, 0.11, 0.07])
    municipalities = np.array([f"{d:02d}{m:03d}" for d in range(5, 100, 4) for m in (1, 45, 120)])
    municipality = _pick(
        municipalities.tolist(), rng.choice(len(municipalities), households), False
    )
    group_index = rng.integers(0, len(SISBEN_GROUPS), households)
    n_programs = rng.choice([0, 1, 2], size=households, p=[0.6, 0.3, 0.1])
    programs = _pick(PROGRAMS, rng.choice(len(PROGRAMS), int(n_programs.sum())), False)
    ids = pl.int_range(households, eager=True).cast(pl.String)
    hh = pl.DataFrame(
        {
            "household_id": ids,
            "municipality_code": municipality,
            "zone": _pick(ZONES, rng.choice(len(ZONES), households)),
            "sisben_group": _pick(SISBEN_GROUPS, group_index, False),
            "sisben_rank": (group_index + 1).astype(np.int64),
            "accompaniment": rng.random(households) < 0.1,
            "income_per_capita": rng.gamma(2.0, 250_000.0, households),
            "monetary_status": _pick(
                MONETARY_STATUSES, rng.choice(len(MONETARY_STATUSES), households)
            ),
            "quadrant": _pick(QUADRANTS, rng.choice(len(QUADRANTS), households)),
            "ipm_score": rng.random(households),
            "ipm_poor": rng.random(households) < 0.2,
            "household_size": sizes.astype(np.int64),
            "female_head": rng.random(households) < 0.4,
            **{f"deprived_{code}": rng.random(households) < 0.2 for code in IPM_INDICATORS},
        }
    ).with_columns(
        pl.col("municipality_code").str.slice(0, 2).alias("department_code"),
        # Programs as lists built in Polars from a flat column (fast at 12 M).
        pl.Series("n_programs", n_programs).alias("n_programs"),
    )
    flat = pl.DataFrame(
        {
            "household_id": np.repeat(np.arange(households), n_programs),
            "program": programs,
        }
    ).with_columns(pl.col("household_id").cast(pl.String))
    lists = flat.group_by("household_id").agg(pl.col("program").alias("programs"))
    hh = (
        hh.join(lists, on="household_id", how="left", maintain_order="left")
        .with_columns(pl.col("programs").fill_null(pl.lit([], dtype=pl.List(pl.String))))
        .drop("n_programs")
    )
    persons_count = int(sizes.sum())
    household_index = np.repeat(np.arange(households), sizes)
    age = rng.integers(0, 95, persons_count).astype(np.int16)
    first = np.concatenate([[True], household_index[1:] != household_index[:-1]])
    pp = pl.DataFrame(
        {
            "household_id": pl.Series(household_index).cast(pl.String),
            "person_id": pl.int_range(persons_count, eager=True).cast(pl.String),
            "age": age,
            "sex": _pick(SEXES, rng.choice(2, persons_count)),
            "relationship": _pick(
                RELATIONSHIPS,
                np.where(
                    first,
                    RELATIONSHIPS.index("head"),
                    rng.choice(len(RELATIONSHIPS) - 1, persons_count) + 1,
                ),
            ),
            "ethnicity": _pick(
                ETHNICITIES,
                rng.choice(len(ETHNICITIES), persons_count, p=[0.85, 0.04, 0.08, 0.01, 0.01, 0.01]),
            ),
            "disability": rng.random(persons_count) < 0.05,
            "victim": rng.random(persons_count) < 0.15,
            "can_read_write": rng.random(persons_count) < 0.92,
            "years_of_schooling": np.minimum(age, rng.integers(0, 17, persons_count)).astype(
                np.int16
            ),
            "attends_school": rng.random(persons_count) < 0.3,
            "activity": _pick(ACTIVITIES, rng.choice(len(ACTIVITIES), persons_count)),
            "unemployed_months": rng.integers(0, 30, persons_count).astype(np.int16),
            "contributes_to_pension": rng.random(persons_count) < 0.3,
            "receives_pension": rng.random(persons_count) < 0.1,
            "health_insured": rng.random(persons_count) < 0.95,
            "is_head": first,
        }
    )
    return hh, pp


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--rules", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--wide", action="store_true", help="also run the wide evaluators")
    parser.add_argument(
        "--stream", action="store_true", help="count the pairs batch by batch, do not keep them"
    )
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    started = time.perf_counter()
    texts = demo_rules()
    texts += template_rules(rng, max(args.rules - len(texts), 0))
    texts = texts[: args.rules]
    rules: dict[str, CompiledRule] = {}
    for i, text in enumerate(texts):
        scope = "person" if "person." in text else "household"
        rules[f"offer_{i:03d}"] = compile_rule(text, scope=scope)
    compile_s = time.perf_counter() - started

    started = time.perf_counter()
    hh, pp = build_frames(args.households, args.seed)
    build_s = time.perf_counter() - started
    frames_rss = peak_rss_gb()

    person_rules = {k: r for k, r in rules.items() if r.scope == "person"}
    counts = sum(len(r.counts) for r in rules.values())
    distinct = len({c.name for r in rules.values() for c in r.counts})
    report: dict[str, object] = {
        "households": hh.height,
        "persons": pp.height,
        "rules": len(rules),
        "person_rules": len(person_rules),
        "member_counts": counts,
        "distinct_member_counts": distinct,
        "batch_size": args.batch_size,
    }
    seconds: dict[str, float] = {"compile": round(compile_s, 2), "build_frames": round(build_s, 2)}

    started = time.perf_counter()
    batches = iter_eligible_household_pairs(rules, hh.lazy(), pp.lazy(), batch_size=args.batch_size)
    if args.stream:
        report["eligible_pairs"] = sum(chunk.height for chunk in batches)
    else:
        pairs = pl.concat(list(batches), rechunk=False)
        report["eligible_pairs"] = pairs.height
        report["eligible_pairs_gb"] = round(pairs.estimated_size() / 1024**3, 2)
    seconds["eligible_pairs"] = round(time.perf_counter() - started, 2)
    report["frames_gb"] = round((hh.estimated_size() + pp.estimated_size()) / 1024**3, 2)
    report["peak_rss_gb_after_pairs"] = round(peak_rss_gb(), 2)

    if args.wide:
        started = time.perf_counter()
        household_level = evaluate_rules(rules, hh.lazy(), pp.lazy()).collect()
        seconds["evaluate_rules_all"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        person_level = evaluate_person_rules(person_rules, hh.lazy(), pp.lazy()).collect()
        seconds["evaluate_person_rules"] = round(time.perf_counter() - started, 2)
        report["eligible_household_offer_pairs"] = household_level.select(
            pl.sum_horizontal(pl.exclude("household_id").cast(pl.Int64)).sum()
        ).item()
        report["eligible_person_offer_pairs"] = person_level.select(
            pl.sum_horizontal(pl.exclude("household_id", "person_id").cast(pl.Int64)).sum()
        ).item()

    report["seconds"] = seconds
    report["peak_rss_gb_after_frames"] = round(frames_rss, 2)
    report["peak_rss_gb"] = round(peak_rss_gb(), 2)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
