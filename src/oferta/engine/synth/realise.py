"""Realise raw registry attributes from each household's target deprivation vector (vectorised).

Every rule of DANE's census IPM is followed in reverse: a household deprived in illiteracy gets a
member aged 15 or more who cannot read and write, one not deprived has none; school lag gets a
child aged 7 to 17 with fewer than ``age - 6`` approved years; high economic dependency is a
number of employed members ``e`` with ``size > 3 * e``; and so on (``docs/synthetic-registry.md``).
The vector must first go through :func:`oferta.engine.synth.model.project_feasible`.

Example
-------
>>> import numpy as np
>>> from oferta.engine.synth.composition import draw_members
>>> from oferta.engine.synth.model import project_feasible
>>> rng = np.random.default_rng(3)
>>> members = draw_members(rng, mean_size=np.full(50, 3.0), rural=np.zeros(50, dtype=bool))
>>> target = project_feasible(rng.random((50, 15)) < 0.3, members.composition)
>>> people = realise_persons(rng, members, target, z=np.zeros(50))
>>> bool((people.years_of_schooling >= 0).all())
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from .composition import HEAD, Members, household_sum
from .model import (
    CL,
    DEP,
    ECB,
    FLO,
    HAB,
    ILL,
    INF,
    LAG,
    LE,
    NHI,
    OVC,
    SAN,
    SNA,
    WAL,
    WAT,
    BoolArray,
    FloatArray,
    IntArray,
    pensioner_path,
)

EMPLOYED, UNEMPLOYED, INACTIVE = 0, 1, 2
"""Activity codes: indexes into the contract's ``ACTIVITIES``."""

MAX_YEARS: Final[int] = 26


@dataclass(frozen=True, slots=True)
class PersonAttributes:
    """Per-person attributes (arrays aligned with :class:`Members`)."""

    years_of_schooling: IntArray
    can_read_write: BoolArray
    attends_school: BoolArray
    activity: IntArray
    unemployed_months: IntArray  # -1 where not unemployed
    contributes_to_pension: BoolArray
    receives_pension: BoolArray
    health_insured: BoolArray
    health_need: BoolArray
    health_need_attended: BoolArray  # meaningful where health_need
    care_adequate: BoolArray  # meaningful for ages 0-5
    nutrition_adequate: BoolArray  # meaningful for ages 0-5


def pick_one(
    rng: np.random.Generator,
    members: Members,
    eligible: BoolArray,
    bias: npt.NDArray[np.floating[Any]] | None = None,
) -> BoolArray:
    """One random eligible member per household (none where no member is eligible).

    ``bias`` adds to each member's random key: higher values are picked more often.
    """
    key = rng.random(len(eligible))
    if bias is not None:
        key = key + bias
    key = np.where(eligible, key, -1.0)
    best = np.maximum.reduceat(key, members.starts)
    return np.asarray(eligible & (key == best[members.household]))


def _rank_in_household(members: Members, key: FloatArray) -> IntArray:
    """0-based rank of each member by ``key`` (ascending) within its household."""
    order = np.lexsort((key, members.household))
    rank = np.empty(len(key), dtype=np.int64)
    rank[order] = np.arange(len(key), dtype=np.int64) - members.starts[members.household[order]]
    return rank


