"""The allocation instance: households, offers, places, eligible pairs with values, and classes.

Places (cupos) are rows ``(offer_id, territory_code, period, places)``. ``territory_code`` is a
municipality (5-digit DIVIPOLA) or a department (2-digit): a department's places are a pool shared
by all its municipalities (in the network, each municipality's node for the offer draws from the
department node, see :mod:`.solve`). A household can take a place of an offer in its
municipality or its department, in any period listed: callers pass the slots of the run's period.

**Household classes.** Households of one municipality with the same list of ``(offer, value)``
pairs (eligible, valuable, with places reachable) are interchangeable in the optimisation: they
form one class of ``n`` households. Classes are found with a Polars ``group_by`` on the
municipality and the sorted ``(offer << 32 | value)`` list itself (Polars hashes the list and
compares equal lists, so two different households are never merged by a hash collision).

Example
-------
>>> import polars as pl
>>> hh = pl.DataFrame({"household_id": ["a", "b"], "municipality_code": ["05001", "05001"],
...                    "deprived_informal_work": [True, True]})
>>> offers = pl.DataFrame({"offer_id": ["o1"], "indicators": [["informal_work"]]})
>>> places = pl.DataFrame({"offer_id": ["o1"], "territory_code": ["05001"], "places": [1]})
>>> pairs = pl.DataFrame({"household_id": ["a", "b"], "offer_id": ["o1", "o1"]})
>>> inst = build_instance(households=hh, offers=offers, places=places, eligible=pairs)
>>> inst.classes.select("municipality_code", "n").rows()
[('05001', 2)]
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

from oferta.engine.allocation.policy import (
    DEFAULT_POLICY,
    MONETARY_TERMS,
    SCORE_UNITS,
    PriorityPolicy,
)
from oferta.engine.eligibility.variables import IPM_INDICATORS

DEFAULT_K: Final[int] = 3
"""Default maximum number of offers per household per run."""

NEED_CODES: Final[tuple[str, ...]] = (*IPM_INDICATORS, *MONETARY_TERMS)
"""Bit order of the need masks: bit ``i`` of a household's ``need_mask`` is ``NEED_CODES[i]``."""

_SHIFT: Final[int] = 1 << 32  # class keys pack (offer_idx, value) as offer_idx·2³² + value

Frame = pl.DataFrame | pl.LazyFrame
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class AllocationInstance:
    """An allocation problem, in integer-indexed frames (all sorted, all deterministic).

    Attributes
    ----------
    households
        ``hh_idx`` (row number), ``household_id``, ``municipality_code``, ``department_code``,
        ``need_mask`` (bits of ``NEED_CODES`` the household has), ``multiplier`` (``1 + bonus``
        in units of ``1/policy.bonus_denominator()``), ``class_id`` (null when the household has
        no valuable pair with reachable places).
    offers
        ``offer_idx``, ``offer_id``, ``indicators`` (list), ``need_mask``.
    slots
        ``slot_idx``, ``offer_idx``, ``offer_id``, ``territory_code``, ``period``, ``places``.
    pairs
        Eligible household–offer pairs (persons collapsed to their household): ``hh_idx``,
        ``offer_idx``, ``value`` (≥ 0), ``reachable`` (a slot exists in the household's
        municipality or department).
    classes
        ``class_id``, ``municipality_code``, ``n`` (households), ``first_hh`` (smallest
        ``hh_idx``).
    class_arcs
        ``class_id``, ``offer_idx``, ``value`` (> 0): the valuable reachable pairs of each class.
    k_max
        Maximum offers per household.
    policy
        The priority policy that produced the values.
    timings
        Seconds spent building (``values``, ``classes``).
    """

    households: pl.DataFrame
    offers: pl.DataFrame
    slots: pl.DataFrame
    pairs: pl.DataFrame
    classes: pl.DataFrame
    class_arcs: pl.DataFrame
    k_max: int
    policy: PriorityPolicy
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def n_households(self) -> int:
        return self.households.height

    def summary(self) -> dict[str, int]:
        """Sizes of the instance (for run records and benchmarks)."""
        return {
            "households": self.households.height,
            "offers": self.offers.height,
            "slots": self.slots.height,
            "places": int(self.slots["places"].sum()),
            "eligible_pairs": self.pairs.height,
            "valuable_reachable_pairs": self.pairs.filter(
                pl.col("reachable") & (pl.col("value") > 0)
            ).height,
            "classes": self.classes.height,
            "class_arcs": self.class_arcs.height,
        }


