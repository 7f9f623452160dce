"""Synthetic but plausible allocation instances (tests and the national benchmark).

Households get correlated deprivations (one latent poverty level drives every indicator, at
rates near DANE's national ones), a monetary status, a Sisbén rank and the priority flags.
Offers close one or two needs and carry a rule-like eligibility pattern, written both as CEL
(so the eligibility engine can evaluate it) and as the equivalent vectorised mask::

    deprived_<indicator> [|| deprived_<other>] && sisben_rank <= cutoff [&& zone == "rural"]
    [&& victim-/ethnic-only differential]

National offers have municipal places in a share of municipalities; territorial offers only in
the municipalities of one department (some with a department-level pool instead).

:func:`persons_for` gives the households members consistent with their flags (an age in a band
exactly when the band's flag is set, a victim member exactly when ``victim``, members of an
ethnic group exactly when ``ethnic``), so the CEL rules evaluated by the eligibility engine give
the same pairs as :func:`eligibility_masks`.

Example
-------
>>> s = generate(n_households=1000, n_offers=10, n_municipalities=20, seed=1)
>>> sorted(s.households.columns)[:3]
['accompaniment', 'deprived_child_labour', 'deprived_critical_overcrowding']
>>> s.eligible.columns
['household_id', 'offer_id', 'person_id']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

from oferta.engine.eligibility.variables import ETHNICITIES, IPM_INDICATORS

# Approximate national deprivation rates (ECV-like); the latent factor correlates them.
RATES: Final[dict[str, float]] = {
    "low_educational_attainment": 0.45,
    "illiteracy": 0.07,
    "school_non_attendance": 0.04,
    "school_lag": 0.18,
    "early_childhood_barriers": 0.08,
    "child_labour": 0.02,
    "long_term_unemployment": 0.12,
    "informal_work": 0.72,
    "no_health_insurance": 0.10,
    "health_access_barriers": 0.05,
    "no_improved_water": 0.10,
    "inadequate_sanitation": 0.10,
    "inadequate_floors": 0.05,
    "inadequate_walls": 0.02,
    "critical_overcrowding": 0.08,
}
_ECV_WEIGHTS: Final[dict[str, float]] = {
    **dict.fromkeys(("low_educational_attainment", "illiteracy"), 0.10),
    **dict.fromkeys(
        ("school_non_attendance", "school_lag", "early_childhood_barriers", "child_labour"), 0.05
    ),
    **dict.fromkeys(("long_term_unemployment", "informal_work"), 0.10),
    **dict.fromkeys(("no_health_insurance", "health_access_barriers"), 0.10),
    **dict.fromkeys(
        (
            "no_improved_water",
            "inadequate_sanitation",
            "inadequate_floors",
            "inadequate_walls",
            "critical_overcrowding",
        ),
        0.04,
    ),
}
SISBEN_CUTOFFS: Final[tuple[int, ...]] = (5, 9, 12, 16)  # A5, B4, B7, C4

AGE_BANDS: Final[dict[str, tuple[int, int, float]]] = {
    # household flag: (min age, max age, share of households with such a member)
    "has_young_child": (0, 5, 0.25),
    "has_youth": (14, 28, 0.45),
    "has_older_adult": (60, 120, 0.30),
}

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class OfferPattern:
    """One offer's rule pattern: needs it closes, Sisbén cutoff, zone and differential filter."""

    offer_id: str
    indicators: tuple[str, ...]
    sisben_cutoff: int
    rural_only: bool
    differential: str | None  # "victim" | "ethnic" | None
    age_band: str | None = None  # a key of AGE_BANDS

    def cel(self) -> str:
        """The rule in CEL over the documented household variables."""
        needs = [
            f"deprived_{c}" if c in IPM_INDICATORS else _monetary_cel(c) for c in self.indicators
        ]
        parts = [f"({' || '.join(needs)})", f"sisben_rank <= {self.sisben_cutoff}"]
        if self.rural_only:
            parts.append('zone == "rural"')
        if self.age_band is not None:
            lo, hi, _ = AGE_BANDS[self.age_band]
            parts.append(f"members.exists(m, m.age >= {lo} && m.age <= {hi})")
        if self.differential == "victim":
            parts.append("members.exists(m, m.victim)")
        elif self.differential == "ethnic":
            parts.append('members.exists(m, m.ethnicity != "none")')
        return " && ".join(parts)


