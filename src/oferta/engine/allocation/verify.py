"""Solver-independent verifier: checks every constraint of an :class:`Allocation` on its instance.

It reads only the instance's input frames (households, slots, eligible pairs with values) and
the assignments' external identifiers — never the network, classes or solver indexes — so a bug
in any solver, or in disaggregation, shows up as a violation. Tests and production call it after
every solve.

Example
-------
>>> import polars as pl
>>> from oferta.engine.allocation.instance import build_instance
>>> from oferta.engine.allocation.solve import solve_greedy
>>> inst = build_instance(
...     households=pl.DataFrame({"household_id": ["a"], "municipality_code": ["05001"],
...                              "deprived_illiteracy": [True]}),
...     offers=pl.DataFrame({"offer_id": ["o"], "indicators": [["illiteracy"]]}),
...     places=pl.DataFrame({"offer_id": ["o"], "territory_code": ["05001"], "places": [1]}),
...     eligible=pl.DataFrame({"household_id": ["a"], "offer_id": ["o"]}))
>>> verify_allocation(inst, solve_greedy(inst)).ok
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from oferta.engine.allocation.instance import AllocationInstance
from oferta.engine.allocation.solve import Allocation

_EXAMPLES = 3


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken constraint: a code, a Spanish message, how many rows break it, examples."""

    code: str
    message_es: str
    count: int
    examples: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """``ok`` when no constraint is broken; ``checks`` lists every check that ran."""

    ok: bool
    violations: tuple[Violation, ...] = ()
    checks: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record (stored with each run)."""
        return {
            "ok": self.ok,
            "checks": list(self.checks),
            "violations": [
                {
                    "code": v.code,
                    "message": v.message_es,
                    "count": v.count,
                    "examples": list(v.examples),
                }
                for v in self.violations
            ],
        }


class AllocationInvalid(AssertionError):
    """Raised by :func:`assert_valid` with the report."""

    def __init__(self, report: VerificationReport) -> None:
        self.report = report
        lines = [
            f"{v.code}: {v.message_es} ({v.count}) {list(v.examples)}" for v in report.violations
        ]
        super().__init__("asignación inválida:\n" + "\n".join(lines))


def verify_allocation(instance: AllocationInstance, allocation: Allocation) -> VerificationReport:
    """Check every constraint; return all violations (not only the first).

    Checks: ``known`` (household and offer exist), ``eligible`` (the pair is eligible),
    ``value`` (the row's value is the instance's value of the pair), ``one_per_offer`` (≤ 1
    place per offer per household), ``k_max`` (≤ K offers per household), ``territory`` (the
    slot exists and is in the household's municipality or department), ``places`` (≤ places per
    offer × territory × period), ``objective`` / ``places_filled`` / ``households_reached``
    (the reported figures equal those recomputed from the rows).
    """
    a = allocation.assignments.select(
        pl.col("household_id").cast(pl.String),
        pl.col("offer_id").cast(pl.String),
        pl.col("territory_code").cast(pl.String),
        pl.col("period").cast(pl.String),
        pl.col("value").cast(pl.Int64),
    )
    violations: list[Violation] = []

    def add(code: str, message: str, bad: pl.DataFrame) -> None:
        if bad.height:
            violations.append(
                Violation(code, message, bad.height, tuple(bad.head(_EXAMPLES).to_dicts()))
            )

    # Only the households and pairs the assignments name are joined (semi-joins first), so the
    # verifier's memory follows the assignments, not the registry.
    hh = instance.households.select("household_id", "hh_idx", "municipality_code").join(
        a.select("household_id").unique(), on="household_id", how="semi"
    )
    offers = instance.offers.select("offer_id", "offer_idx")
    rows = a.join(hh, on="household_id", how="left").join(offers, on="offer_id", how="left")
    add(
        "known",
        "hogar u oferta desconocidos",
        rows.filter(pl.col("hh_idx").is_null() | pl.col("offer_idx").is_null()),
    )
    rows = rows.filter(pl.col("hh_idx").is_not_null() & pl.col("offer_idx").is_not_null())
    named = rows.select(pl.col("hh_idx").cast(pl.UInt32), pl.col("offer_idx").cast(pl.UInt32))
    rows = rows.join(
        instance.pairs.select("hh_idx", "offer_idx", pl.col("value").alias("_value")).join(
            named.unique(), on=["hh_idx", "offer_idx"], how="semi"
        ),
        on=["hh_idx", "offer_idx"],
        how="left",
    )
    add(
        "eligible",
        "el hogar no es elegible para la oferta",
        rows.filter(pl.col("_value").is_null()),
    )
    add(
        "value",
        "el valor no es el valor del par en la instancia",
        rows.filter(pl.col("_value").is_not_null() & (pl.col("_value") != pl.col("value"))),
    )
    add(
        "one_per_offer",
        "más de un cupo de la misma oferta para un hogar",
        a.group_by("household_id", "offer_id").len().filter(pl.col("len") > 1),
    )
    add(
        "k_max",
        f"más de K = {instance.k_max} ofertas para un hogar",
        a.group_by("household_id").len().filter(pl.col("len") > instance.k_max),
    )
    slots = instance.slots.select("offer_id", "territory_code", "period", "places")
    with_slot = rows.join(slots, on=["offer_id", "territory_code", "period"], how="left")
    add(
        "territory",
        "el cupo no existe o no está en el municipio o departamento del hogar",
        with_slot.filter(
            pl.col("places").is_null()
            | (
                (pl.col("territory_code") != pl.col("municipality_code"))
                & (pl.col("territory_code") != pl.col("municipality_code").str.slice(0, 2))
            )
        ),
    )
    add(
        "places",
        "se asignaron más cupos de los disponibles (oferta × territorio × periodo)",
        a.group_by("offer_id", "territory_code", "period")
        .len()
        .join(slots, on=["offer_id", "territory_code", "period"], how="inner")
        .filter(pl.col("len") > pl.col("places")),
    )
    objective = int(a["value"].sum()) if a.height else 0
    figures = {
        "objective": (allocation.objective, objective),
        "places_filled": (allocation.places_filled, a.height),
        "households_reached": (allocation.households_reached, a["household_id"].n_unique()),
    }
    for name, (reported, actual) in figures.items():
        if reported != actual:
            violations.append(
                Violation(
                    name,
                    f"{name} informado {reported} ≠ recalculado {actual}",
                    1,
                    ({"reported": reported, "recomputed": actual},),
                )
            )
    checks = (
        "known",
        "eligible",
        "value",
        "one_per_offer",
        "k_max",
        "territory",
        "places",
        *figures,
    )
    return VerificationReport(ok=not violations, violations=tuple(violations), checks=checks)


def assert_valid(instance: AllocationInstance, allocation: Allocation) -> VerificationReport:
    """Verify and raise :class:`AllocationInvalid` on any violation; return the report."""
    report = verify_allocation(instance, allocation)
    if not report.ok:
        raise AllocationInvalid(report)
    return report
