"""Benchmark of the diagnostics core: indicators -> scores -> municipal aggregates, in memory.

Builds N households (about 3 persons each) of random typed registry data directly with
numpy/Polars (no file reading), then times each stage of :func:`diagnose` and reports the peak
resident memory. Usage::

    .venv/bin/python benchmarks/diagnose_core.py --households 2000000
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from datetime import date

import numpy as np
import polars as pl

from oferta.engine.contracts.registry_v1 import (
    ACTIVITIES,
    ETHNICITIES,
    FLOOR_MATERIALS,
    RELATIONSHIPS,
    SEXES,
    TOILETS,
    WALL_MATERIALS,
    WATER_SOURCES,
)
from oferta.engine.diagnostics import METHODS, diagnose, load_poverty_lines
from oferta.engine.diagnostics.methods import parse_k


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _codes(rng: np.random.Generator, values: tuple[str, ...], n: int) -> pl.Series:
    """Random codes as an Enum column, the type validation delivers."""
    idx = pl.Series(rng.integers(0, len(values), n).astype(np.uint32))
    return pl.Series(list(values), dtype=pl.Enum(values)).gather(idx)


def build(n_households: int, seed: int = 1) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Random households and persons in the typed shape validation delivers."""
    rng = np.random.default_rng(seed)
    municipalities = pl.read_csv(
        "src/oferta/territories/data/divipola_municipios_mgn2018.csv", infer_schema=False
    ).to_series(0)
    sizes = rng.integers(1, 6, n_households)  # 1..5, mean 3
    hh_index = np.arange(n_households)
    households = pl.DataFrame(
        {
            "household_id": pl.Series(hh_index).cast(pl.String),
            "municipality_code": municipalities.gather(
                rng.integers(0, municipalities.len(), n_households)
            ),
            "zone": pl.Series(np.where(rng.random(n_households) < 0.75, "urban", "rural")).cast(
                pl.Enum(["urban", "rural"])
            ),
            "sleeping_rooms": rng.integers(0, 4, n_households).astype(np.int16),
            "water_source": _codes(rng, WATER_SOURCES, n_households),
            "toilet": _codes(rng, TOILETS, n_households),
            "floor_material": _codes(rng, FLOOR_MATERIALS, n_households),
            "wall_material": _codes(rng, WALL_MATERIALS, n_households),
            "monthly_income": rng.gamma(2.0, 700_000, n_households),
        }
    )
    person_hh = np.repeat(hh_index, sizes)
    n = len(person_hh)
    ages = rng.integers(0, 90, n).astype(np.int16)
    persons = pl.DataFrame(
        {
            "person_id": pl.Series(np.arange(n)).cast(pl.String),
            "household_id": pl.Series(person_hh).cast(pl.String),
            "sex": _codes(rng, SEXES[:2], n),
            "age": ages,
            "relationship": _codes(rng, RELATIONSHIPS, n),
            "ethnicity": _codes(rng, ETHNICITIES, n),
            "disability": rng.random(n) < 0.05,
            "victim": rng.random(n) < 0.15,
            "can_read_write": rng.random(n) < 0.93,
            "years_of_schooling": np.clip(ages - 6 - rng.integers(0, 4, n), 0, 16).astype(np.int16),
            "attends_school": rng.random(n) < 0.8,
            "activity": _codes(rng, ACTIVITIES, n),
            "unemployed_months": rng.integers(0, 30, n).astype(np.int16),
            "contributes_to_pension": rng.random(n) < 0.4,
            "receives_pension": rng.random(n) < 0.05,
            "health_insured": rng.random(n) < 0.93,
            "health_need_last_30_days": rng.random(n) < 0.1,
            "health_need_attended": rng.random(n) < 0.9,
            "early_childhood_care_adequate": rng.random(n) < 0.95,
            "early_childhood_nutrition_adequate": rng.random(n) < 0.95,
        }
    )
    return households, persons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=2_000_000)
    parser.add_argument("--method", default="dane-ecv-2018")
    args = parser.parse_args()

    t0 = time.perf_counter()
    households, persons = build(args.households)
    build_s = time.perf_counter() - t0
    rss_after_build = peak_rss_mb()

    stages: dict[str, float] = {}
    t0 = time.perf_counter()
    result = diagnose(
        households.lazy(),
        persons.lazy(),
        method=METHODS[args.method],
        k=parse_k("0.33"),
        lines=load_poverty_lines(),
        lines_year=2024,
        by=["municipality_code"],
        as_of=date(2024, 6, 30),
        on_stage=lambda name, s: stages.__setitem__(name, s),
    )
    total = time.perf_counter() - t0
    exact = result.households.filter(pl.col("score_units") == 33).select(pl.len()).collect().item()
    report = {
        "households": households.height,
        "persons": persons.height,
        "method": args.method,
        "build_seconds": round(build_s, 2),
        "stages_seconds": stages,
        "diagnose_seconds": round(total, 2),
        "peak_rss_mb_after_build": round(rss_after_build),
        "peak_rss_mb": round(peak_rss_mb()),
        "national": result.summary["national"],
        "households_at_exactly_033": exact,
        "polars": pl.__version__,
        "threads": pl.thread_pool_size(),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