def _collect(frame: Frame) -> pl.DataFrame:
    return frame.collect() if isinstance(frame, pl.LazyFrame) else frame


def _require(frame: pl.DataFrame, name: str, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: faltan las columnas {missing}")


def _need_masks(households: pl.DataFrame) -> pl.Expr:
    """Bit mask of the needs (IPM deprivations and monetary terms) of each household."""
    terms: list[pl.Expr] = []
    for bit, code in enumerate(IPM_INDICATORS):
        col = f"deprived_{code}"
        if col in households.columns:
            terms.append(pl.col(col).fill_null(False).cast(pl.UInt32) * (1 << bit))
    status = (
        pl.col("monetary_status").cast(pl.String)
        if "monetary_status" in households.columns
        else pl.lit(None, pl.String)
    )
    base = len(IPM_INDICATORS)
    terms.append((status == "extreme_poor").fill_null(False).cast(pl.UInt32) * (1 << base))
    terms.append(
        status.is_in(["extreme_poor", "poor"]).fill_null(False).cast(pl.UInt32) * (1 << (base + 1))
    )
    return pl.sum_horizontal(terms).cast(pl.UInt32)


def _multiplier(households: pl.DataFrame, policy: PriorityPolicy) -> pl.Expr:
    """``(1 + bonus) · bonus_denominator`` per household, in integers."""
    d = policy.bonus_denominator()

    def units(w: Fraction) -> int:
        return int(w * d)

    def flag(name: str) -> pl.Expr:
        if name in households.columns:
            return pl.col(name).fill_null(False).cast(pl.Int64)
        return pl.lit(0, pl.Int64)

    status = (
        pl.col("monetary_status").cast(pl.String)
        if "monetary_status" in households.columns
        else pl.lit(None, pl.String)
    )
    extreme = (status == "extreme_poor").fill_null(False).cast(pl.Int64)
    monetary_poor = status.is_in(["extreme_poor", "poor"]).fill_null(False)
    score_micro = (
        (pl.col("score").cast(pl.Float64) * SCORE_UNITS).round(0).cast(pl.Int64)
        if "score" in households.columns
        else pl.lit(0, pl.Int64)
    )
    k = policy.k
    if "poor" in households.columns:
        ipm_poor = pl.col("poor").fill_null(False)
    else:
        ipm_poor = score_micro * k.denominator >= k.numerator * SCORE_UNITS
    double = (monetary_poor & ipm_poor).cast(pl.Int64)
    # bands = floor(((s - k)/(1 - k)) / band) for s > k, with s = score_micro / SCORE_UNITS:
    b = policy.intensity_band
    num = (score_micro * k.denominator - k.numerator * SCORE_UNITS) * b.denominator
    den = (k.denominator - k.numerator) * SCORE_UNITS * b.numerator
    max_bands = int(1 / b)
    bands = pl.when(num > 0).then(num // den).otherwise(0).clip(0, max_bands)
    bonus = (
        flag("accompaniment") * units(policy.accompaniment)
        + extreme * units(policy.extreme_monetary_poverty)
        + double * units(policy.double_condition)
        + bands * units(policy.intensity * policy.intensity_band)
        + flag("ethnic") * units(policy.ethnic)
        + flag("victim") * units(policy.victim)
        + flag("disability") * units(policy.disability)
        + flag("female_head") * units(policy.female_head)
    )
    return (bonus + d).cast(pl.Int64)


def pair_values(
    need_mask: npt.NDArray[np.uint32],
    offer_mask: npt.NDArray[np.uint32],
    multiplier: I64,
    policy: PriorityPolicy,
) -> I64:
    """Bulk :func:`~oferta.engine.allocation.policy.pair_value` on aligned arrays of pairs."""
    d_base = policy.base_denominator()
    weights = policy.indicator_weights()
    common = need_mask & offer_mask
    base = np.zeros(len(common), dtype=np.int64)
    for bit, code in enumerate(IPM_INDICATORS):
        if code in weights:
            w = int(weights[code] * d_base)
            base += ((common >> np.uint32(bit)) & np.uint32(1)).astype(np.int64) * w
    monetary_bits = np.uint32(0b11 << len(IPM_INDICATORS))
    base += (common & monetary_bits != 0).astype(np.int64) * int(policy.monetary_weight * d_base)
    den = d_base * policy.bonus_denominator()
    num = policy.scale * base * multiplier
    return (2 * num + den) // (2 * den)


def _offer_mask(codes: list[str], offer_id: str) -> int:
    mask = 0
    for c in codes:
        if c not in NEED_CODES:
            raise ValueError(
                f"oferta {offer_id}: indicador desconocido {c!r} "
                f"(use un código IPM o {MONETARY_TERMS})"
            )
        mask |= 1 << NEED_CODES.index(c)
    return mask


_CHUNK: Final[int] = 1 << 22  # pairs per chunk when computing values (bounds temporaries)
_NO_INDEX: Final[int] = (1 << 32) - 1


def _pair_indexes(
    el: pl.DataFrame, households_f: pl.DataFrame, offers_f: pl.DataFrame
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """Integer ``(hh_idx, offer_idx)`` of the distinct eligible pairs, sorted.

    Household ids are mapped to ``hh_idx`` by one lazy join that keeps only the integer index
    (a binary search in the sorted ids was slower at 12 M); an ``Enum`` ``offer_id`` (as the
    eligibility engine gives it) is mapped through its physical codes, without strings.
    Duplicates (several persons of a household eligible for one offer) are removed on the
    packed integer key ``hh_idx·2³² + offer_idx`` after sorting it (the instance's pair order).
    """
    hh = (
        el.lazy()
        .select(pl.col("household_id").cast(pl.String))
        .join(
            households_f.lazy().select("household_id", "hh_idx"),
            on="household_id",
            how="left",
            maintain_order="left",
        )
        .select(pl.col("hh_idx").fill_null(_NO_INDEX).cast(pl.UInt32))
        .collect()["hh_idx"]
        .to_numpy()
    )
    offer_col = el["offer_id"]
    if isinstance(offer_col.dtype, pl.Enum):
        cats = offer_col.dtype.categories
        cat_idx = (
            pl.DataFrame({"offer_id": cats.cast(pl.String)})
            .join(
                offers_f.select("offer_id", "offer_idx"),
                on="offer_id",
                how="left",
                maintain_order="left",
            )["offer_idx"]
            .fill_null(_NO_INDEX)
            .cast(pl.UInt32)
            .to_numpy()
        )
        codes = offer_col.to_physical().cast(pl.Int64).fill_null(len(cat_idx)).to_numpy()
        off = np.append(cat_idx, np.uint32(_NO_INDEX))[codes]
    else:
        off = (
            el.select(pl.col("offer_id").cast(pl.String))
            .join(
                offers_f.select("offer_id", "offer_idx"),
                on="offer_id",
                how="left",
                maintain_order="left",
            )["offer_idx"]
            .fill_null(_NO_INDEX)
            .cast(pl.UInt32)
            .to_numpy()
        )
    bad = np.flatnonzero((hh == _NO_INDEX) | (off == _NO_INDEX))
    if len(bad):
        row = el.row(int(bad[0]), named=True)
        raise ValueError(
            f"pares elegibles: hogar {row['household_id']!r} u oferta {row['offer_id']!r} "
            "no está en las tablas"
        )
    key = pl.Series(hh.astype(np.uint64) << np.uint64(32) | off.astype(np.uint64)).sort()
    del hh, off
    k = key.to_numpy()
    if len(k) > 1:
        keep = np.empty(len(k), dtype=bool)
        keep[0] = True
        np.not_equal(k[1:], k[:-1], out=keep[1:])
        if not keep.all():
            k = k[keep]
    return (k >> np.uint64(32)).astype(np.uint32), (k & np.uint64(_NO_INDEX)).astype(np.uint32)


def _codes(values: pl.Series, domain: pl.Series) -> npt.NDArray[np.int64]:
    """Index of each value in the sorted, distinct ``domain``; -1 when absent."""
    pos = domain.search_sorted(values).cast(pl.Int64).to_numpy()
    pos = np.minimum(pos, max(len(domain) - 1, 0))
    found = (
        domain.gather(pl.Series(pos)).to_numpy() == values.to_numpy()
        if len(domain)
        else np.zeros(len(values), dtype=bool)
    )
    return np.where(found, pos, -1).astype(np.int64)


def _pair_values_and_reach(
    hh: npt.NDArray[np.uint32],
    off: npt.NDArray[np.uint32],
    households_f: pl.DataFrame,
    offers_f: pl.DataFrame,
    slots_f: pl.DataFrame,
    policy: PriorityPolicy,
) -> tuple[I64, npt.NDArray[np.bool_]]:
    """Values (:func:`pair_values`) and reachability of the pairs, by chunks, in numpy.

    Reachable: a slot with places of the offer in the household's municipality or department,
    read from two small Boolean tables offer × municipality and offer × department.
    """
    munis = households_f["municipality_code"].unique().sort()
    depts = munis.str.slice(0, 2).unique().sort()
    hh_mun = _codes(households_f["municipality_code"], munis)
    hh_dep = _codes(households_f["department_code"], depts)
    n_off = offers_f.height
    reach_mun = np.zeros((n_off, len(munis) + 1), dtype=bool)
    reach_dep = np.zeros((n_off, len(depts) + 1), dtype=bool)
    open_slots = slots_f.filter(pl.col("places") > 0)
    for table, domain, width in ((reach_mun, munis, 5), (reach_dep, depts, 2)):
        s = open_slots.filter(pl.col("territory_code").str.len_chars() == width)
        col = _codes(s["territory_code"], domain)
        o = s["offer_idx"].cast(pl.Int64).to_numpy()
        table[o[col >= 0], col[col >= 0]] = True
    need = households_f["need_mask"].to_numpy()
    mult = households_f["multiplier"].to_numpy()
    offer_need = offers_f["need_mask"].to_numpy()
    values = np.empty(len(hh), dtype=np.int64)
    reachable = np.empty(len(hh), dtype=bool)
    for a in range(0, len(hh), _CHUNK):
        h = hh[a : a + _CHUNK]
        o = off[a : a + _CHUNK]
        values[a : a + _CHUNK] = pair_values(need[h], offer_need[o], mult[h], policy)
        reachable[a : a + _CHUNK] = reach_mun[o, hh_mun[h]] | reach_dep[o, hh_dep[h]]
    return values, reachable


def build_instance(
    *,
    households: Frame,
    offers: Frame,
    places: Frame,
    eligible: Frame,
    k_max: int = DEFAULT_K,
    policy: PriorityPolicy = DEFAULT_POLICY,
) -> AllocationInstance:
    """Build an :class:`AllocationInstance` from plain frames.

    Parameters
    ----------
    households
        ``household_id``, ``municipality_code`` (5-digit string); optional ``deprived_<code>``
        (bool; a missing indicator counts as not deprived, as when the IPM method does not
        measure it), ``monetary_status`` (``extreme_poor``/``poor``/``not_poor``), ``score``
        (IPM score 0–1), ``poor`` (IPM poor; default ``score >= k``) and the priority flags
        ``accompaniment``, ``ethnic``, ``victim``, ``disability``, ``female_head`` (missing =
        False).
    offers
        ``offer_id``, ``indicators`` (list of ``NEED_CODES``).
    places
        ``offer_id``, ``territory_code`` (5 or 2 digits), ``places``; optional ``period``.
    eligible
        ``household_id``, ``offer_id`` (and ``person_id``, ignored: one place per household).
    k_max
        Maximum offers per household.
    policy
        The priority policy.
    """
    if k_max < 1:
        raise ValueError("k_max debe ser al menos 1")
    t0 = time.perf_counter()
    hh = _collect(households)
    _require(hh, "hogares", ("household_id", "municipality_code"))
    of = _collect(offers)
    _require(of, "ofertas", ("offer_id", "indicators"))
    sl = _collect(places)
    _require(sl, "cupos", ("offer_id", "territory_code", "places"))
    el = _collect(eligible)
    _require(el, "pares elegibles", ("household_id", "offer_id"))

    if hh["household_id"].is_duplicated().any():
        raise ValueError("hogares: household_id repetido")
    if of["offer_id"].is_duplicated().any():
        raise ValueError("ofertas: offer_id repetido")

    households_f = (
        hh.lazy()
        .select(
            pl.col("household_id").cast(pl.String),
            pl.col("municipality_code").cast(pl.String),
            _need_masks(hh).alias("need_mask"),
            _multiplier(hh, policy).alias("multiplier"),
        )
        .sort("household_id")
        .with_row_index("hh_idx")
        .with_columns(pl.col("municipality_code").str.slice(0, 2).alias("department_code"))
        .collect()
    )
    bad_mun = households_f.filter(pl.col("municipality_code").str.len_chars() != 5)
    if bad_mun.height:
        raise ValueError(
            f"hogares: municipality_code debe tener 5 dígitos (hogar {bad_mun['household_id'][0]})"
        )

    offers_f = of.select(
        pl.col("offer_id").cast(pl.String), pl.col("indicators").cast(pl.List(pl.String))
    ).sort("offer_id")
    masks = [
        _offer_mask(list(codes), oid)
        for oid, codes in zip(offers_f["offer_id"], offers_f["indicators"], strict=True)
    ]
    offers_f = offers_f.with_row_index("offer_idx").with_columns(
        pl.Series("need_mask", masks, dtype=pl.UInt32)
    )

    slots_f = (
        sl.lazy()
        .select(
            pl.col("offer_id").cast(pl.String),
            pl.col("territory_code").cast(pl.String),
            (pl.col("period").cast(pl.String) if "period" in sl.columns else pl.lit(""))
            .fill_null("")
            .alias("period"),
            pl.col("places").cast(pl.Int64),
        )
        .join(offers_f.lazy().select("offer_id", "offer_idx"), on="offer_id", how="left")
        .collect()
    )
    unknown = slots_f.filter(pl.col("offer_idx").is_null())
    if unknown.height:
        raise ValueError(f"cupos: oferta desconocida {unknown['offer_id'][0]!r}")
    bad_terr = slots_f.filter(~pl.col("territory_code").str.len_chars().is_in([2, 5]))
    if bad_terr.height:
        raise ValueError(
            f"cupos: territory_code debe tener 2 o 5 dígitos ({bad_terr['territory_code'][0]!r})"
        )
    if (slots_f["places"] < 0).any():
        raise ValueError("cupos: places no puede ser negativo")
    if slots_f.select(
        pl.struct("offer_id", "territory_code", "period").is_duplicated().any()
    ).item():
        raise ValueError("cupos: fila repetida para oferta × territorio × periodo")
    slots_f = (
        slots_f.select("offer_idx", "offer_id", "territory_code", "period", "places")
        .sort("offer_idx", "territory_code", "period")
        .with_row_index("slot_idx")
    )

    hh_of_pair, offer_of_pair = _pair_indexes(el, households_f, offers_f)
    values, reachable = _pair_values_and_reach(
        hh_of_pair, offer_of_pair, households_f, offers_f, slots_f, policy
    )
    pairs = pl.DataFrame(
        {
            "hh_idx": pl.Series(hh_of_pair, dtype=pl.UInt32),
            "offer_idx": pl.Series(offer_of_pair, dtype=pl.UInt32),
            "value": pl.Series(values, dtype=pl.Int64),
            "reachable": pl.Series(reachable, dtype=pl.Boolean),
        }
    )
    del hh_of_pair, offer_of_pair, values, reachable
    t1 = time.perf_counter()
    classes, class_of, class_arcs = _household_classes(households_f, pairs)
    households_f = households_f.join(class_of, on="hh_idx", how="left").sort("hh_idx")
    t2 = time.perf_counter()
    return AllocationInstance(
        households=households_f,
        offers=offers_f,
        slots=slots_f,
        pairs=pairs,
        classes=classes,
        class_arcs=class_arcs,
        k_max=k_max,
        policy=policy,
        timings={"values": t1 - t0, "classes": t2 - t1},
    )


def _household_classes(
    households: pl.DataFrame, pairs: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Group households into classes: same municipality and same ``(offer, value)`` list."""
    keyed = (
        pairs.lazy()
        .filter(pl.col("reachable") & (pl.col("value") > 0))
        .select(
            "hh_idx",
            (pl.col("offer_idx").cast(pl.UInt64) * _SHIFT + pl.col("value").cast(pl.UInt64)).alias(
                "key"
            ),
        )
        # pairs are sorted by (hh_idx, offer_idx), so each key list is sorted.
        .group_by("hh_idx", maintain_order=True)
        .agg(pl.col("key"))
        .join(households.lazy().select("hh_idx", "municipality_code"), on="hh_idx")
        .collect()
    )
    grouped = (
        keyed.lazy()
        .group_by("municipality_code", "key")
        .agg(pl.len().alias("n"), pl.col("hh_idx").min().alias("first_hh"), pl.col("hh_idx"))
        .sort("municipality_code", "first_hh")
        .with_row_index("class_id")
        .collect()
    )
    class_of = (
        grouped.lazy().select("class_id", "hh_idx").explode("hh_idx").select("hh_idx", "class_id")
    ).collect()
    class_arcs = (
        grouped.lazy()
        .select("class_id", "key")
        .explode("key")
        .select(
            "class_id",
            (pl.col("key") // _SHIFT).cast(pl.UInt32).alias("offer_idx"),
            (pl.col("key") % _SHIFT).cast(pl.Int64).alias("value"),
        )
        .collect()
    )
    classes = grouped.select(
        "class_id", "municipality_code", pl.col("n").cast(pl.Int64), "first_hh"
    )
    return classes, class_of, class_arcs
