"""DANE's rules applied to the generated attributes give back the drawn deprivation vectors."""

from __future__ import annotations

import polars as pl

from oferta.engine.diagnostics import METHODS, household_deprivations
from oferta.engine.synth import INDICATORS

from .conftest import AS_OF


def test_diagnostics_recompute_the_drawn_deprivations(small_registry) -> None:
    # given a registry generated with its target vectors
    households, persons = small_registry
    # when the census method is applied to the raw attributes
    computed = household_deprivations(
        households.lazy(), persons.lazy(), method=METHODS["dane-cnpv-2018"], as_of=AS_OF
    ).collect()
    joined = computed.join(households, on="household_id")
    # then every indicator matches the drawn vector (a rare school-years cap is tolerated)
    mismatch = joined.select(
        [(pl.col(f"deprived_{c}") != pl.col(f"target_{c}")).mean().alias(c) for c in INDICATORS]
    ).row(0, named=True)
    assert all(rate <= 0.001 for rate in mismatch.values()), mismatch
    assert sum(mismatch.values()) <= 0.002


def test_every_indicator_occurs_in_both_states(small_registry) -> None:
    households, _ = small_registry
    shares = households.select([pl.col(f"target_{c}").mean().alias(c) for c in INDICATORS])
    for code, share in shares.row(0, named=True).items():
        assert 0.0 < share < 1.0, code
