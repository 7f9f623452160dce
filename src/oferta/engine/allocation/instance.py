"""The allocation instance: households, offers, places, eligible pairs with values, and classes.

Places (cupos) are rows ``(offer_id, territory_code, period, places)``. ``territory_code`` is a
municipality (5-digit DIVIPOLA) or a department (2-digit): a department's places are a pool shared
by all its municipalities (in the network, each municipality's node for the offer draws from the
department node, see :mod:`.solve`). A household can take a place of an offer in its
municipality or its department, in any period listed: callers pass the slots of the run's period.

**Assignable pairs.** Only eligible pairs with a positive value and places reachable from the
household's municipality can be assigned; eligible pairs may come in batches (the eligibility
engine's), each reduced to its assignable pairs as it arrives.

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
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import polars as pl

from oferta.engine.allocation.policy import (
    DEFAULT_POLICY,
    MONETARY_TERMS,
    SCORE_UNITS,
    PriorityPolicy,
)
from oferta.engine.eligibility.pairs import HOUSEHOLD_CODE
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
        ``hh_idx`` (row number), ``household_id``, ``municipality_code``,
        ``need_mask`` (bits of ``NEED_CODES`` the household has), ``multiplier`` (``1 + bonus``
        in units of ``1/policy.bonus_denominator()``), ``class_id`` (null when the household has
        no valuable pair with reachable places).
    offers
        ``offer_idx``, ``offer_id``, ``indicators`` (list), ``need_mask``.
    slots
        ``slot_idx``, ``offer_idx``, ``offer_id``, ``territory_code``, ``period``, ``places``.
    pairs
        The *assignable* pairs (persons collapsed to their household): ``hh_idx``,
        ``offer_idx``, ``value`` (> 0), for eligible pairs whose offer has places in the
        household's municipality or department; sorted by ``(hh_idx, offer_idx)``. Only these
        can be assigned.
    classes
        ``class_id``, ``municipality_code``, ``n`` (households), ``first_hh`` (smallest
        ``hh_idx``).
    class_arcs
        ``class_id``, ``offer_idx``, ``value`` (> 0): the valuable reachable pairs of each class.
    k_max
        Maximum offers per household.
    policy
        The priority policy that produced the values.
    eligible
        Every distinct eligible pair, ``hh_idx``, ``offer_idx``, ``value`` (≥ 0),
        ``reachable``, when built with ``keep_eligible=True``; else None.
    n_eligible
        Number of distinct eligible pairs.
    timings
        Seconds spent building: ``values`` (= ``prepare``, the frames and lookup tables, +
        ``pairs``, values and reachability of the pairs), ``classes`` and, when the pairs came
        as batches, ``eligibility`` (time spent inside the batches' producer).
    """

    households: pl.DataFrame
    offers: pl.DataFrame
    slots: pl.DataFrame
    pairs: pl.DataFrame
    classes: pl.DataFrame
    class_arcs: pl.DataFrame
    k_max: int
    policy: PriorityPolicy
    eligible: pl.DataFrame | None = None
    n_eligible: int = 0
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
            "eligible_pairs": self.n_eligible,
            "valuable_reachable_pairs": self.pairs.height,
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


def _base_tables(policy: PriorityPolicy) -> tuple[I64, I64]:
    """Base value (in ``1/policy.base_denominator()`` units) of the low and high halves of a
    common need mask: ``base(m) = low[m & 0x1FF] + high[m >> 9]``. Two gathers instead of one
    shift-and-add per indicator (the monetary terms, counted once, are both in the high half).
    """
    d_base = policy.base_denominator()
    weights = policy.indicator_weights()
    per_bit = [int(weights[c] * d_base) if c in weights else 0 for c in IPM_INDICATORS]
    n_low = _LOW_BITS
    n_high = len(NEED_CODES) - n_low
    masks = np.arange(1 << max(n_low, n_high), dtype=np.int64)

    def table(first: int, count: int) -> I64:
        out = np.zeros(1 << count, dtype=np.int64)
        for bit in range(count):
            if first + bit < len(per_bit):
                out += ((masks[: 1 << count] >> bit) & 1) * per_bit[first + bit]
        return out

    low = table(0, n_low)
    high = table(n_low, n_high)
    monetary = (masks[: 1 << n_high] >> (len(IPM_INDICATORS) - n_low)) & 0b11
    high += (monetary != 0) * int(policy.monetary_weight * d_base)
    return low, high


