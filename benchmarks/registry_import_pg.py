"""Benchmark: import a registry of 1 M persons (~330k households) into PostgreSQL.

Target (issue 3): <= 3 minutes wall for the whole import (read -> validate -> diagnose ->
COPY -> merge), with the progress bar of `oferta registry import`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oferta_bench \\
        .venv/bin/python benchmarks/registry_import_pg.py [--persons 1000000] [--format csv]

The database is created if missing and migrated. The registry is generated here with a fast
vectorised generator that follows contract v1 (``--generator synth`` uses the engine's
calibrated generator when it is installed). Generation time is not part of the measure. The
import is run twice: into empty tables, then again over the same households (the update in
place path of a monthly re-import).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

AS_OF = date(2025, 6, 30)
MUNICIPALITIES = (
    "44001", "44078", "44090", "44098", "44110", "44279", "44378", "44420", "44430", "44560",
    "44650", "44847", "44855", "44874", "27001", "27006", "27025", "27050", "27073", "27075",
    "27077", "27099", "27135", "27150", "27160", "27205", "27245", "27250", "27361", "27372",
    "05001", "08001", "11001", "13001", "20001", "23001", "47001", "52001", "70001", "76001",
)  # fmt: skip
FIRST = ("Ana", "Luis", "María", "José", "Rosa", "Carlos", "Sofía", "Juan", "Luz", "Pedro")
LAST = ("Gómez", "Epiayú", "Mosquera", "Pérez", "Rodríguez", "Uriana", "Palacios", "Ipuana")


def quick_registry(persons: int, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A contract-valid registry with exactly ``persons`` persons (mean household size 3)."""
    rng = np.random.default_rng(seed)
    sizes = rng.choice(
        [1, 2, 3, 4, 5, 6, 7], size=persons, p=[0.12, 0.22, 0.27, 0.2, 0.11, 0.05, 0.03]
    )
    ends = np.cumsum(sizes)
    n_households = int(np.searchsorted(ends, persons) + 1)
    sizes = sizes[:n_households]
    sizes[-1] -= int(ends[n_households - 1] - persons)
    hh_ids = np.array([f"H{i:08d}" for i in range(n_households)])
    member_hh = np.repeat(np.arange(n_households), sizes)
    first_in_hh = np.r_[True, member_hh[1:] != member_hh[:-1]]

    zone = rng.choice(["urban", "rural"], n_households, p=[0.7, 0.3])
    households = pl.DataFrame(
        {
            "household_id": hh_ids,
            "municipality_code": rng.choice(MUNICIPALITIES, n_households),
            "zone": zone,
            "sleeping_rooms": rng.integers(1, 4, n_households),
            "water_source": rng.choice(
                ["aqueduct", "well_without_pump", "river_or_spring"],
                n_households,
                p=[0.75, 0.15, 0.1],
            ),
            "toilet": rng.choice(
                ["sewer", "septic_tank", "latrine", "none"], n_households, p=[0.65, 0.2, 0.1, 0.05]
            ),
            "floor_material": rng.choice(
                ["cement_gravel", "earth_sand", "tile_brick"], n_households, p=[0.6, 0.15, 0.25]
            ),
            "wall_material": rng.choice(
                ["brick_block_stone", "bahareque", "rough_wood"], n_households, p=[0.8, 0.1, 0.1]
            ),
            "monthly_income": rng.gamma(2.0, 600_000, n_households).round(0),
            "sisben_group": rng.choice(["A1", "A5", "B2", "C10", "D3"], n_households),
            "programs": rng.choice(["", "renta_ciudadana", "renta_ciudadana;unidos"], n_households),
            "accompaniment": rng.random(n_households) < 0.1,
        }
    )

    age = np.where(first_in_hh, rng.integers(20, 80, persons), rng.integers(0, 90, persons))
    birth = np.datetime64(AS_OF.isoformat()) - (
        age * 365.25 + rng.integers(1, 300, persons)
    ).astype("timedelta64[D]")
    working = age >= 12
    activity = np.where(
        working,
        rng.choice(["employed", "unemployed", "inactive"], persons, p=[0.55, 0.1, 0.35]),
        "inactive",
    )
    need = rng.random(persons) < 0.1
    young = age <= 5
    schooling = np.minimum(np.maximum(age - 6, 0), rng.integers(0, 17, persons))
    persons_frame = pl.DataFrame(
        {
            "person_id": np.array([f"P{i:09d}" for i in range(persons)]),
            "household_id": hh_ids[member_hh],
            "document_type": np.where(age < 7, "RC", np.where(age < 18, "TI", "CC")),
            "document_number": np.array([str(10_000_000 + i) for i in range(persons)]),
            "first_names": rng.choice(FIRST, persons),
            "last_names": np.char.add(
                np.char.add(rng.choice(LAST, persons), " "), rng.choice(LAST, persons)
            ),
            "sex": rng.choice(["female", "male"], persons),
            "birth_date": birth.astype("datetime64[D]"),
            "relationship": np.where(
                first_in_hh, "head", rng.choice(["spouse", "child", "grandchild"], persons)
            ),
            "ethnicity": rng.choice(
                ["none", "indigenous", "afrocolombian"], persons, p=[0.7, 0.15, 0.15]
            ),
            "disability": rng.random(persons) < 0.05,
            "victim": rng.random(persons) < 0.15,
            "can_read_write": (age >= 7) & (rng.random(persons) < 0.93),
            "years_of_schooling": schooling,
            "attends_school": (age >= 5) & (age <= 17) & (rng.random(persons) < 0.9),
            "activity": activity,
            "unemployed_months": np.where(
                activity == "unemployed", rng.integers(0, 24, persons), -1
            ),
            "contributes_to_pension": (activity == "employed") & (rng.random(persons) < 0.35),
            "receives_pension": (age >= 60) & (rng.random(persons) < 0.2),
            "health_insured": rng.random(persons) < 0.93,
            "health_need_last_30_days": need,
            "health_need_attended": np.where(need, rng.random(persons) < 0.8, False),
            "early_childhood_care_adequate": rng.random(persons) < 0.9,
            "early_childhood_nutrition_adequate": rng.random(persons) < 0.9,
        }
    ).with_columns(
        pl.when(pl.col("unemployed_months") >= 0).then(pl.col("unemployed_months")),
        pl.when(pl.col("health_need_last_30_days")).then(pl.col("health_need_attended")),
        *(
            pl.when(pl.lit(young)).then(pl.col(c))
            for c in ("early_childhood_care_adequate", "early_childhood_nutrition_adequate")
        ),
    )
    return households, persons_frame


