"""Explanations: why each other offer was not assigned; unfilled places; unmet need."""

from __future__ import annotations

from oferta.engine.allocation import solve_min_cost_flow
from oferta.engine.allocation.explain import explain_household, unfilled_places, unmet_need

from .builders import instance

# a: deprived in illiteracy and water; offers: lit (1 place), lit2 (0 places here), wat, sch
INST = instance(
    hh=[
        {"id": "a", "deprived": ["illiteracy", "no_improved_water"], "accompaniment": True},
        {"id": "b", "deprived": ["illiteracy"]},
        {"id": "c", "mun": "08001", "deprived": ["illiteracy", "school_lag"]},
    ],
    offers={
        "lit": ["illiteracy"],
        "lit2": ["illiteracy"],
        "wat": ["no_improved_water"],
        "sch": ["school_lag"],
    },
    places=[("lit", "05001", 1), ("lit2", "08001", 1), ("wat", "05001", 5), ("sch", "08001", 1)],
    eligible=[("a", "lit"), ("a", "wat"), ("a", "sch"), ("b", "lit"), ("b", "lit2"), ("c", "sch")],
    k_max=2,
)
ALLOC = solve_min_cost_flow(INST)


def reasons(household: str) -> dict[str, str]:
    frame = explain_household(
        INST, ALLOC, household, ineligibility={"lit2": "no cumple: edad 30 > 28"}
    )
    return dict(zip(frame["offer_id"], frame["reason"], strict=True))


def test_ineligibility_and_no_value_come_before_the_k_limit() -> None:
    # given a got lit and wat (K = 2): the others are explained by their first reason
    assert reasons("a") == {"lit2": "not_eligible", "sch": "no_value"}


def test_places_taken_by_higher_value_households_read_sin_cupos() -> None:
    # given b lost lit to a (accompaniment bonus) and lit2 has places only in 08001
    got = reasons("b")
    assert got["lit"] == "no_places"
    assert got["lit2"] == "no_places"
    assert got["wat"] == "not_eligible"


def test_tracer_text_is_used_for_ineligible_offers() -> None:
    frame = explain_household(
        INST,
        ALLOC,
        "c",
        ineligibility=lambda h, o: "no cumple: edad 30 > 28" if o == "lit" else None,
    )
    texts = dict(zip(frame["offer_id"], frame["text_es"], strict=True))
    assert texts["lit"] == "no cumple: edad 30 > 28"
    assert texts["wat"] == "no cumple las condiciones de la oferta"


def test_k_limit_is_reported_when_the_household_is_full() -> None:
    inst = instance(
        hh=[{"id": "a", "deprived": ["illiteracy"]}],
        offers={"x": ["illiteracy"], "y": ["illiteracy"]},
        places=[("x", "05001", 1), ("y", "05001", 1)],
        eligible=[("a", "x"), ("a", "y")],
        k_max=1,
    )
    alloc = solve_min_cost_flow(inst)
    frame = explain_household(inst, alloc, "a")
    assert frame["reason"].to_list() == ["k_limit"]
    assert frame["text_es"].to_list() == ["límite de 1 ofertas"]


def test_unfilled_places_are_listed_per_offer_and_territory() -> None:
    rows = unfilled_places(INST, ALLOC).select("offer_id", "territory_code", "unfilled").rows()
    assert ("wat", "05001", 4) in rows
    assert ("lit2", "08001", 1) in rows


def test_unmet_need_counts_deprived_households_no_assigned_offer_covers() -> None:
    frame = unmet_need(INST, ALLOC)
    row = frame.filter(
        (frame["indicator"] == "illiteracy") & (frame["municipality_code"] == "05001")
    ).row(0, named=True)
    # a and b are deprived in illiteracy in 05001; only a got lit
    assert (row["households_in_need"], row["covered"], row["unmet"]) == (2, 1, 1)
