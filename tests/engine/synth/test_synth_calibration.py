"""Calibration: census IPM of the synthetic registry against DANE's municipal figures (subset)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import polars as pl

from oferta.engine.diagnostics import METHODS, diagnose
from oferta.engine.synth import generate_registry, municipal_targets
from oferta.engine.synth.calibration import cell_table, urban_person_share

from .conftest import AS_OF


def _spread_subset(n: int) -> list[str]:
    """``n`` municipalities evenly spread over the range of the published IPM."""
    ranked = sorted(municipal_targets().values(), key=lambda t: (t.total, t.municipality_code))
    picks = np.linspace(0, len(ranked) - 1, n).round().astype(int)
    return [ranked[i].municipality_code for i in picks]


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    ra = pl.Series(a).rank().to_numpy()
    rb = pl.Series(b).rank().to_numpy()
    return float(np.corrcoef(ra, rb)[0, 1])


def test_census_ipm_of_25_municipalities_matches_the_published_one() -> None:
    # given 1,000 households in each of 25 municipalities spanning the IPM range
    codes = _spread_subset(25)
    households, persons = generate_registry(
        households=0,
        seed=2018,
        as_of=AS_OF,
        households_per_municipality=1000,
        municipalities=codes,
    )
    # when the census IPM is computed by the diagnostics engine
    result = diagnose(
        households.lazy(),
        persons.lazy(),
        method=METHODS["dane-cnpv-2018"],
        k=Fraction(33, 100),
        by=["municipality_code"],
        as_of=AS_OF,
    )
    table = result.aggregates.filter(pl.col("grouping") == "municipality_code")
    synthetic = dict(zip(table["group"], table["H"] * 100, strict=True))
    published = {c: municipal_targets()[c].total * 100 for c in codes}
    a = np.array([synthetic[c] for c in codes])
    b = np.array([published[c] for c in codes])
    # then the incidence is close and ranks the same way
    errors = np.abs(a - b)
    assert errors.mean() <= 3.0, dict(zip(codes, a.round(1), strict=True))
    assert np.median(errors) <= 3.0
    assert _spearman(a, b) >= 0.95


def test_the_cell_table_inverts_the_incidence() -> None:
    table = cell_table("27", "rural")
    for target in (0.2, 0.5, 0.8):
        assert abs(table.incidence(table.solve(target)) - target) < 0.005


def test_urban_share_follows_the_published_zone_figures() -> None:
    targets = municipal_targets()
    assert urban_person_share(targets["05001"]) > 0.9  # Medellín
    assert urban_person_share(targets["97001"]) > 0.3  # Mitú
    assert urban_person_share(targets["94663"]) == 0.0  # no cabecera (área no municipalizada)