def synth_registry(persons: int, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    from oferta.engine.synth import generate_registry

    return generate_registry(households=max(persons // 3, 1), seed=seed, as_of=AS_OF)


def _ensure_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--generator", choices=("quick", "synth"), default="quick")
    parser.add_argument("--once", action="store_true", help="skip the re-import run")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Set DATABASE_URL=postgres://… (this benchmark measures PostgreSQL).")
        return 2

    _ensure_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oferta.config.settings.dev")
    # Rejects files go under VAR_DIR/imports: keep the benchmark's out of the project's var/.
    scratch = tempfile.TemporaryDirectory(prefix="oferta-bench-")
    os.environ["OFERTA_VAR_DIR"] = scratch.name
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from oferta.households.models import Household, Person
    from oferta.households.services import registry_import_create, registry_import_run

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    make = synth_registry if args.generator == "synth" else quick_registry
    households, persons = make(args.persons)
    with tempfile.TemporaryDirectory() as tmp:
        hh_path = Path(tmp) / f"hogares.{args.format}"
        pp_path = Path(tmp) / f"personas.{args.format}"
        if args.format == "csv":
            households.write_csv(hh_path)
            persons.write_csv(pp_path)
        else:
            households.write_parquet(hh_path)
            persons.write_parquet(pp_path)
        print(
            f"Generated {households.height:,} households and {persons.height:,} persons "
            f"({args.generator}, {args.format}) in {time.perf_counter() - started:.1f} s"
        )
        runs = ("into empty tables", "re-import (update in place)")
        for label in runs[:1] if args.once else runs:
            if label == runs[0]:
                with connection.cursor() as cursor:
                    tables = f"{Person._meta.db_table}, {Household._meta.db_table}"
                    cursor.execute(f"TRUNCATE {tables} CASCADE")
            registry_import = registry_import_create(
                households_file_name=hh_path.name,
                persons_file_name=pp_path.name,
                as_of=AS_OF,
                actor=None,
            )
            stages: list[tuple[float, int, str]] = []
            t0 = time.perf_counter()
            with Progress(
                TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn()
            ) as bar:
                task = bar.add_task("import", total=100)

                def progress(
                    percent: int, stage: str, bar=bar, task=task, t0=t0, stages=stages
                ) -> None:
                    stages.append((time.perf_counter() - t0, percent, stage))
                    bar.update(task, completed=percent, description=stage[:45].ljust(45))

                result = registry_import_run(
                    registry_import=registry_import,
                    households_path=hh_path,
                    persons_path=pp_path,
                    progress=progress,
                )
            elapsed = time.perf_counter() - t0
            print(f"\n== {label}: {result.status} in {elapsed:.1f} s ({result.error_message})")
            print(
                f"   households {result.households_accepted:,}/{result.households_read:,}, "
                f"persons {result.persons_accepted:,}/{result.persons_read:,}, "
                f"rejected {result.households_rejected + result.persons_rejected:,}"
            )
            # Each progress call starts a stage; merge consecutive calls of the same stage.
            spans: list[list] = []
            for at, _percent, stage in stages:
                if spans and spans[-1][2] == stage:
                    continue
                if spans:
                    spans[-1][1] = at
                spans.append([at, elapsed, stage])
            for start, end, stage in spans:
                print(f"   {start:6.1f} s → {end:6.1f} s  {end - start:5.1f} s  {stage}")
            print(f"   in the database: {Person.objects.count():,} persons")
    return 0


if __name__ == "__main__":
    sys.exit(main())