def _schooling(
    rng: np.random.Generator, members: Members, target: BoolArray, z: FloatArray
) -> tuple[IntArray, BoolArray, BoolArray]:
    """Years of schooling, literacy and school attendance."""
    hh, age, n = members.household, members.age, len(members.age)
    rural = members.composition.rural[hh]
    le, ill = target[hh, LE], target[hh, ILL]

    # Children 7-17: on track (age - 6 years) unless lagging; the chosen one lags.
    school_age = (age >= 7) & (age <= 17)
    lagger = pick_one(rng, members, school_age & target[hh, LAG])
    also_lags = school_age & target[hh, LAG] & (rng.random(n) < 0.25)
    lag = lagger | also_lags
    lag_years = np.floor(rng.random(n) * np.maximum(age - 6, 0)).astype(np.int64)
    years = np.where(school_age, np.where(lag, lag_years, age - 6), 0)

    # Adults 18+: a level that follows the household's education deprivation and latent poverty.
    adult = age >= 18
    mean = np.where(le, 5.0, 11.5) - 1.2 * rural - 0.6 * z[hh] - 0.05 * (age - 40)
    adult_years = np.clip(np.rint(mean + 3.0 * rng.standard_normal(n)), 0, 17).astype(np.int64)
    years = np.where(adult, adult_years, years)

    # Illiteracy: one adult (older ones more likely) cannot read and write; never a child aged
    # 15 to 17, whose approved years belong to the school-lag rule.
    over15 = age >= 15
    illiterate = pick_one(rng, members, adult & ill, bias=0.02 * age)
    years = np.where(illiterate, np.minimum(years, rng.integers(0, 3, n)), years)

    # Low educational attainment: mean years of members 15+ below 9, or not, adjusting the
    # adults of 18+ (all but the illiterate one when there is another).
    free = adult & ~illiterate
    has_free = household_sum(free, members.starts) > 0
    free = free | (adult & illiterate & ~has_free[hh])
    n15 = household_sum(over15, members.starts)
    total = household_sum(np.where(over15, years, 0), members.starts)
    free_total = household_sum(np.where(free, years, 0), members.starts)
    n_free = household_sum(free, members.starts)
    target_le = target[:, LE]
    excess = np.where(target_le, np.maximum(total - (9 * n15 - 1), 0), 0)
    factor = np.where(
        excess > 0, np.maximum(free_total - excess, 0) / np.maximum(free_total, 1), 1.0
    )
    years = np.where(free, np.floor(years * factor[hh]).astype(np.int64), years)
    deficit = np.where(~target_le, np.maximum(9 * n15 - total, 0), 0)
    add = -(-deficit // np.maximum(n_free, 1))
    years = np.where(free, np.minimum(years + add[hh], MAX_YEARS), years)

    others_illiterate = over15 & ill & (years <= 2) & (rng.random(n) < 0.5)
    can_read = np.where(over15, ~(illiterate | others_illiterate), years >= 1)

    # Attendance: everyone 6-16 attends unless the household is deprived (one at least does not).
    compulsory = (age >= 6) & (age <= 16)
    dropout = pick_one(rng, members, compulsory & target[hh, SNA], bias=0.05 * age)
    dropout |= compulsory & target[hh, SNA] & (age >= 12) & (rng.random(n) < 0.2)
    u = rng.random(n)
    attends = np.where(
        compulsory,
        ~dropout,
        np.where(
            (age >= 3) & (age <= 5),
            u < 0.55,
            np.where((age >= 17) & (age <= 24), u < np.where(years >= 11, 0.45, 0.2), False),
        ),
    )
    return years.astype(np.int64), can_read.astype(np.bool_), attends.astype(np.bool_)


def _work(
    rng: np.random.Generator, members: Members, target: BoolArray, z: FloatArray
) -> tuple[IntArray, IntArray, BoolArray, BoolArray]:
    """Activity, months unemployed, pension contribution and pension receipt."""
    hh, age, n = members.household, members.age, len(members.age)
    comp = members.composition
    size = comp.size
    cl = target[:, CL].astype(np.int64)
    dep, inf = target[:, DEP], target[:, INF]
    pension_only = pensioner_path(target, comp)

    # Number of employed adults (18+): the dependency rule decides the range.
    ceil_third = -(-size // 3)
    lo_ok = np.maximum(ceil_third - cl, np.where(~inf, 1, 1 - cl))
    hi_dep = np.minimum((size - 1) // 3 - cl, comp.adults18)
    lo_dep = np.where(~inf & ~pension_only, 1, 0)
    lo = np.where(dep, lo_dep, lo_ok)
    hi = np.where(dep, hi_dep, comp.adults18)
    lo = np.minimum(np.maximum(lo, 0), np.maximum(hi, 0))
    hi = np.maximum(hi, lo)
    extra_p = np.where(dep, 0.5, 0.35)
    n_employed = lo + rng.binomial(hi - lo, extra_p)
    n_employed = np.where(pension_only, 0, n_employed)

    adult = age >= 18
    # Prefer working ages for jobs; 65+ last.
    key = rng.random(n) + np.where(adult, 0.0, 10.0) + np.where(age >= 65, 1.0, 0.0)
    employed_adult = adult & (_rank_in_household(members, key) < n_employed[hh])

    child_worker = pick_one(rng, members, (age >= 12) & (age <= 17) & target[hh, CL])

    formal_p = np.clip(0.3 - 0.1 * z[hh], 0.03, 0.6)
    contributes = employed_adult & np.where(inf[hh], rng.random(n) < formal_p, True)
    # Informal households with workers: at least one informal worker unless someone unemployed.
    working_age = adult & (age <= 64) & ~employed_adult
    unemployed = working_age & inf[hh] & (rng.random(n) < 0.15)
    any_unemployed = household_sum(unemployed, members.starts) > 0
    all_formal = household_sum(employed_adult & ~contributes, members.starts) == 0
    need_informal = inf & (n_employed > 0) & all_formal & ~any_unemployed
    make_informal = pick_one(rng, members, employed_adult & need_informal[hh])
    contributes = contributes & ~make_informal

    activity = np.full(n, INACTIVE, dtype=np.int64)
    activity[employed_adult | child_worker] = EMPLOYED
    activity[unemployed] = UNEMPLOYED
    months = np.where(unemployed, 1 + np.floor(rng.exponential(7.0, n)), -1)
    months = np.minimum(months, 120).astype(np.int64)

    elderly = ~employed_adult & ~unemployed & (age >= np.where(members.female, 57, 62))
    pension_p = np.clip(0.3 - 0.12 * z[hh], 0.03, 0.7)
    pension = elderly & (rng.random(n) < pension_p)
    pension = np.where(pension_only[hh], True, pension)
    # An informal household with nobody in the labour force must not be all pensioners.
    no_eligible = inf & (n_employed == 0) & ~any_unemployed
    pension = np.where(no_eligible[hh] & (members.role == HEAD), False, pension)
    return activity, months, contributes.astype(np.bool_), pension.astype(np.bool_)


def realise_persons(
    rng: np.random.Generator, members: Members, target: BoolArray, *, z: FloatArray
) -> PersonAttributes:
    """Person attributes realising ``target`` (households x 15, already feasible).

    Parameters
    ----------
    rng
        Random generator (consumed in a fixed order).
    members
        The households' members.
    target
        Feasible deprivation vectors (see :func:`~oferta.engine.synth.model.project_feasible`).
    z
        The households' latent factors (shape plausible details such as schooling levels).
    """
    hh, age, n = members.household, members.age, len(members.age)
    years, can_read, attends = _schooling(rng, members, target, z)
    activity, months, contributes, pension = _work(rng, members, target, z)

    # Health insurance: members 6+ all insured unless deprived; 0-5 by early childhood below.
    uninsured = pick_one(rng, members, (age >= 6) & target[hh, NHI])
    uninsured |= (age >= 6) & target[hh, NHI] & (rng.random(n) < 0.3)
    insured = ~uninsured

    # Health need in the last 30 days; unattended only in deprived households.
    need = rng.random(n) < 0.08 + 0.002 * age
    unattended = pick_one(rng, members, target[hh, HAB])
    need = need | unattended
    attended = ~unattended

    # Early childhood: every child 0-5 covered unless deprived (one lacks care, food or insurance).
    young = age <= 5
    lacking = pick_one(rng, members, young & target[hh, ECB])
    kind = rng.random(n)
    care = ~(lacking & (kind < 0.5))
    nutrition = ~(lacking & (kind >= 0.5) & (kind < 0.8))
    insured = np.where(young, ~(lacking & (kind >= 0.8)), insured)
    return PersonAttributes(
        years_of_schooling=years,
        can_read_write=can_read,
        attends_school=attends,
        activity=activity,
        unemployed_months=months,
        contributes_to_pension=contributes,
        receives_pension=pension,
        health_insured=insured.astype(np.bool_),
        health_need=need.astype(np.bool_),
        health_need_attended=attended.astype(np.bool_),
        care_adequate=care.astype(np.bool_),
        nutrition_adequate=nutrition.astype(np.bool_),
    )


# --------------------------------------------------------------------------- housing

# Codes are indexes into the contract's code tuples (WATER_SOURCES, TOILETS, ...).
_WATER_URBAN_BAD = ((1, 2, 3, 4, 5, 6, 7, 8), (0.18, 0.12, 0.05, 0.12, 0.15, 0.08, 0.1, 0.2))
_WATER_RURAL_BAD = ((2, 3, 4, 5, 6, 7), (0.25, 0.1, 0.45, 0.08, 0.04, 0.08))
_WATER_RURAL_OK = ((0, 1, 8), (0.7, 0.2, 0.1))
_TOILET_URBAN_BAD = ((1, 2, 3, 4, 5), (0.55, 0.12, 0.18, 0.03, 0.12))
_TOILET_RURAL_BAD = ((2, 4, 5), (0.55, 0.05, 0.4))
_TOILET_RURAL_OK = ((0, 1, 3), (0.35, 0.5, 0.15))
_FLOOR_OK = ((1, 2, 3, 4, 5), (0.5, 0.08, 0.38, 0.03, 0.01))
_WALL_URBAN_BAD = ((4, 6, 7, 8), (0.55, 0.2, 0.23, 0.02))
_WALL_RURAL_BAD = ((6, 7, 8), (0.5, 0.45, 0.05))
_WALL_URBAN_OK = ((0, 1, 2, 3, 5), (0.86, 0.04, 0.04, 0.04, 0.02))
_WALL_RURAL_OK = ((0, 1, 2, 3, 4, 5), (0.6, 0.03, 0.12, 0.1, 0.13, 0.02))


def _choose(
    rng: np.random.Generator, spec: tuple[tuple[int, ...], tuple[float, ...]], n: int
) -> IntArray:
    codes, probs = spec
    cdf = np.cumsum(probs)
    idx = np.searchsorted(cdf / cdf[-1], rng.random(n), side="right")
    return np.asarray(np.array(codes, dtype=np.int64)[np.minimum(idx, len(codes) - 1)])


@dataclass(frozen=True, slots=True)
class Dwelling:
    """Per-household dwelling codes (indexes into the contract's code tuples) and rooms."""

    water_source: IntArray
    toilet: IntArray
    floor_material: IntArray
    wall_material: IntArray
    sleeping_rooms: IntArray


def realise_dwelling(
    rng: np.random.Generator, target: BoolArray, *, size: IntArray, rural: BoolArray
) -> Dwelling:
    """Water, toilet, floor, walls and sleeping rooms realising the housing deprivations."""
    n = len(size)
    water = np.where(
        rural,
        np.where(
            target[:, WAT], _choose(rng, _WATER_RURAL_BAD, n), _choose(rng, _WATER_RURAL_OK, n)
        ),
        np.where(target[:, WAT], _choose(rng, _WATER_URBAN_BAD, n), 0),
    )
    toilet = np.where(
        rural,
        np.where(
            target[:, SAN], _choose(rng, _TOILET_RURAL_BAD, n), _choose(rng, _TOILET_RURAL_OK, n)
        ),
        np.where(target[:, SAN], _choose(rng, _TOILET_URBAN_BAD, n), 0),
    )
    floor = np.where(target[:, FLO], 0, _choose(rng, _FLOOR_OK, n))
    wall = np.where(
        rural,
        np.where(target[:, WAL], _choose(rng, _WALL_RURAL_BAD, n), _choose(rng, _WALL_RURAL_OK, n)),
        np.where(target[:, WAL], _choose(rng, _WALL_URBAN_BAD, n), _choose(rng, _WALL_URBAN_OK, n)),
    )
    # Critical overcrowding: urban size >= 3 * rooms, rural size > 3 * rooms.
    crowded = np.where(rural, (size - 1) // 3, size // 3)
    roomy = np.where(rural, -(-size // 3), size // 3 + 1) + rng.binomial(2, 0.3, n)
    rooms = np.where(target[:, OVC], np.maximum(crowded, 1), np.maximum(roomy, 1))
    return Dwelling(
        water.astype(np.int64),
        toilet.astype(np.int64),
        floor.astype(np.int64),
        wall.astype(np.int64),
        rooms.astype(np.int64),
    )
