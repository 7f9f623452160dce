"""Priority policy: defaults, storage, and the value of a pair."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oferta.engine.allocation import DEFAULT_POLICY, NEED_CODES, PriorityPolicy, pair_value
from oferta.engine.allocation.instance import build_instance
from oferta.engine.eligibility.variables import IPM_INDICATORS


def test_default_policy_round_trips_through_its_json_dict() -> None:
    # given the default policy stored as a JSON-ready dict
    stored = DEFAULT_POLICY.to_dict()
    # then fractions are exact strings and reading it back gives the same policy
    assert stored["accompaniment"] == "3/10"
    assert PriorityPolicy.from_dict(stored) == DEFAULT_POLICY


def test_policy_rejects_unknown_fields_and_negative_weights() -> None:
    with pytest.raises(ValueError, match="desconocidos"):
        PriorityPolicy.from_dict({"bonus": "1"})
    with pytest.raises(ValueError, match="negativo"):
        PriorityPolicy(victim=Fraction(-1, 10))


def test_value_is_the_ipm_weight_of_the_deprivations_the_offer_closes() -> None:
    # given an offer closing illiteracy (0.10) and no water (0.04), a household deprived in both
    # and in informal work (not closed by the offer)
    value = pair_value(
        DEFAULT_POLICY,
        offer_indicators=["illiteracy", "no_improved_water"],
        deprived=["illiteracy", "no_improved_water", "informal_work"],
    )
    # then the value is 0.14 × 10⁴
    assert value == 1400


def test_value_is_zero_when_the_offer_closes_none_of_the_deprivations() -> None:
    assert pair_value(DEFAULT_POLICY, offer_indicators=["illiteracy"], deprived=["school_lag"]) == 0


def test_priority_bonuses_multiply_the_value() -> None:
    # given a household in accompaniment, extreme poor and IPM poor, victim, with score 1
    value = pair_value(
        DEFAULT_POLICY,
        offer_indicators=["illiteracy"],
        deprived=["illiteracy"],
        monetary_status="extreme_poor",
        ipm_poor=True,
        score=1.0,
        accompaniment=True,
        victim=True,
    )
    # then bonus = 0.3 + 0.3 + 0.2 (double) + 0.3 (intensity, full) + 0.1 = 1.2
    assert value == 1000 * 22 // 10


def test_monetary_terms_count_once_with_their_weight() -> None:
    value = pair_value(
        DEFAULT_POLICY,
        offer_indicators=["monetary_poverty", "extreme_monetary_poverty"],
        deprived=[],
        monetary_status="extreme_poor",
    )
    assert value == 1000 * 13 // 10  # monetary weight 0.1, extreme-poverty bonus 0.3


def test_intensity_counts_whole_bands_above_k() -> None:
    # (0.43 - 0.33) / 0.67 = 0.149 -> one band of 0.1 -> bonus 0.03
    assert DEFAULT_POLICY.intensity_bands(Fraction(43, 100)) == 1
    assert DEFAULT_POLICY.intensity_bands(Fraction(33, 100)) == 0
    assert DEFAULT_POLICY.intensity_bands(Fraction(1)) == 10


_codes = st.lists(st.sampled_from(NEED_CODES), max_size=4, unique=True)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.lists(st.sampled_from(IPM_INDICATORS), max_size=6, unique=True),
            st.sampled_from(["extreme_poor", "poor", "not_poor"]),
            st.integers(0, 100),
            st.lists(st.booleans(), min_size=5, max_size=5),
        ),
        min_size=1,
        max_size=6,
    ),
    offers=st.lists(_codes, min_size=1, max_size=4),
    policy=st.builds(
        PriorityPolicy,
        accompaniment=st.fractions(0, 1, max_denominator=20),
        intensity=st.fractions(0, 1, max_denominator=20),
        victim=st.fractions(0, 1, max_denominator=20),
        monetary_weight=st.fractions(0, 1, max_denominator=20),
        intensity_band=st.sampled_from([Fraction(1, 10), Fraction(1, 4), Fraction(1, 3)]),
        scale=st.sampled_from([100, 10_000]),
    ),
)
def test_bulk_values_equal_the_reference_pair_value(rows, offers, policy) -> None:  # type: ignore[no-untyped-def]
    # given random households and offers
    hh = pl.DataFrame(
        {
            "household_id": [f"h{i}" for i in range(len(rows))],
            "municipality_code": ["05001"] * len(rows),
            **{f"deprived_{c}": [c in r[0] for r in rows] for c in IPM_INDICATORS},
            "monetary_status": [r[1] for r in rows],
            "score": [r[2] / 100 for r in rows],
            **{
                flag: [r[3][j] for r in rows]
                for j, flag in enumerate(
                    ["accompaniment", "ethnic", "victim", "disability", "female_head"]
                )
            },
        }
    )
    of = pl.DataFrame(
        {"offer_id": [f"o{j}" for j in range(len(offers))], "indicators": offers},
        schema={"offer_id": pl.String, "indicators": pl.List(pl.String)},
    )
    el = pl.DataFrame(
        [(f"h{i}", f"o{j}") for i in range(len(rows)) for j in range(len(offers))],
        schema={"household_id": pl.String, "offer_id": pl.String},
        orient="row",
    )
    places = pl.DataFrame({"offer_id": ["o0"], "territory_code": ["05001"], "places": [1]})
    # when the instance computes every value in bulk
    inst = build_instance(households=hh, offers=of, places=places, eligible=el, policy=policy)
    assert inst.eligible is not None
    got = {
        (f"h{h}", f"o{o}"): v
        for h, o, v in inst.eligible.select("hh_idx", "offer_idx", "value").iter_rows()
    }
    # then each equals the reference scalar value
    for i, (deprived, status, score, flags) in enumerate(rows):
        for j, codes in enumerate(offers):
            expected = pair_value(
                policy,
                offer_indicators=codes,
                deprived=deprived,
                monetary_status=status,
                ipm_poor=score >= 33,
                score=score / 100,
                accompaniment=flags[0],
                ethnic=flags[1],
                victim=flags[2],
                disability=flags[3],
                female_head=flags[4],
            )
            assert got[(f"h{i}", f"o{j}")] == expected
    assert np.all(inst.eligible["value"].to_numpy() >= 0)
    assert np.all(inst.pairs["value"].to_numpy() > 0)