def _monetary_cel(code: str) -> str:
    if code == "extreme_monetary_poverty":
        return 'monetary_status == "extreme_poor"'
    return 'monetary_status != "not_poor"'


@dataclass(frozen=True, slots=True)
class SyntheticInstance:
    """Frames for :func:`~oferta.engine.allocation.instance.build_instance` and the patterns."""

    households: pl.DataFrame
    offers: pl.DataFrame
    places: pl.DataFrame
    eligible: pl.DataFrame
    patterns: tuple[OfferPattern, ...]


def municipality_codes(n: int) -> list[str]:
    """``n`` synthetic DIVIPOLA-shaped municipality codes over 33 departments."""
    return [f"{5 + (i % 33) * 2:02d}{1 + i // 33:03d}" for i in range(n)]


def generate(
    *,
    n_households: int,
    n_offers: int = 200,
    n_municipalities: int = 1122,
    municipalities: list[str] | None = None,
    seed: int = 0,
    place_ratio: float = 0.25,
    compute_eligible: bool = True,
) -> SyntheticInstance:
    """Generate a synthetic instance.

    Parameters
    ----------
    place_ratio
        Places of an offer in a municipality as a share of its eligible households there
        (drawn around this mean), so that places are scarce and choices matter.
    compute_eligible
        Evaluate the patterns with numpy (False: leave ``eligible`` empty, e.g. to evaluate the
        CEL rules with the eligibility engine instead).
    """
    rng = np.random.default_rng(seed)
    codes = municipalities or municipality_codes(n_municipalities)
    n_mun = len(codes)
    # Municipality sizes: heavy-tailed (a few cities hold many households).
    size = rng.pareto(1.1, n_mun) + 1.0
    mun = rng.choice(n_mun, size=n_households, p=size / size.sum()).astype(np.int32)
    mun_poverty = rng.beta(2, 3, n_mun)  # municipal poverty level
    latent = np.clip(mun_poverty[mun] + rng.normal(0, 0.22, n_households), 0, 1)
    rural = rng.random(n_households) < 0.15 + 0.5 * mun_poverty[mun]

    cols: dict[str, object] = {
        "household_id": pl.Series(np.arange(n_households)).cast(pl.String).str.zfill(9),
        "municipality_code": pl.Series(codes).gather(pl.Series(mun)),
        # small string tables gathered by code: no per-household numpy unicode temporaries
        "zone": pl.Series(["urban", "rural"]).gather(pl.Series(rural.astype(np.int8))),
    }
    score = np.zeros(n_households)
    for code, rate in RATES.items():
        # probability rises with the latent poverty level; mean ≈ rate
        p = np.clip(rate * (0.3 + 1.4 * latent / 0.45), 0, 0.98)
        flag = rng.random(n_households) < p
        cols[f"deprived_{code}"] = flag
        score += flag * _ECV_WEIGHTS[code]
    score = np.round(score, 2)
    cols["score"] = score
    cols["poor"] = score >= 0.33 - 1e-9
    u = rng.random(n_households)
    extreme = u < 0.4 * latent**1.5
    poor_m = u < 0.9 * latent
    status_code = np.where(extreme, 2, np.where(poor_m, 1, 0)).astype(np.int8)
    cols["monetary_status"] = pl.Series(["not_poor", "poor", "extreme_poor"]).gather(
        pl.Series(status_code)
    )
    cols["sisben_rank"] = np.clip(
        (51 * (1 - latent) + rng.normal(0, 6, n_households)).round(), 1, 51
    ).astype(np.int32)
    cols["accompaniment"] = rng.random(n_households) < 0.25 * latent
    cols["ethnic"] = rng.random(n_households) < 0.05 + 0.15 * latent
    cols["victim"] = rng.random(n_households) < 0.08 + 0.2 * latent
    cols["disability"] = rng.random(n_households) < 0.07
    cols["female_head"] = rng.random(n_households) < 0.42
    for band, (_, _, share) in AGE_BANDS.items():
        cols[band] = rng.random(n_households) < share
    households = pl.DataFrame(cols)

    patterns = _patterns(rng, n_offers)
    offers = pl.DataFrame(
        {
            "offer_id": [p.offer_id for p in patterns],
            "indicators": [list(p.indicators) for p in patterns],
            "rule": [p.cel() for p in patterns],
        }
    )

    demand = [
        np.bincount(mun[m], minlength=len(codes))
        for m in eligibility_masks(households, tuple(patterns))
    ]
    places = _places(rng, patterns, codes, demand, place_ratio)
    if compute_eligible:
        eligible = eligible_frame(
            households, tuple(patterns), eligibility_masks(households, tuple(patterns))
        )
    else:
        eligible = pl.DataFrame(
            schema={"household_id": pl.String, "offer_id": pl.String, "person_id": pl.String}
        )
    return SyntheticInstance(households, offers, places, eligible, tuple(patterns))


