"""The compact, batched pairs (integer household codes, offer Enum) are exactly the true cells
of :func:`evaluate_rules` (which the agreement tests tie to the interpreter)."""

from __future__ import annotations

from typing import Any

import polars as pl
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from oferta.engine.eligibility.compile import compile_rule, evaluate_rules
from oferta.engine.eligibility.pairs import (
    HOUSEHOLD_CODE,
    eligible_household_pairs,
    iter_eligible_household_pairs,
)

from .strategies import household_frames, households, rules

SETTINGS = settings(
    deadline=None,
    phases=[Phase.explicit, Phase.generate, Phase.target],
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def registries(draw: st.DrawFn) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    size = draw(st.integers(min_value=1, max_value=12))
    return [draw(households(f"h{i}")) for i in range(size)]


@st.composite
def mixed_rules(draw: st.DrawFn) -> list[tuple[str, str]]:
    scoped = st.one_of(
        rules("household").map(lambda text: ("household", text)),
        rules("person").map(lambda text: ("person", text)),
    )
    return draw(st.lists(scoped, min_size=1, max_size=5))


def _expected(bulk: pl.DataFrame, rule_ids: list[str]) -> set[tuple[int, str]]:
    return {
        (code, rule_id)
        for rule_id in rule_ids
        for code in bulk.get_column(rule_id).arg_true().to_list()
    }


@settings(SETTINGS, max_examples=150)
@given(registry=registries(), texts=mixed_rules(), batch_size=st.integers(1, 3))
def test_pairs_are_the_true_cells_of_evaluate_rules(
    registry: list[tuple[dict[str, Any], list[dict[str, Any]]]],
    texts: list[tuple[str, str]],
    batch_size: int,
) -> None:
    # given random households and random household and person rules
    compiled = {
        f"r{i}": compile_rule(text, scope="person" if scope == "person" else "household")
        for i, (scope, text) in enumerate(texts)
    }
    households_lf, persons_lf = household_frames(registry)
    # when pairs are produced in batches
    pairs = eligible_household_pairs(compiled, households_lf, persons_lf, batch_size=batch_size)
    # then they are the true cells of the wide evaluation, with compact types and no repeats
    bulk = evaluate_rules(compiled, households_lf, persons_lf).collect()
    assert pairs.schema == pl.Schema(
        {HOUSEHOLD_CODE: pl.UInt32(), "offer_id": pl.Enum(list(compiled))}
    )
    got = list(zip(pairs[HOUSEHOLD_CODE].to_list(), pairs["offer_id"].to_list(), strict=True))
    assert len(got) == len(set(got))
    assert set(got) == _expected(bulk, list(compiled))


def test_pairs_without_rules_or_persons() -> None:
    # given a household rule that uses no column and a registry without persons
    households_lf = pl.LazyFrame({"household_id": ["h1", "h2"]})
    persons_lf = pl.LazyFrame(schema={"household_id": pl.String, "person_id": pl.String})
    compiled = {"t": compile_rule("true"), "n": compile_rule("size(members) == 0")}
    # when pairs are produced
    chunks = list(iter_eligible_household_pairs(compiled, households_lf, persons_lf))
    pairs = pl.concat(chunks)
    # then every household is eligible to both, and no rules give an empty typed frame
    assert pairs.rows() == [(0, "t"), (1, "t"), (0, "n"), (1, "n")]
    empty = eligible_household_pairs({}, households_lf, persons_lf)
    assert empty.height == 0
    assert empty.columns == [HOUSEHOLD_CODE, "offer_id"]
