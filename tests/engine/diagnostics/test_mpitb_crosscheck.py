"""Cross-check with mpitb (an independent Alkire-Foster implementation) on the same matrix.

Equal where no household scores exactly at k; at exactly 0.33 mpitb's float sum of weights can
fall below 0.33 (see docs/ipm-method.md for the measured figures), ours is exact.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest

from oferta.engine.diagnostics.aggregates import af_aggregates
from oferta.engine.diagnostics.methods import IpmMethod
from oferta.engine.diagnostics.scoring import score_households

from .builders import CNPV, ECV

mpitb_core = pytest.importorskip("mpitb.core")
K = Fraction(33, 100)


def _random_matrix(method: IpmMethod, n: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    data: dict[str, Any] = {
        "household_id": [f"h{i}" for i in range(n)],
        "persons": rng.integers(1, 9, n).astype(np.uint32),
        "department_code": rng.choice(["05", "08", "11", "27", "68"], n),
    }
    for i, code in enumerate(method.codes):
        data[f"deprived_{code}"] = rng.random(n) < 0.08 + 0.03 * (i % 7)
    scored = score_households(pl.LazyFrame(data), method=method, k=K).collect()
    return scored.filter(pl.col("score_units") != 33)  # no household exactly at k


def _mpitb(frame: pl.DataFrame, method: IpmMethod, over: list[str] | None = None) -> pd.DataFrame:
    selected = frame.select(
        pl.col("persons").cast(pl.Float64),
        "department_code",
        *(pl.col(f"deprived_{c}").cast(pl.Int64).alias(c) for c in method.codes),
    )
    df = pd.DataFrame({c: selected[c].to_numpy() for c in selected.columns})  # no pyarrow
    tb = mpitb_core.MPIToolbox()
    dims = [
        ([i.code for i in method.indicators if i.dimension == d.code], d.code)
        for d in method.dimensions
    ]
    tb.set(name="ipm", dimensions=dims)
    tb.svyset(weight="persons")
    return pd.DataFrame(tb.est(df, "ipm", klist=[33], svy=True, over=over))


def _measure(
    results: pd.DataFrame,
    measure: str,
    loa: str = "nat",
    subg: Any = None,
    indicator: str | None = None,
) -> float:
    sel = (results["measure"] == measure) & (results["loa"] == loa)
    if subg is not None:
        sel &= results["subg"] == subg
    if indicator is not None:
        sel &= results["indicator"] == indicator
    values = results.loc[sel, "b"]
    assert len(values) == 1, (measure, loa, subg, indicator)
    return float(values.iloc[0])


@pytest.mark.parametrize("method", [ECV, CNPV], ids=lambda m: m.code)
def test_national_aggregates_equal_mpitb(method: IpmMethod) -> None:
    frame = _random_matrix(method, 4000, seed=7)
    ours = af_aggregates(frame.lazy(), method=method, k=K).row(0, named=True)
    theirs = _mpitb(frame, method)
    for m in ("H", "A", "M0"):
        assert ours[m] == pytest.approx(_measure(theirs, m), abs=1e-12), m
    for c in method.codes:
        assert ours[f"h_{c}"] == pytest.approx(_measure(theirs, "hd", indicator=c), abs=1e-12)
        assert ours[f"hc_{c}"] == pytest.approx(_measure(theirs, "hdk", indicator=c), abs=1e-12)
        assert ours[f"contrib_{c}"] == pytest.approx(
            _measure(theirs, "pctb", indicator=c), abs=1e-12
        )


def test_departmental_aggregates_equal_mpitb() -> None:
    frame = _random_matrix(ECV, 3000, seed=11)
    ours = af_aggregates(frame.lazy(), method=ECV, k=K, by=["department_code"])
    theirs = _mpitb(frame, ECV, over=["department_code"])
    for row in ours.iter_rows(named=True):
        dept = row["department_code"]
        for m in ("H", "A", "M0"):
            got = _measure(theirs, m, loa="department_code", subg=dept)
            assert row[m] == pytest.approx(got, abs=1e-12), (dept, m)
        for c in ECV.codes:
            got = _measure(theirs, "hdk", loa="department_code", subg=dept, indicator=c)
            assert row[f"hc_{c}"] == pytest.approx(got, abs=1e-12)


def exact_033_households(method: IpmMethod) -> pl.DataFrame:
    """Every combination of deprivations scoring exactly 0.33 (one household each)."""
    by_weight: dict[Fraction, list[str]] = {}
    for i in method.indicators:
        by_weight.setdefault(i.weight, []).append(i.code)
    rows = []
    for combo in itertools.product(*(range(len(v) + 1) for v in by_weight.values())):
        if sum(w * n for w, n in zip(by_weight, combo, strict=True)) != K:
            continue
        for picks in itertools.product(
            *(itertools.combinations(v, n) for v, n in zip(by_weight.values(), combo, strict=True))
        ):
            chosen = set(itertools.chain.from_iterable(picks))
            rows.append({f"deprived_{c}": c in chosen for c in method.codes})
    return (
        pl.DataFrame(rows)
        .with_row_index("household_id")
        .with_columns(
            pl.col("household_id").cast(pl.String),
            persons=pl.lit(1, pl.UInt32),
            department_code=pl.lit("05"),
        )
    )


def test_at_exactly_033_ours_is_poor_and_mpitb_misses_some() -> None:
    frame = exact_033_households(ECV)
    ours = af_aggregates(frame.lazy(), method=ECV, k=K).row(0, named=True)
    theirs = _measure(_mpitb(frame, ECV), "H")
    assert frame.height == 840
    assert ours["H"] == 1.0  # every exactly-0.33 household is poor at k = 0.33
    assert theirs < 1.0  # float sums put some of them just below 0.33