def _patterns(rng: np.random.Generator, n_offers: int) -> list[OfferPattern]:
    needs = [*RATES, "extreme_monetary_poverty", "monetary_poverty"]
    # rarer needs get more offers per household in need (programmes target them)
    out = []
    for i in range(n_offers):
        first = needs[int(rng.integers(len(needs)))]
        indicators: tuple[str, ...] = (first,)
        if rng.random() < 0.35:
            second = needs[int(rng.integers(len(needs)))]
            if second != first:
                indicators = (first, second)
        diff_draw = rng.random()
        out.append(
            OfferPattern(
                offer_id=f"of{i:04d}",
                indicators=indicators,
                sisben_cutoff=int(rng.choice(SISBEN_CUTOFFS)),
                rural_only=bool(rng.random() < 0.12),
                differential="victim"
                if diff_draw < 0.06
                else "ethnic"
                if diff_draw < 0.1
                else None,
                age_band=list(AGE_BANDS)[int(rng.integers(3))] if rng.random() < 0.6 else None,
            )
        )
    return out


def eligibility_masks(
    households: pl.DataFrame, patterns: tuple[OfferPattern, ...]
) -> Iterator[BoolArray]:
    """Evaluate the patterns on the households with numpy, one Boolean array per offer (lazily,
    so only one is alive at a time); :meth:`OfferPattern.cel` states the same rule in CEL."""
    status = households["monetary_status"].cast(pl.String)
    extreme = (status == "extreme_poor").to_numpy()
    monetary_poor = (status != "not_poor").to_numpy()
    rural = (households["zone"] == "rural").to_numpy()
    rank = households["sisben_rank"].to_numpy()
    flags = {
        c: households[c].to_numpy()
        for c in (*(f"deprived_{i}" for i in RATES), "victim", "ethnic", *AGE_BANDS)
    }
    for p in patterns:
        need = np.zeros(households.height, dtype=bool)
        for c in p.indicators:
            if c == "extreme_monetary_poverty":
                need |= extreme
            elif c == "monetary_poverty":
                need |= monetary_poor
            else:
                need |= flags[f"deprived_{c}"]
        m = need & (rank <= p.sisben_cutoff)
        if p.rural_only:
            m &= rural
        if p.differential is not None:
            m &= flags[p.differential]
        if p.age_band is not None:
            m &= flags[p.age_band]
        yield m


def eligible_frame(
    households: pl.DataFrame, patterns: tuple[OfferPattern, ...], masks: Iterable[BoolArray]
) -> pl.DataFrame:
    """Eligible pairs in the eligibility engine's shape (``person_id`` null: household rules)."""
    hh_ids = households["household_id"]
    offer = pl.Enum([p.offer_id for p in patterns])
    parts = [
        pl.DataFrame(
            {
                "household_id": hh_ids.filter(pl.Series(m)),
                "offer_id": pl.Series([p.offer_id], dtype=offer).new_from_index(0, int(m.sum())),
            }
        )
        for p, m in zip(patterns, masks, strict=True)
    ]
    return pl.concat(parts).with_columns(pl.lit(None, pl.String).alias("person_id"))


