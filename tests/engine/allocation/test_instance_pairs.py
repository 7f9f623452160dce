"""The pairs of an instance do not depend on how the eligible frame is encoded: Enum offer ids,
duplicate rows (several persons of one household), any row order."""

from __future__ import annotations

import polars as pl
import pytest

from oferta.engine.allocation import build_instance
from oferta.engine.allocation.synthetic import generate

CODES = ["05001", "05002", "05004", "11001", "76001", "76020"]


def test_enum_offer_ids_duplicates_and_row_order_give_the_same_instance() -> None:
    # given a small synthetic registry and its eligible pairs as plain strings
    s = generate(n_households=3_000, n_offers=12, municipalities=CODES, seed=3)
    plain = s.eligible.select(
        pl.col("household_id").cast(pl.String), pl.col("offer_id").cast(pl.String)
    )
    reference = build_instance(
        households=s.households, offers=s.offers, places=s.places, eligible=plain
    )
    # when the same pairs come with Enum offer ids, shuffled and with person-level duplicates
    enum = pl.Enum([*sorted(s.offers["offer_id"].to_list()), "unused"])
    noisy = (
        pl.concat([plain, plain.head(500)])
        .with_columns(pl.col("offer_id").cast(enum), pl.lit("p").alias("person_id"))
        .sample(fraction=1.0, shuffle=True, seed=1)
    )
    got = build_instance(households=s.households, offers=s.offers, places=s.places, eligible=noisy)
    # then pairs, values, reachability and classes are identical
    assert reference.eligible is not None
    assert got.eligible is not None
    assert got.pairs.equals(reference.pairs)
    assert got.eligible.equals(reference.eligible)
    assert got.classes.equals(reference.classes)
    assert got.class_arcs.equals(reference.class_arcs)
    assert got.eligible["reachable"].any()
    assert not got.eligible["reachable"].all()
    # and the assignable pairs are exactly the valuable reachable eligible pairs
    assert got.pairs.equals(
        got.eligible.filter(pl.col("reachable") & (pl.col("value") > 0)).drop("reachable")
    )
    assert got.n_eligible == got.eligible.height


def test_an_enum_offer_id_missing_from_the_offers_is_a_clear_error() -> None:
    s = generate(n_households=200, n_offers=3, municipalities=CODES, seed=3)
    enum = pl.Enum([*s.offers["offer_id"].to_list(), "ghost"])
    bad = pl.DataFrame(
        {"household_id": [s.households["household_id"][0]], "offer_id": ["ghost"]},
        schema={"household_id": pl.String, "offer_id": enum},
    )
    with pytest.raises(ValueError, match="ghost"):
        build_instance(households=s.households, offers=s.offers, places=s.places, eligible=bad)
