"""Eligible pairs given as the eligibility engine's batches (integer household codes, Enum
offers) build the same instance as one frame of string ids; with ``keep_eligible=False`` only
the assignable pairs are kept, and the verifier and explanations still work."""

from __future__ import annotations

import polars as pl
import pytest

from oferta.engine.allocation import (
    AllocationInstance,
    assert_valid,
    build_instance,
    solve_min_cost_flow,
    verify_allocation,
)
from oferta.engine.allocation.explain import explain_household
from oferta.engine.allocation.solve import Allocation
from oferta.engine.allocation.synthetic import SyntheticInstance, generate, persons_for
from oferta.engine.eligibility.compile import compile_rule
from oferta.engine.eligibility.pairs import iter_eligible_household_pairs

CODES = ["05001", "05002", "05004", "11001", "76001", "76020"]


@pytest.fixture(scope="module")
def synthetic() -> SyntheticInstance:
    return generate(n_households=4_000, n_offers=30, municipalities=CODES, seed=5)


def _batches(s: SyntheticInstance, batch_size: int = 7) -> object:
    rules = {o: compile_rule(r) for o, r in s.offers.select("offer_id", "rule").iter_rows()}
    persons = persons_for(s.households, seed=5)
    return iter_eligible_household_pairs(
        rules, s.households.lazy(), persons.lazy(), batch_size=batch_size
    )


def _build(s: SyntheticInstance, eligible: object, *, keep: bool = True) -> AllocationInstance:
    return build_instance(
        households=s.households,
        offers=s.offers,
        places=s.places,
        eligible=eligible,  # type: ignore[arg-type]
        keep_eligible=keep,
    )


def test_engine_batches_of_the_cel_rules_build_the_numpy_instance(synthetic) -> None:  # type: ignore[no-untyped-def]
    # given the instance from the numpy masks (string ids, one frame)
    reference = _build(synthetic, synthetic.eligible)
    # when the offers' CEL rules are evaluated by the eligibility engine, batch by batch
    got = _build(synthetic, _batches(synthetic))
    # then every pair, value, class and count is the same
    assert got.eligible is not None
    assert reference.eligible is not None
    assert got.eligible.equals(reference.eligible)
    assert got.pairs.equals(reference.pairs)
    assert got.classes.equals(reference.classes)
    assert got.class_arcs.equals(reference.class_arcs)
    assert got.n_eligible == reference.n_eligible == synthetic.eligible.height
    assert "eligibility" in got.timings


def test_without_eligible_pairs_only_the_assignable_are_kept(synthetic) -> None:  # type: ignore[no-untyped-def]
    reference = _build(synthetic, synthetic.eligible)
    got = _build(synthetic, _batches(synthetic), keep=False)
    assert got.eligible is None
    assert got.pairs.equals(reference.pairs)
    assert got.classes.equals(reference.classes)
    assert got.summary() == reference.summary()
    assert got.pairs.height < got.n_eligible


def test_rows_repeated_or_shuffled_within_a_batch_are_dropped(synthetic) -> None:  # type: ignore[no-untyped-def]
    reference = _build(synthetic, synthetic.eligible, keep=False)
    plain = synthetic.eligible.select("household_id", "offer_id")
    offers = plain["offer_id"].cast(pl.String).unique().sort().to_list()
    half = set(offers[: len(offers) // 2])
    first = plain.filter(pl.col("offer_id").cast(pl.String).is_in(half))
    second = plain.filter(~pl.col("offer_id").cast(pl.String).is_in(half))
    noisy = [pl.concat([first, first.head(300)]).sample(fraction=1.0, shuffle=True, seed=2), second]
    got = _build(synthetic, noisy, keep=False)
    assert got.pairs.equals(reference.pairs)
    assert got.n_eligible == reference.n_eligible


def test_an_offer_in_two_batches_is_a_clear_error(synthetic) -> None:  # type: ignore[no-untyped-def]
    plain = synthetic.eligible.select("household_id", "offer_id")
    with pytest.raises(ValueError, match="más de un lote"):
        _build(synthetic, [plain.head(10), plain.slice(5, 10)], keep=False)


def test_verifier_without_eligible_pairs_passes_and_flags_unassignable_pairs(synthetic) -> None:  # type: ignore[no-untyped-def]
    inst = _build(synthetic, _batches(synthetic), keep=False)
    best = solve_min_cost_flow(inst)
    assert_valid(inst, best)
    # an assignment of a pair that is not assignable (here: not eligible at all)
    taken = set(best.assignments.select("household_id", "offer_id").iter_rows())
    hh = best.assignments["household_id"][0]
    row = best.assignments.row(0, named=True)
    other = next(o for o in inst.offers["offer_id"] if (hh, o) not in taken)
    bad = best.assignments.head(1).with_columns(pl.lit(other).alias("offer_id"))
    alloc = Allocation(
        assignments=bad,
        objective=int(row["value"]),
        places_filled=1,
        households_reached=1,
        solver="test",
        status="TEST",
    )
    codes = {v.code for v in verify_allocation(inst, alloc).violations}
    assert "eligible" in codes


def test_explanations_need_the_households_eligible_offers_when_not_kept(synthetic) -> None:  # type: ignore[no-untyped-def]
    kept = _build(synthetic, synthetic.eligible)
    lean = _build(synthetic, synthetic.eligible, keep=False)
    alloc = solve_min_cost_flow(kept)
    hh = synthetic.households["household_id"][7]
    eligible = set(
        synthetic.eligible.filter(pl.col("household_id") == hh)["offer_id"].cast(pl.String)
    )
    with pytest.raises(ValueError, match="eligible_offers"):
        explain_household(lean, alloc, hh)
    assert explain_household(lean, alloc, hh, eligible_offers=eligible).equals(
        explain_household(kept, alloc, hh)
    )