_LOW_BITS: Final[int] = 9


def pair_values(
    need_mask: npt.NDArray[np.uint32],
    offer_mask: npt.NDArray[np.uint32],
    multiplier: I64,
    policy: PriorityPolicy,
    tables: tuple[I64, I64] | None = None,
) -> I64:
    """Bulk :func:`~oferta.engine.allocation.policy.pair_value` on aligned arrays of pairs.

    ``tables`` (from ``_base_tables(policy)``) may be passed to reuse them across calls.
    """
    low, high = tables if tables is not None else _base_tables(policy)
    common = need_mask & offer_mask
    base = low[common & np.uint32((1 << _LOW_BITS) - 1)] + high[common >> np.uint32(_LOW_BITS)]
    return _rounded_value(base, multiplier, policy)


def _rounded_value(base: I64, multiplier: I64, policy: PriorityPolicy) -> I64:
    """``round_half_up(scale · base · multiplier / (base_den · bonus_den))`` in integers."""
    den = policy.base_denominator() * policy.bonus_denominator()
    num = policy.scale * base * multiplier
    out: I64 = (2 * num + den) // (2 * den)
    return out


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
_LOW: Final[np.uint64] = np.uint64(_NO_INDEX)
_HIGH: Final[np.uint64] = np.uint64(32)

U32 = npt.NDArray[np.uint32]
Eligible = Frame | Iterable[pl.DataFrame]
"""Eligible pairs: one frame, or batches of them (as the eligibility engine yields them)."""


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


