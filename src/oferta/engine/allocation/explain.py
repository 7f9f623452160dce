"""Why a household did not get an offer; unfilled places; unmet need per indicator × municipality.

Reason codes (checked in this order, the first that holds is reported):

``not_eligible``   the household does not meet the offer's rule (text from the eligibility tracer)
``no_value``       "no atiende sus privaciones": the offer closes none of its needs (value 0)
``k_limit``        "límite de K ofertas": the household already has K offers
``no_places``      "sin cupos en el municipio": no places of the offer in its municipality or
                   department, or all of them went to households of higher value
``not_chosen``     none of the above (cannot happen in an optimal solution: the household could
                   take the place and raise the objective; kept for heuristics)

Example
-------
>>> import polars as pl
>>> from oferta.engine.allocation.instance import build_instance
>>> from oferta.engine.allocation.solve import solve_min_cost_flow
>>> inst = build_instance(
...     households=pl.DataFrame({"household_id": ["a", "b"], "municipality_code": ["05001"] * 2,
...                              "deprived_illiteracy": [True, False]}),
...     offers=pl.DataFrame({"offer_id": ["o", "p"], "indicators": [["illiteracy"]] * 2}),
...     places=pl.DataFrame({"offer_id": ["o"], "territory_code": ["05001"], "places": [1]}),
...     eligible=pl.DataFrame({"household_id": ["a", "a", "b"], "offer_id": ["o", "p", "o"]}))
>>> alloc = solve_min_cost_flow(inst)
>>> explain_household(inst, alloc, "a").select("offer_id", "reason").rows()
[('p', 'no_places')]
>>> explain_household(inst, alloc, "b").select("offer_id", "reason").rows()
[('o', 'no_value'), ('p', 'not_eligible')]
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Final

import numpy as np
import polars as pl

from oferta.engine.allocation.instance import NEED_CODES, AllocationInstance, pair_values
from oferta.engine.allocation.solve import Allocation

REASONS_ES: Final[dict[str, str]] = {
    "not_eligible": "no cumple las condiciones de la oferta",
    "no_value": "no atiende sus privaciones",
    "k_limit": "límite de {k} ofertas",
    "no_places": "sin cupos en el municipio",
    "not_chosen": "no asignada por la optimización",
}

IneligibilityReasons = Mapping[str, str] | Callable[[str, str], str | None]
"""Eligibility tracer output: ``{offer_id: "no cumple: edad 30 > 28"}`` for the household, or a
callable ``(household_id, offer_id) -> text``."""


def explain_household(
    instance: AllocationInstance,
    allocation: Allocation,
    household_id: str,
    *,
    ineligibility: IneligibilityReasons | None = None,
    eligible_offers: Collection[str] | None = None,
) -> pl.DataFrame:
    """For each offer the household did not get: ``offer_id``, ``reason`` (code), ``text_es``.

    Parameters
    ----------
    ineligibility
        Reasons from the eligibility tracer for the offers the household is not eligible for;
        without it, the generic text of ``not_eligible`` is used.
    eligible_offers
        The offers the household is eligible for (e.g. its rules evaluated for this one
        household by :mod:`oferta.engine.eligibility.interpret`). Required when the instance
        was built with ``keep_eligible=False``, which keeps only the assignable pairs;
        otherwise read from ``instance.eligible``.
    """
    row = instance.households.filter(pl.col("household_id") == household_id)
    if row.height == 0:
        raise KeyError(f"hogar desconocido: {household_id!r}")
    hh_idx = int(row["hh_idx"][0])
    municipality = str(row["municipality_code"][0])
    assigned = allocation.assignments.filter(pl.col("household_id") == household_id)
    taken = set(assigned["offer_id"].to_list())
    at_k = len(taken) >= instance.k_max
    if eligible_offers is not None:
        eligible = set(eligible_offers)
    elif instance.eligible is not None:
        idx = instance.eligible.filter(pl.col("hh_idx") == hh_idx)["offer_idx"]
        eligible = set(instance.offers["offer_id"].gather(idx).to_list())
    else:
        raise ValueError(
            "la instancia no guardó los pares elegibles (keep_eligible=False): pase eligible_offers"
        )
    # Values are recomputed for this household (the instance keeps only positive ones).
    values = pair_values(
        np.repeat(row["need_mask"].to_numpy(), instance.offers.height),
        instance.offers["need_mask"].to_numpy(),
        np.repeat(row["multiplier"].to_numpy(), instance.offers.height),
        instance.policy,
    )
    left = _places_left(instance, allocation)
    open_here = set(
        left.filter(
            (pl.col("left") > 0) & pl.col("territory_code").is_in([municipality, municipality[:2]])
        )["offer_id"].to_list()
    )
    out: list[tuple[str, str, str]] = []
    for offer_idx, offer_id in zip(
        instance.offers["offer_idx"].to_list(), instance.offers["offer_id"].to_list(), strict=True
    ):
        if offer_id in taken:
            continue
        if offer_id not in eligible:
            code = "not_eligible"
            text = _ineligible_text(ineligibility, household_id, offer_id)
        elif values[offer_idx] == 0:
            code, text = "no_value", REASONS_ES["no_value"]
        elif at_k:
            code, text = "k_limit", REASONS_ES["k_limit"].format(k=instance.k_max)
        elif offer_id not in open_here:
            code, text = "no_places", REASONS_ES["no_places"]
        else:
            code, text = "not_chosen", REASONS_ES["not_chosen"]
        out.append((offer_id, code, text))
    return pl.DataFrame(
        out,
        schema={"offer_id": pl.String, "reason": pl.String, "text_es": pl.String},
        orient="row",
    )


def _ineligible_text(reasons: IneligibilityReasons | None, household_id: str, offer_id: str) -> str:
    text: str | None = None
    if callable(reasons):
        text = reasons(household_id, offer_id)
    elif reasons is not None:
        text = reasons.get(offer_id)
    return text or REASONS_ES["not_eligible"]


def _places_left(instance: AllocationInstance, allocation: Allocation) -> pl.DataFrame:
    used = allocation.assignments.group_by("offer_id", "territory_code", "period").agg(
        pl.len().alias("filled")
    )
    return (
        instance.slots.select("offer_id", "territory_code", "period", "places")
        .join(used, on=["offer_id", "territory_code", "period"], how="left")
        .with_columns(pl.col("filled").fill_null(0).cast(pl.Int64))
        .with_columns((pl.col("places") - pl.col("filled")).alias("left"))
    )


def unfilled_places(instance: AllocationInstance, allocation: Allocation) -> pl.DataFrame:
    """Places per offer × territory × period: ``places``, ``filled``, ``unfilled`` (> 0 only).

    Unfilled places mean no eligible household with need (value > 0) was left in reach.
    """
    return (
        _places_left(instance, allocation)
        .rename({"left": "unfilled"})
        .filter(pl.col("unfilled") > 0)
        .sort("offer_id", "territory_code", "period")
    )


def unmet_need(instance: AllocationInstance, allocation: Allocation) -> pl.DataFrame:
    """Households with a need (IPM deprivation or monetary term) that no assigned offer closes.

    Returns ``indicator``, ``municipality_code``, ``households_in_need``, ``covered``,
    ``unmet`` (one row per indicator × municipality with at least one household in need).
    """
    hh = instance.households.select("hh_idx", "household_id", "municipality_code", "need_mask")
    covered_mask = (
        allocation.assignments.select("household_id", "offer_id")
        .join(instance.offers.select("offer_id", "need_mask"), on="offer_id")
        .group_by("household_id")
        .agg(pl.col("need_mask").bitwise_or().alias("covered_mask"))
    )
    hh = hh.join(covered_mask, on="household_id", how="left").with_columns(
        pl.col("covered_mask").fill_null(0).cast(pl.UInt32)
    )
    need = hh["need_mask"].to_numpy()
    cov = hh["covered_mask"].to_numpy()
    frames = []
    for bit, code in enumerate(NEED_CODES):
        b = np.uint32(1 << bit)
        has = (need & b) != 0
        if not has.any():
            continue
        frames.append(
            pl.DataFrame(
                {
                    "municipality_code": hh["municipality_code"].filter(pl.Series(has)),
                    "covered": pl.Series((cov[has] & b) != 0),
                }
            )
            .group_by("municipality_code")
            .agg(
                pl.len().cast(pl.Int64).alias("households_in_need"),
                pl.col("covered").sum().cast(pl.Int64),
            )
            .with_columns(pl.lit(code).alias("indicator"))
        )
    schema = {
        "indicator": pl.String,
        "municipality_code": pl.String,
        "households_in_need": pl.Int64,
        "covered": pl.Int64,
        "unmet": pl.Int64,
    }
    if not frames:
        return pl.DataFrame(schema=schema)
    return (
        pl.concat(frames)
        .with_columns((pl.col("households_in_need") - pl.col("covered")).alias("unmet"))
        .select(list(schema))
        .sort("indicator", "municipality_code")
    )
