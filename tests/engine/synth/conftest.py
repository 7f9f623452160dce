"""Shared synthetic registries for the synth tests (generated once per session: they are pure)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from oferta.engine.synth import iter_registry

AS_OF = date(2024, 6, 30)


@pytest.fixture(scope="session")
def small_registry() -> tuple[pl.DataFrame, pl.DataFrame]:
    """About 2,000 households of Chocó, La Guajira and Bogotá, with their drawn targets."""
    parts = list(
        iter_registry(
            households=2000, seed=11, departments=["27", "44", "11"], as_of=AS_OF, with_targets=True
        )
    )
    return pl.concat([h for h, _ in parts]), pl.concat([p for _, p in parts])