class _PairReducer:
    """Turns batches of eligible pairs into integer pairs with values, keeping the assignable.

    A pair is *assignable* when its value is positive and the offer has places in the
    household's municipality or department: only those can carry flow, so only those are kept
    (29 M of 101 M eligible pairs at 12 M households), batch by batch, so the eligible pairs
    are never all in memory at once. With ``keep_eligible`` every eligible pair is also kept
    (with its value and reachability) for explanations and the verifier's ``eligible`` check.
    """

    def __init__(
        self,
        households_f: pl.DataFrame,
        row_of_idx: U32,
        offers_f: pl.DataFrame,
        slots_f: pl.DataFrame,
        policy: PriorityPolicy,
        *,
        keep_eligible: bool,
    ) -> None:
        self.households_f = households_f
        self.offers_f = offers_f
        self.policy = policy
        self.keep_eligible = keep_eligible
        n = households_f.height
        # household_code (row of the input frame) -> hh_idx (row in household_id order)
        self.idx_of_row = np.empty(n, dtype=np.uint32)
        self.idx_of_row[row_of_idx] = np.arange(n, dtype=np.uint32)
        munis = households_f["municipality_code"].unique().sort()
        depts = munis.str.slice(0, 2).unique().sort()
        # Municipality of each household as the physical code of an Enum (no string arrays).
        self.hh_mun = (
            households_f["municipality_code"]
            .cast(pl.Enum(munis))
            .to_physical()
            .cast(pl.Int32)
            .to_numpy()
        )
        dept_of_mun = _codes(munis.str.slice(0, 2), depts).astype(np.int32)
        self.hh_dep = dept_of_mun[self.hh_mun]
        n_off = offers_f.height
        # Two small Boolean tables offer × municipality and offer × department instead of
        # joins over all pairs.
        self.reach_mun = np.zeros((n_off, len(munis) + 1), dtype=bool)
        self.reach_dep = np.zeros((n_off, len(depts) + 1), dtype=bool)
        open_slots = slots_f.filter(pl.col("places") > 0)
        for table, domain, width in ((self.reach_mun, munis, 5), (self.reach_dep, depts, 2)):
            s = open_slots.filter(pl.col("territory_code").str.len_chars() == width)
            col = _codes(s["territory_code"], domain)
            o = s["offer_idx"].cast(pl.Int64).to_numpy()
            table[o[col >= 0], col[col >= 0]] = True
        self.need = households_f["need_mask"].to_numpy()
        self.mult = households_f["multiplier"].to_numpy()
        self.offer_need = offers_f["need_mask"].to_numpy()
        self.low, self.high = _base_tables(policy)
        self._enum_map: tuple[pl.DataType, U32] | None = None
        self.seen_offers = np.zeros(n_off, dtype=bool)
        self.n_eligible = 0
        self.parts: list[tuple[U32, U32, I64]] = []
        self.eligible_parts: list[tuple[U32, U32, I64, npt.NDArray[np.bool_]]] = []

    def indexes(self, el: pl.DataFrame) -> tuple[U32, U32, U32]:
        """``(source, hh_idx, offer_idx)`` of a batch; ``source`` is the household key as given
        (its code, or ``hh_idx`` when the batch names households by id)."""
        if HOUSEHOLD_CODE in el.columns:
            code = el[HOUSEHOLD_CODE].cast(pl.Int64).fill_null(-1).to_numpy()
            bad_code = (code < 0) | (code >= len(self.idx_of_row))
            src = np.where(bad_code, 0, code).astype(np.uint32)
            hh = np.where(bad_code, np.uint32(_NO_INDEX), self.idx_of_row[src])
        elif "household_id" in el.columns:
            hh = (
                el.lazy()
                .select(pl.col("household_id").cast(pl.String))
                .join(
                    self.households_f.lazy().select("household_id", "hh_idx"),
                    on="household_id",
                    how="left",
                    maintain_order="left",
                )
                .select(pl.col("hh_idx").fill_null(_NO_INDEX).cast(pl.UInt32))
                .collect()["hh_idx"]
                .to_numpy()
            )
            src = hh
        else:
            raise ValueError("pares elegibles: faltan las columnas household_id o household_code")
        off = self._offer_indexes(el)
        bad = np.flatnonzero((hh == _NO_INDEX) | (off == _NO_INDEX))
        if len(bad):
            row = el.row(int(bad[0]), named=True)
            who = row.get("household_id", row.get(HOUSEHOLD_CODE))
            raise ValueError(
                f"pares elegibles: hogar {who!r} u oferta {row['offer_id']!r} no está en las tablas"
            )
        return src, hh, off

    def _offer_indexes(self, el: pl.DataFrame) -> U32:
        """``offer_idx`` of each row; an ``Enum`` is mapped through its physical codes (the
        eligibility engine's form), without strings."""
        offer_col = el["offer_id"]
        if isinstance(offer_col.dtype, pl.Enum):
            if self._enum_map is None or self._enum_map[0] != offer_col.dtype:
                cats = offer_col.dtype.categories
                cat_idx = self._offer_indices(pl.DataFrame({"offer_id": cats.cast(pl.String)}))
                self._enum_map = (offer_col.dtype, np.append(cat_idx, np.uint32(_NO_INDEX)))
            table = self._enum_map[1]
            codes = offer_col.to_physical().cast(pl.Int64).fill_null(len(table) - 1).to_numpy()
            out: U32 = table[codes]
            return out
        return self._offer_indices(el.select(pl.col("offer_id").cast(pl.String)))

    def _offer_indices(self, offer_ids: pl.DataFrame) -> U32:
        """Each row's offer index (``_NO_INDEX`` for an offer the instance does not hold)."""
        out: U32 = (
            offer_ids.join(
                self.offers_f.select("offer_id", "offer_idx"),
                on="offer_id",
                how="left",
                maintain_order="left",
            )["offer_idx"]
            .fill_null(_NO_INDEX)
            .cast(pl.UInt32)
            .to_numpy()
        )
        return out

    def add_batch(self, el: pl.DataFrame) -> None:
        """Add one batch; its offers must not appear in another batch (so pairs stay distinct
        without holding them all). Rows repeated within the batch are dropped."""
        if el.height == 0:
            return
        src, hh, off = self.indexes(el)
        if not _distinct_runs(src, off):
            key = np.unique(off.astype(np.uint64) << _HIGH | hh.astype(np.uint64))
            off = (key >> _HIGH).astype(np.uint32)
            hh = (key & _LOW).astype(np.uint32)
            del key
        del src
        offers = np.unique(off)
        if self.seen_offers[offers].any():
            again = self.offers_f["offer_id"][int(offers[self.seen_offers[offers]][0])]
            raise ValueError(
                f"pares elegibles: la oferta {again!r} aparece en más de un lote "
                "(cada oferta debe venir en un solo lote)"
            )
        self.seen_offers[offers] = True
        self.add(hh, off)

    def add(self, hh: U32, off: U32) -> None:
        """Add distinct pairs: compute values and reachability by chunks, keep the assignable.

        Without ``keep_eligible`` the value (a gather of the multiplier and an integer
        division) is computed only for the reachable pairs with some need in common.
        """
        self.n_eligible += len(hh)
        low_mask = np.uint32((1 << _LOW_BITS) - 1)
        for a in range(0, len(hh), _CHUNK):
            h = hh[a : a + _CHUNK]
            o = off[a : a + _CHUNK]
            common = self.need[h] & self.offer_need[o]
            base = self.low[common & low_mask] + self.high[common >> np.uint32(_LOW_BITS)]
            del common
            reach = self.reach_mun[o, self.hh_mun[h]]
            reach |= self.reach_dep[o, self.hh_dep[h]]
            if self.keep_eligible:
                values = _rounded_value(base, self.mult[h], self.policy)
                keep = reach & (values > 0)
                self.parts.append((h[keep], o[keep], values[keep]))
                self.eligible_parts.append((h.copy(), o.copy(), values, reach))
                continue
            candidates = np.flatnonzero(reach & (base > 0))
            hc = h[candidates]
            values = _rounded_value(base[candidates], self.mult[hc], self.policy)
            keep = values > 0  # a tiny base can round to 0 at a small scale
            self.parts.append((hc[keep], o[candidates[keep]], values[keep]))

    def pairs(self, *, presorted: bool) -> tuple[pl.DataFrame, pl.DataFrame | None]:
        """The assignable pairs and (when kept) all eligible pairs, sorted by household then
        offer (the order the classes need: each household's list comes out sorted)."""
        pairs = _sorted_frame([(h, o, {"value": v}) for h, o, v in self.parts], presorted=presorted)
        self.parts.clear()
        eligible = None
        if self.keep_eligible:
            eligible = _sorted_frame(
                [(h, o, {"value": v, "reachable": r}) for h, o, v, r in self.eligible_parts],
                presorted=presorted,
            )
            self.eligible_parts.clear()
        return pairs, eligible


