"""Straightforward pandas implementation of DANE's census IPM (``dane-cnpv-2018``), to compare.

Reads the two registry tables as CSV (contract v1 columns; pandas has no Parquet reader here:
pyarrow is not installed), computes each household's 15 deprivations with ordinary pandas
(per-person flags, one ``groupby().agg()``, a merge), the score in hundredths, ``poor`` at
k = 0.33 and the person-weighted H, A and M0 for the nation and per municipality. No
validation: the input is assumed valid. The rules and the edge-case options are those of
``oferta.engine.diagnostics`` with its default options (see ``docs/ipm-method.md``).

Used by ``benchmarks/diagnose_national.py``; alone::

    .venv/bin/python benchmarks/pandas_reference.py --households H.csv --persons P.csv \\
        --as-of 2024-06-30
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

# Weights in hundredths (DANE: 0.10 education, work, health; 0.05 childhood; 0.04 housing).
WEIGHTS = {
    "low_educational_attainment": 10,
    "illiteracy": 10,
    "school_non_attendance": 5,
    "school_lag": 5,
    "early_childhood_barriers": 5,
    "child_labour": 5,
    "high_economic_dependency": 10,
    "informal_work": 10,
    "no_health_insurance": 10,
    "health_access_barriers": 10,
    "no_improved_water": 4,
    "inadequate_sanitation": 4,
    "inadequate_floors": 4,
    "inadequate_walls": 4,
    "critical_overcrowding": 4,
}
K_HUNDREDTHS = 33

URBAN_WATER_OK = {"aqueduct"}
RURAL_WATER_BAD = {
    "well_without_pump",
    "rainwater",
    "river_or_spring",
    "tanker_truck",
    "water_vendor",
    "bottled_water",
}
RURAL_TOILET_BAD = {"no_connection", "bajamar", "none"}
RURAL_WALLS_BAD = {"guadua_cane_plant", "zinc_cloth_cardboard_waste", "none"}
URBAN_WALLS_BAD = RURAL_WALLS_BAD | {"rough_wood"}

_BOOL = {"true": True, "false": False, "1": True, "0": False}


def _bool(s: pd.Series) -> pd.Series:
    """A yes/no column read as text: True/False, missing stays missing (object dtype)."""
    return s.astype("string").str.strip().str.lower().map(_BOOL)


def read(households: Path, persons: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    hh = pd.read_csv(
        households,
        dtype={"household_id": str, "municipality_code": str},
        usecols=[
            "household_id",
            "municipality_code",
            "zone",
            "sleeping_rooms",
            "water_source",
            "toilet",
            "floor_material",
            "wall_material",
        ],
    )
    pp = pd.read_csv(
        persons,
        dtype={"household_id": str},
        usecols=[
            "household_id",
            "birth_date",
            "can_read_write",
            "years_of_schooling",
            "attends_school",
            "activity",
            "contributes_to_pension",
            "receives_pension",
            "health_insured",
            "health_need_last_30_days",
            "health_need_attended",
            "early_childhood_care_adequate",
            "early_childhood_nutrition_adequate",
        ],
    )
    return hh, pp


def household_scores(hh: pd.DataFrame, pp: pd.DataFrame, as_of: date) -> pd.DataFrame:
    birth = pd.to_datetime(pp["birth_date"])
    later = birth.dt.month * 100 + birth.dt.day > as_of.month * 100 + as_of.day
    age = as_of.year - birth.dt.year - later.astype(int)
    years = pp["years_of_schooling"]
    reads = _bool(pp["can_read_write"])
    attends = _bool(pp["attends_school"])
    insured = _bool(pp["health_insured"])
    pension = _bool(pp["receives_pension"])
    contributes = _bool(pp["contributes_to_pension"])
    need = _bool(pp["health_need_last_30_days"])
    employed = pp["activity"] == "employed"
    active = (age >= 12) & pp["activity"].isin(["employed", "unemployed"])
    eligible = active & ~(employed & (age <= 17))
    formal = employed & (contributes.eq(True) | pension.eq(True))
    adult = age >= 15

    flags = pd.DataFrame(
        {
            "household_id": pp["household_id"],
            "n": 1,
            "adults": adult,
            "adult_years": np.where(adult, years, 0),
            "adult_illiterate": adult & reads.eq(False),
            "not_attending": age.between(6, 16) & attends.eq(False),
            "lagging": age.between(7, 17) & (years < age - 6),
            "young_lacking": age.between(0, 5)
            & (
                insured.eq(False)
                | _bool(pp["early_childhood_care_adequate"]).eq(False)
                | _bool(pp["early_childhood_nutrition_adequate"]).eq(False)
            ),
            "child_working": age.between(12, 17) & employed,
            "employed": employed,
            "eligible": eligible,
            "informal": eligible & ~formal,
            "pensioner": pension.eq(True),
            "uninsured": (age >= 6) & insured.eq(False),
            "unattended": need.eq(True) & _bool(pp["health_need_attended"]).eq(False),
        }
    )
    per = flags.groupby("household_id").agg(
        n=("n", "sum"),
        adults=("adults", "sum"),
        adult_years=("adult_years", "sum"),
        adult_illiterate=("adult_illiterate", "any"),
        not_attending=("not_attending", "any"),
        lagging=("lagging", "any"),
        young_lacking=("young_lacking", "any"),
        child_working=("child_working", "any"),
        employed=("employed", "sum"),
        eligible=("eligible", "sum"),
        informal=("informal", "any"),
        all_pensioners=("pensioner", "all"),
        uninsured=("uninsured", "any"),
        unattended=("unattended", "any"),
    )
    h = hh.merge(per, left_on="household_id", right_index=True, how="left")
    n = h["n"].fillna(0)
    urban = h["zone"] == "urban"
    d = pd.DataFrame(index=h.index)
    d["low_educational_attainment"] = (h["adults"] == 0) | (h["adult_years"] < 9 * h["adults"])
    d["illiteracy"] = (h["adults"] == 0) | h["adult_illiterate"].astype(bool)
    d["school_non_attendance"] = h["not_attending"].astype(bool)
    d["school_lag"] = h["lagging"].astype(bool)
    d["early_childhood_barriers"] = h["young_lacking"].astype(bool)
    d["child_labour"] = h["child_working"].astype(bool)
    d["high_economic_dependency"] = (h["employed"] == 0) | (n > 3 * h["employed"])
    d["informal_work"] = np.where(
        h["eligible"] == 0, ~h["all_pensioners"].astype(bool), h["informal"].astype(bool)
    )
    d["no_health_insurance"] = h["uninsured"].astype(bool)
    d["health_access_barriers"] = h["unattended"].astype(bool)
    d["no_improved_water"] = np.where(
        urban, ~h["water_source"].isin(URBAN_WATER_OK), h["water_source"].isin(RURAL_WATER_BAD)
    )
    d["inadequate_sanitation"] = np.where(
        urban, h["toilet"] != "sewer", h["toilet"].isin(RURAL_TOILET_BAD)
    )
    d["inadequate_floors"] = h["floor_material"] == "earth_sand"
    d["inadequate_walls"] = np.where(
        urban, h["wall_material"].isin(URBAN_WALLS_BAD), h["wall_material"].isin(RURAL_WALLS_BAD)
    )
    d["critical_overcrowding"] = np.where(
        urban, n >= 3 * h["sleeping_rooms"], n > 3 * h["sleeping_rooms"]
    )
    score = sum(d[c].astype(int) * w for c, w in WEIGHTS.items())
    return pd.DataFrame(
        {
            "household_id": h["household_id"],
            "municipality_code": h["municipality_code"],
            "persons": n.astype(int),
            "score": score,
            "poor": score >= K_HUNDREDTHS,
        }
    )


def aggregates(scores: pd.DataFrame) -> tuple[dict[str, float], pd.DataFrame]:
    s = scores.assign(
        poor_persons=scores["persons"] * scores["poor"],
        poor_score=scores["persons"] * scores["score"] * scores["poor"],
    )

    def ratios(t: pd.DataFrame | pd.Series) -> Any:
        h = t["poor_persons"] / t["persons"]
        a = t["poor_score"] / (t["poor_persons"] * 100)
        return h, a, h * a

    total = s[["persons", "poor_persons", "poor_score"]].sum()
    h, a, m0 = ratios(total)
    by = s.groupby("municipality_code")[["persons", "poor_persons", "poor_score"]].sum()
    by["H"], by["A"], by["M0"] = ratios(by)
    return {"H": float(h), "A": float(a), "M0": float(m0)}, by


def run(households: Path, persons: Path, as_of: date) -> dict[str, Any]:
    t0 = time.perf_counter()
    hh, pp = read(households, persons)
    t1 = time.perf_counter()
    scores = household_scores(hh, pp, as_of)
    national, by = aggregates(scores)
    t2 = time.perf_counter()
    return {
        "households": len(hh),
        "persons": len(pp),
        "national": national,
        "municipalities": len(by),
        "poor_households": int(scores["poor"].sum()),
        "seconds": {"read": t1 - t0, "compute": t2 - t1, "total": t2 - t0},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=Path, required=True)
    parser.add_argument("--persons", type=Path, required=True)
    parser.add_argument("--as-of", default="2024-06-30")
    args = parser.parse_args()
    print(json.dumps(run(args.households, args.persons, date.fromisoformat(args.as_of)), indent=2))


if __name__ == "__main__":
    main()
