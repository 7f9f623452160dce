"""Eligibility at national scale: N households / 3N persons in memory, 200 rules, all at once.

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


def build_frames(households: int, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    sizes = rng.choice([1, 2, 3, 4, 5, 6], size=households, p=[0.15, 0.22, 0.25, 0.2, 0.11, 0.07])
    municipalities = np.array([f"{d:02d}{m:03d}" for d in range(5, 100, 4) for m in (1, 45, 120)])
    municipality = rng.choice(municipalities, households)
    group_index = rng.integers(0, len(SISBEN_GROUPS), households)
    n_programs = rng.choice([0, 1, 2], size=households, p=[0.6, 0.3, 0.1])
    program_values = rng.choice(np.array(PROGRAMS), int(n_programs.sum()))
    programs = pl.Series(program_values.tolist(), dtype=pl.String)
    ids = pl.int_range(households, eager=True).cast(pl.String)
    hh = pl.DataFrame(
        {
            "household_id": ids,
            "municipality_code": municipality,
            "zone": pl.Series(rng.choice(ZONES, households), dtype=pl.Enum(ZONES)),
            "sisben_group": np.array(SISBEN_GROUPS)[group_index],
            "sisben_rank": (group_index + 1).astype(np.int64),
            "accompaniment": rng.random(households) < 0.1,
            "income_per_capita": rng.gamma(2.0, 250_000.0, households),
            "monetary_status": pl.Series(
                rng.choice(MONETARY_STATUSES, households), dtype=pl.Enum(MONETARY_STATUSES)
            ),
            "quadrant": pl.Series(rng.choice(QUADRANTS, households), dtype=pl.Enum(QUADRANTS)),
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
            "sex": pl.Series(rng.choice(SEXES[:2], persons_count), dtype=pl.Enum(SEXES)),
            "relationship": pl.Series(
                np.where(first, "head", rng.choice(RELATIONSHIPS[1:], persons_count)),
                dtype=pl.Enum(RELATIONSHIPS),
            ),
            "ethnicity": pl.Series(
                rng.choice(ETHNICITIES, persons_count, p=[0.85, 0.04, 0.08, 0.01, 0.01, 0.01]),
                dtype=pl.Enum(ETHNICITIES),
            ),
            "disability": rng.random(persons_count) < 0.05,
            "victim": rng.random(persons_count) < 0.15,
            "can_read_write": rng.random(persons_count) < 0.92,
            "years_of_schooling": np.minimum(age, rng.integers(0, 17, persons_count)).astype(
                np.int16
            ),
            "attends_school": rng.random(persons_count) < 0.3,
            "activity": pl.Series(rng.choice(ACTIVITIES, persons_count), dtype=pl.Enum(ACTIVITIES)),
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

    started = time.perf_counter()
    household_level = evaluate_rules(rules, hh.lazy(), pp.lazy()).collect()
    evaluate_s = time.perf_counter() - started

    person_rules = {k: r for k, r in rules.items() if r.scope == "person"}
    started = time.perf_counter()
    person_level = evaluate_person_rules(person_rules, hh.lazy(), pp.lazy()).collect()
    person_s = time.perf_counter() - started

    eligible_households = household_level.select(
        pl.sum_horizontal(pl.exclude("household_id").cast(pl.Int64)).sum()
    ).item()
    eligible_persons = person_level.select(
        pl.sum_horizontal(pl.exclude("household_id", "person_id").cast(pl.Int64)).sum()
    ).item()
    counts = sum(len(r.counts) for r in rules.values())
    distinct = len({c.name for r in rules.values() for c in r.counts})
    print(
        json.dumps(
            {
                "households": hh.height,
                "persons": pp.height,
                "rules": len(rules),
                "person_rules": len(person_rules),
                "member_counts": counts,
                "distinct_member_counts": distinct,
                "seconds": {
                    "compile": round(compile_s, 2),
                    "build_frames": round(build_s, 2),
                    "evaluate_rules_all": round(evaluate_s, 2),
                    "evaluate_person_rules": round(person_s, 2),
                },
                "eligible_household_offer_pairs": eligible_households,
                "eligible_person_offer_pairs": eligible_persons,
                "peak_rss_gb_after_frames": round(frames_rss, 2),
                "peak_rss_gb": round(peak_rss_gb(), 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