def _distinct_runs(src: U32, off: U32) -> bool:
    """True when the batch is in the eligibility engine's order (offer after offer, each offer
    once, households strictly increasing within it), which proves its pairs distinct in O(n)."""
    if len(off) < 2:
        return True
    same = off[1:] == off[:-1]
    if not np.all(src[1:][same] > src[:-1][same]):
        return False
    run_offers = off[np.r_[True, ~same]]
    return len(np.unique(run_offers)) == len(run_offers)


def _sorted_frame(
    parts: list[tuple[U32, U32, dict[str, npt.NDArray[Any]]]], *, presorted: bool
) -> pl.DataFrame:
    hh = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.uint32)
    off = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.uint32)
    names = list(parts[0][2]) if parts else ["value"]
    extra = {
        name: (np.concatenate([p[2][name] for p in parts]) if parts else np.zeros(0, np.int64))
        for name in names
    }
    frame = pl.DataFrame(
        {
            "hh_idx": pl.Series(hh, dtype=pl.UInt32),
            "offer_idx": pl.Series(off, dtype=pl.UInt32),
            **{
                name: pl.Series(col, dtype=pl.Boolean if name == "reachable" else pl.Int64)
                for name, col in extra.items()
            },
        }
    )
    del hh, off, extra
    # One sort on the packed key (Polars sorts in parallel) rather than on two columns.
    return (
        frame
        if presorted
        else frame.sort(pl.col("hh_idx").cast(pl.UInt64) * _SHIFT + pl.col("offer_idx"))
    )


def _frame_pairs(el: pl.DataFrame, reducer: _PairReducer) -> None:
    """All pairs of one frame: duplicates (several persons of a household eligible for one
    offer) are removed on the packed key ``hh_idx·2³² + offer_idx`` after one integer sort,
    which also puts them in the instance's order."""
    _, hh, off = reducer.indexes(el)
    k = pl.Series(hh.astype(np.uint64) << _HIGH | off.astype(np.uint64)).sort().to_numpy()
    del hh, off
    if len(k) > 1:
        keep = np.empty(len(k), dtype=bool)
        keep[0] = True
        np.not_equal(k[1:], k[:-1], out=keep[1:])
        if not keep.all():
            k = k[keep]
    reducer.add((k >> _HIGH).astype(np.uint32), (k & _LOW).astype(np.uint32))


