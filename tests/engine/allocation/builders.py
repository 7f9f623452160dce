"""Tiny hand-built allocation frames for tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from oferta.engine.allocation import AllocationInstance, PriorityPolicy, build_instance
from oferta.engine.allocation.policy import DEFAULT_POLICY


def households(rows: Sequence[dict[str, Any]]) -> pl.DataFrame:
    """Households from dicts: ``id``, ``mun`` and ``deprived`` (list of codes), extra columns."""
    codes = sorted({c for r in rows for c in r.get("deprived", [])})
    data: dict[str, list[Any]] = {
        "household_id": [r["id"] for r in rows],
        "municipality_code": [r.get("mun", "05001") for r in rows],
    }
    for c in codes:
        data[f"deprived_{c}"] = [c in r.get("deprived", []) for r in rows]
    extra = sorted({k for r in rows for k in r} - {"id", "mun", "deprived"})
    for k in extra:
        data[k] = [r.get(k) for r in rows]
    return pl.DataFrame(data)


def instance(
    *,
    hh: Sequence[dict[str, Any]],
    offers: dict[str, list[str]],
    places: Sequence[tuple[str, str, int] | tuple[str, str, int, str]],
    eligible: Sequence[tuple[str, str]],
    k_max: int = 3,
    policy: PriorityPolicy = DEFAULT_POLICY,
) -> AllocationInstance:
    return build_instance(
        households=households(hh),
        offers=pl.DataFrame(
            {"offer_id": list(offers), "indicators": list(offers.values())},
            schema={"offer_id": pl.String, "indicators": pl.List(pl.String)},
        ),
        places=pl.DataFrame(
            {
                "offer_id": [p[0] for p in places],
                "territory_code": [p[1] for p in places],
                "places": [p[2] for p in places],
                "period": [p[3] if len(p) > 3 else "2025-2" for p in places],  # type: ignore[misc]
            },
            schema={
                "offer_id": pl.String,
                "territory_code": pl.String,
                "places": pl.Int64,
                "period": pl.String,
            },
        ),
        eligible=pl.DataFrame(
            {"household_id": [e[0] for e in eligible], "offer_id": [e[1] for e in eligible]},
            schema={"household_id": pl.String, "offer_id": pl.String},
        ),
        k_max=k_max,
        policy=policy,
    )


def pairs_of(alloc_frame: pl.DataFrame) -> set[tuple[str, str]]:
    return set(alloc_frame.select("household_id", "offer_id").iter_rows())