def persons_for(households: pl.DataFrame, *, seed: int = 0) -> pl.DataFrame:
    """Members of the synthetic households, consistent with their flags.

    Every household has a head aged 29–59 (outside every age band, so the bands are the
    flags), one member per age-band flag with an age in that band, and a child aged 6–13 with
    probability 0.4. The head is a victim exactly when the household's ``victim`` flag is set;
    every member of an ``ethnic`` household shares one ethnic group other than ``"none"``.
    Persons come grouped by household, as in a registry. Only the member fields the synthetic
    rules read are produced (``household_id``, ``age``, ``victim``, ``ethnicity``): the
    eligibility engine reads no other person column.

    Draws from its own stream (``seed``), so households, offers and places do not change.

    Example
    -------
    >>> s = generate(n_households=50, n_offers=2, n_municipalities=3, seed=1)
    >>> p = persons_for(s.households, seed=1)
    >>> p.columns
    ['household_id', 'age', 'victim', 'ethnicity']
    >>> bool(p["household_id"].n_unique() == 50)
    True
    """
    rng = np.random.default_rng([seed, 1])
    n = households.height
    index: list[npt.NDArray[np.int64]] = [np.arange(n, dtype=np.int64)]
    ages: list[npt.NDArray[np.int64]] = [rng.integers(29, 60, n)]
    for band, (lo, hi, _) in AGE_BANDS.items():
        members = np.flatnonzero(households[band].to_numpy())
        index.append(members)
        ages.append(rng.integers(lo, min(hi, 95) + 1, len(members)))
    filler = np.flatnonzero(rng.random(n) < 0.4)
    index.append(filler)
    ages.append(rng.integers(6, 14, len(filler)))
    hh = np.concatenate(index)
    is_head = np.zeros(len(hh), dtype=bool)
    is_head[:n] = True
    del index
    order = np.argsort(hh, kind="stable")  # grouped by household, head first
    hh = hh[order]
    age = np.concatenate(ages)[order].astype(np.int16)
    is_head = is_head[order]
    del ages, order
    group = np.where(
        households["ethnic"].to_numpy(), rng.integers(1, len(ETHNICITIES), n), 0
    ).astype(np.uint32)
    rows = pl.Series(hh.astype(np.uint32))
    victim = households["victim"].to_numpy()[hh] & is_head
    ethnicity = pl.Series(list(ETHNICITIES), dtype=pl.Enum(list(ETHNICITIES))).gather(
        pl.Series(group).gather(rows)
    )
    return pl.DataFrame(
        {
            "household_id": households["household_id"].gather(rows),
            "age": age,
            "victim": victim,
            "ethnicity": ethnicity,
        }
    )


def _places(
    rng: np.random.Generator,
    patterns: list[OfferPattern],
    codes: list[str],
    demand_per_offer: list[npt.NDArray[np.int64]],
    place_ratio: float,
) -> pl.DataFrame:
    n_mun = len(codes)
    departments = sorted({c[:2] for c in codes})
    dept_of = np.array([departments.index(c[:2]) for c in codes])
    rows_offer: list[str] = []
    rows_terr: list[str] = []
    rows_places: list[int] = []
    for i, p in enumerate(patterns):
        demand = demand_per_offer[i]
        if rng.random() < 0.6:  # national offer: places in a share of municipalities
            covered = rng.random(n_mun) < rng.uniform(0.2, 0.9)
            department_pool = False
        else:  # territorial offer: one department
            d = int(rng.integers(len(departments)))
            covered = dept_of == d
            department_pool = bool(rng.random() < 0.4)
        ratio = place_ratio * rng.lognormal(0, 0.5, n_mun)
        places = np.ceil(demand * ratio).astype(np.int64) * covered
        if department_pool:
            d_places = int(places.sum())
            if d_places:
                rows_offer.append(p.offer_id)
                rows_terr.append(departments[int(dept_of[covered][0])])
                rows_places.append(d_places)
            continue
        idx = np.flatnonzero(places > 0)
        rows_offer.extend([p.offer_id] * len(idx))
        rows_terr.extend(codes[j] for j in idx)
        rows_places.extend(places[idx].tolist())
    return pl.DataFrame(
        {
            "offer_id": rows_offer,
            "territory_code": rows_terr,
            "period": ["2025-2"] * len(rows_offer),
            "places": pl.Series(rows_places, dtype=pl.Int64),
        }
    )