def build_instance(
    *,
    households: Frame,
    offers: Frame,
    places: Frame,
    eligible: Eligible,
    k_max: int = DEFAULT_K,
    policy: PriorityPolicy = DEFAULT_POLICY,
    keep_eligible: bool = True,
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
        A frame, or an iterable of frames (batches), with ``offer_id`` (string or ``Enum``)
        and either ``household_id`` or ``household_code`` (the household's row in
        ``households`` as given, as :func:`~oferta.engine.eligibility.pairs.
        iter_eligible_household_pairs` yields it); ``person_id`` is ignored (one place per
        household). One frame may repeat pairs; batches are reduced to the assignable pairs
        as they arrive, so each offer must come in one batch only.
    k_max
        Maximum offers per household.
    policy
        The priority policy.
    keep_eligible
        Keep every eligible pair (``instance.eligible``) besides the assignable ones: the
        verifier then tells "not eligible" from "not assignable" and explanations need no
        eligibility from the caller. At national scale pass ``False`` (101 M pairs against
        29 M assignable at 12 M households).
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
        .with_row_index("_row")
        .collect()
    )
    if not households_f["household_id"].is_sorted():  # O(n) check; a registry often is sorted
        households_f = households_f.sort("household_id")
    households_f = households_f.with_row_index("hh_idx")
    row_of_idx = households_f["_row"].to_numpy()
    households_f = households_f.drop("_row")
    del hh
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
    slots_f = _slots(sl, offers_f)

    reducer = _PairReducer(
        households_f, row_of_idx, offers_f, slots_f, policy, keep_eligible=keep_eligible
    )
    del row_of_idx
    t_prepared = time.perf_counter()
    t_eligibility = 0.0
    if isinstance(eligible, pl.DataFrame | pl.LazyFrame):
        el = _collect(eligible)
        _require(el, "pares elegibles", ("offer_id",))
        _frame_pairs(el, reducer)
        del el
        presorted = True
    else:
        batches = iter(eligible)
        while True:
            # Time spent inside the producer (the eligibility engine when given its iterator).
            t_in = time.perf_counter()
            batch = next(batches, None)
            t_eligibility += time.perf_counter() - t_in
            if batch is None:
                break
            _require(batch, "pares elegibles", ("offer_id",))
            reducer.add_batch(batch)
            del batch
        presorted = False
    n_eligible = reducer.n_eligible
    pairs, eligible_f = reducer.pairs(presorted=presorted)
    del reducer
    t1 = time.perf_counter()
    classes, class_of, class_arcs = _household_classes(households_f, pairs)
    households_f = households_f.join(class_of, on="hh_idx", how="left").sort("hh_idx")
    t2 = time.perf_counter()
    timings = {
        "values": t1 - t0 - t_eligibility,
        "prepare": t_prepared - t0,
        "pairs": t1 - t_prepared - t_eligibility,
        "classes": t2 - t1,
    }
    if t_eligibility:
        timings["eligibility"] = t_eligibility
    return AllocationInstance(
        households=households_f,
        offers=offers_f,
        slots=slots_f,
        pairs=pairs,
        classes=classes,
        class_arcs=class_arcs,
        k_max=k_max,
        policy=policy,
        eligible=eligible_f,
        n_eligible=n_eligible,
        timings=timings,
    )


def _slots(sl: pl.DataFrame, offers_f: pl.DataFrame) -> pl.DataFrame:
    """Checked slots, sorted by offer, territory and period, with ``slot_idx``."""
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
    return (
        slots_f.select("offer_idx", "offer_id", "territory_code", "period", "places")
        .sort("offer_idx", "territory_code", "period")
        .with_row_index("slot_idx")
    )


def _household_classes(
    households: pl.DataFrame, pairs: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Group households into classes: same municipality and same ``(offer, value)`` list.

    ``pairs`` are the assignable pairs, sorted by ``(hh_idx, offer_idx)``.
    """
    keyed = (
        pairs.lazy()
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
