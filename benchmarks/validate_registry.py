"""Benchmark: validate a random registry (default 1 M households, 3 M persons) read from Parquet.

Generates a simple valid registry with NumPy + Polars (typed Parquet, as a producer would
write it), injects about 0.1 % bad rows (unknown codes, out-of-range numbers, duplicate ids,
persons without a household, impossible ages, missing values), then times
``scan_table`` + ``validate_registry`` and prints rows per second.

    .venv/bin/python benchmarks/validate_registry.py [--households 1000000] [--format parquet|csv]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from oferta.engine.contracts import registry_v1 as spec
from oferta.engine.contracts.reading import scan_table
from oferta.engine.contracts.validation import validate_registry

AS_OF = date(2025, 6, 30)


def _codes(rng: np.random.Generator, codes: tuple[str, ...], n: int) -> pl.Series:
    return pl.Series(np.asarray(codes)[rng.integers(0, len(codes), n)])


def _bools(rng: np.random.Generator, n: int, p: float = 0.5) -> np.ndarray:
    return rng.random(n) < p


def generate(n_households: int, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """Return (households, persons, number of injected bad cells)."""
    rng = np.random.default_rng(seed)
    n = n_households
    ids = pl.Series(np.arange(n)).cast(pl.String).str.zfill(9)
    households = pl.DataFrame(
        {
            "household_id": "H" + ids,
            "municipality_code": pl.Series(rng.integers(5001, 99999, n))
            .cast(pl.String)
            .str.zfill(5),
            "zone": _codes(rng, ("urban", "rural"), n),
            "sleeping_rooms": rng.integers(1, 5, n).astype(np.int16),
            "water_source": _codes(rng, spec.WATER_SOURCES, n),
            "toilet": _codes(rng, spec.TOILETS, n),
            "floor_material": _codes(rng, spec.FLOOR_MATERIALS, n),
            "wall_material": _codes(rng, spec.WALL_MATERIALS, n),
            "monthly_income": rng.gamma(2.0, 600_000, n).round(0),
            "sisben_group": _codes(rng, spec.SISBEN_GROUPS, n),
            "programs": _codes(
                rng, ("", "familias_en_accion", "renta_ciudadana;colombia_mayor"), n
            ),
            "accompaniment": _bools(rng, n, 0.1),
        }
    )
    # Household sizes 1..5 averaging 3 persons; the first person is the head.
    sizes = rng.choice([1, 2, 3, 4, 5], n, p=[0.1, 0.2, 0.35, 0.2, 0.15])
    hh_index = np.repeat(np.arange(n), sizes)
    first = np.r_[True, hh_index[1:] != hh_index[:-1]]
    m = len(hh_index)
    ages = np.where(first, rng.integers(18, 90, m), rng.integers(0, 90, m))
    birth = pl.Series(
        np.datetime64(AS_OF.isoformat())
        - (ages * 365.25 + rng.integers(1, 360, m)).astype("timedelta64[D]")
    ).cast(pl.Date)
    activity = np.asarray(spec.ACTIVITIES)[rng.integers(0, 3, m)]
    child = ages <= 5
    needed = _bools(rng, m, 0.2)
    persons = pl.DataFrame(
        {
            "person_id": "P" + pl.Series(np.arange(m)).cast(pl.String).str.zfill(10),
            "household_id": households["household_id"].gather(hh_index),
            "document_type": _codes(rng, ("CC", "TI", "RC"), m),
            "document_number": pl.Series(rng.integers(10**6, 10**10, m)).cast(pl.String),
            "first_names": _codes(rng, ("Ana", "Luis", "María José", "Carlos"), m),
            "last_names": _codes(rng, ("Pérez Gómez", "Rodríguez", "Martínez Ruiz"), m),
            "sex": _codes(rng, ("female", "male"), m),
            "birth_date": birth,
            "relationship": np.where(
                first, "head", np.asarray(spec.RELATIONSHIPS[1:])[rng.integers(0, 6, m)]
            ),
            "ethnicity": _codes(rng, spec.ETHNICITIES, m),
            "disability": _bools(rng, m, 0.07),
            "victim": _bools(rng, m, 0.15),
            "can_read_write": _bools(rng, m, 0.93),
            "years_of_schooling": np.minimum(ages, rng.integers(0, 17, m)).astype(np.int16),
            "attends_school": _bools(rng, m, 0.3),
            "activity": activity,
            "unemployed_months": pl.Series(rng.integers(0, 30, m).astype(np.int16)).scatter(
                np.flatnonzero(activity != "unemployed"), None
            ),
            "contributes_to_pension": _bools(rng, m, 0.3),
            "receives_pension": _bools(rng, m, 0.05),
            "health_insured": _bools(rng, m, 0.95),
            "health_need_last_30_days": needed,
            "health_need_attended": pl.Series(_bools(rng, m, 0.8)).scatter(
                np.flatnonzero(~needed), None
            ),
            "early_childhood_care_adequate": pl.Series(_bools(rng, m, 0.9)).scatter(
                np.flatnonzero(~child), None
            ),
            "early_childhood_nutrition_adequate": pl.Series(_bools(rng, m, 0.9)).scatter(
                np.flatnonzero(~child), None
            ),
        }
    )
    return _inject(rng, households, persons)


def _inject(
    rng: np.random.Generator, households: pl.DataFrame, persons: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """Break about 0.1 % of rows in each table, a few ways each."""
    bad_h = rng.choice(households.height, max(households.height // 1000, 4), replace=False)
    bad_p = rng.choice(persons.height, max(persons.height // 1000, 5), replace=False)
    h4, p5 = np.array_split(bad_h, 4), np.array_split(bad_p, 5)
    households = households.with_columns(
        households["zone"].scatter(h4[0], "mountain"),
        households["sleeping_rooms"].scatter(h4[1], 99),
        households["municipality_code"].scatter(h4[2], "5001"),
        # Duplicate ids: copy the previous row's id.
        households["household_id"].scatter(
            h4[3], households["household_id"].gather(np.maximum(h4[3] - 1, 0))
        ),
    )
    persons = persons.with_columns(
        persons["sex"].scatter(p5[0], "x"),
        persons["years_of_schooling"].scatter(p5[1], 40),
        persons["household_id"].scatter(p5[2], "NOPE"),
        persons["birth_date"].scatter(p5[3], date(2030, 1, 1)),
        persons["health_insured"].scatter(p5[4], None),
    )
    return households, persons, len(bad_h) + len(bad_p)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best is reported")
    args = parser.parse_args()

    t0 = time.perf_counter()
    households, persons, injected = generate(args.households)
    print(
        f"generated {households.height:,} households, {persons.height:,} persons, "
        f"{injected:,} bad rows injected in {time.perf_counter() - t0:.1f} s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        hh_path = Path(tmp) / f"households.{args.format}"
        pp_path = Path(tmp) / f"persons.{args.format}"
        if args.format == "parquet":
            households.write_parquet(hh_path)
            persons.write_parquet(pp_path)
        else:
            households.write_csv(hh_path, separator=";")
            persons.write_csv(pp_path, separator=";")
        del households, persons

        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            result = validate_registry(
                scan_table(hh_path, "households"),
                scan_table(pp_path, "persons"),
                as_of=AS_OF,
                households_name=hh_path.name,
                persons_name=pp_path.name,
            )
            times.append(time.perf_counter() - t0)
        elapsed = min(times)

    rows = sum(c.read for c in result.counts.values())
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for table, c in result.counts.items():
        print(f"{table:>10}: read {c.read:,} accepted {c.accepted:,} rejected {c.rejected:,}")
    print(f"rejects: {result.rejects.height:,} problems; warnings: {result.warnings.height:,}")
    print(
        f"validated {rows:,} rows ({args.format}) in {elapsed:.2f} s: "
        f"{rows / elapsed:,.0f} rows/s (best of {len(times)}: "
        f"{', '.join(f'{t:.2f}' for t in times)} s); peak RSS {peak_mib:,.0f} MiB (whole process)"
    )


if __name__ == "__main__":
    main()
