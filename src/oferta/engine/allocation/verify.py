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

import numpy as np
import numpy.typing as npt
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

    Checks: ``known`` (household and offer exist), ``eligible`` (the pair is eligible: among
    ``instance.eligible`` when the instance kept every eligible pair, else among its assignable
    pairs), ``value`` (the row's value is the instance's value of the pair), ``one_per_offer``
    (≤ 1 place per offer per household), ``k_max`` (≤ K offers per household), ``territory``
    (the slot exists and is in the household's municipality or department), ``places`` (≤
    places per offer × territory × period), ``objective`` / ``places_filled`` /
    ``households_reached`` (the reported figures equal those recomputed from the rows).

    External ids are turned into integer indexes once (households, offers, slots); every
    later check counts or looks up integers, so the verifier's memory follows the assignments.
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

    hh = instance.households.select("household_id", "hh_idx", "municipality_code")
    offers = instance.offers.select("offer_id", "offer_idx")
    slots = instance.slots.select("offer_id", "territory_code", "period", "slot_idx", "places")
    rows = (
        a.join(hh, on="household_id", how="left", maintain_order="left")
        .join(offers, on="offer_id", how="left", maintain_order="left")
        .join(
            slots.drop("places"),
            on=["offer_id", "territory_code", "period"],
            how="left",
            maintain_order="left",
        )
    )
    unknown = rows.filter(pl.col("hh_idx").is_null() | pl.col("offer_idx").is_null())
    add("known", "hogar u oferta desconocidos", unknown.select(a.columns))
    known_hh = rows["hh_idx"].drop_nulls().to_numpy()
    reached = int(
        np.count_nonzero(np.bincount(known_hh, minlength=instance.households.height))
    ) + int(rows.filter(pl.col("hh_idx").is_null())["household_id"].n_unique())
    del known_hh
    rows = rows.filter(pl.col("hh_idx").is_not_null() & pl.col("offer_idx").is_not_null())
    key = _pair_key(rows)
    reference = instance.eligible if instance.eligible is not None else instance.pairs
    ref_key = _pair_key(reference)
    ref_value = reference["value"].to_numpy()
    if len(ref_key) > 1 and not np.all(ref_key[1:] > ref_key[:-1]):
        order = np.argsort(ref_key, kind="stable")
        ref_key, ref_value = ref_key[order], ref_value[order]
    pos = np.minimum(np.searchsorted(ref_key, key), max(len(ref_key) - 1, 0))
    found = ref_key[pos] == key if len(ref_key) else np.zeros(len(key), dtype=bool)
    expected = np.where(found, ref_value[pos] if len(ref_key) else 0, 0)
    del ref_key, ref_value, pos
    add(
        "eligible",
        "el hogar no es elegible para la oferta"
        if instance.eligible is not None
        else "el par no es asignable (no elegible, sin valor o sin cupos a su alcance)",
        rows.filter(pl.Series(~found)).select(a.columns),
    )
    add(
        "value",
        "el valor no es el valor del par en la instancia",
        rows.filter(pl.Series(found & (rows["value"].to_numpy() != expected))).select(a.columns),
    )
    del expected, found
    add(
        "one_per_offer",
        "más de un cupo de la misma oferta para un hogar",
        rows.filter(pl.Series(key).is_duplicated()).select(a.columns),
    )
    del key
    hh_idx = rows["hh_idx"].to_numpy()
    per_household = np.bincount(hh_idx, minlength=instance.households.height)
    add(
        "k_max",
        f"más de K = {instance.k_max} ofertas para un hogar",
        rows.filter(pl.Series(per_household[hh_idx] > instance.k_max)).select(a.columns),
    )
    del per_household, hh_idx
    municipality = rows["municipality_code"]
    add(
        "territory",
        "el cupo no existe o no está en el municipio o departamento del hogar",
        rows.filter(
            rows["slot_idx"].is_null()
            | (
                (rows["territory_code"] != municipality)
                & (rows["territory_code"] != municipality.str.slice(0, 2))
            )
        ).select(a.columns),
    )
    used = np.bincount(
        rows["slot_idx"].drop_nulls().cast(pl.Int64).to_numpy(), minlength=slots.height
    )
    add(
        "places",
        "se asignaron más cupos de los disponibles (oferta × territorio × periodo)",
        slots.with_columns(pl.Series("len", used, dtype=pl.Int64))
        .filter(pl.col("len") > pl.col("places"))
        .select("offer_id", "territory_code", "period", "len", "places"),
    )
    objective = int(a["value"].sum()) if a.height else 0
    figures = {
        "objective": (allocation.objective, objective),
        "places_filled": (allocation.places_filled, a.height),
        "households_reached": (allocation.households_reached, reached),
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


def _pair_key(frame: pl.DataFrame) -> npt.NDArray[np.uint64]:
    """``hh_idx·2³² + offer_idx`` of each row."""
    key: npt.NDArray[np.uint64] = (
        frame["hh_idx"].cast(pl.UInt64).to_numpy() << np.uint64(32)
    ) | frame["offer_idx"].cast(pl.UInt64).to_numpy()
    return key


def assert_valid(instance: AllocationInstance, allocation: Allocation) -> VerificationReport:
    """Verify and raise :class:`AllocationInvalid` on any violation; return the report."""
    report = verify_allocation(instance, allocation)
    if not report.ok:
        raise AllocationInvalid(report)
    return report
