"""Household members of the synthetic registry: sizes, relationships, ages and sexes (vectorised).

Persons are laid out household after household (``starts[h]`` is the first member of household
``h``, always its head), so per-household sums are ``numpy.add.reduceat`` over ``starts``.

Example
-------
>>> import numpy as np
>>> rng = np.random.default_rng(1)
>>> members = draw_members(rng, mean_size=np.full(4, 3.0), rural=np.zeros(4, dtype=bool))
>>> int(members.size.sum()) == len(members.age)
True
>>> bool((members.role[members.starts] == HEAD).all())
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from .model import BoolArray, Composition, FloatArray, IntArray

HEAD, SPOUSE, CHILD, GRANDCHILD, PARENT, OTHER_RELATIVE, NON_RELATIVE = range(7)
"""Relationship codes: indexes into the contract's ``RELATIONSHIPS``."""

MAX_SIZE: Final[int] = 15

# Relationship of members other than head and spouse (shares of the 2018 census, rounded).
_OTHER_ROLES: Final = np.array([CHILD, GRANDCHILD, PARENT, OTHER_RELATIVE, NON_RELATIVE])
_OTHER_ROLE_CDF: Final = np.cumsum([0.72, 0.12, 0.05, 0.08, 0.03])


@dataclass(frozen=True, slots=True)
class Members:
    """The persons of a batch of households, contiguous by household."""

    size: IntArray
    starts: IntArray
    household: IntArray
    member: IntArray
    role: IntArray
    age: IntArray
    female: BoolArray
    composition: Composition


def household_sum(values: IntArray | BoolArray, starts: IntArray) -> IntArray:
    """Sum of a per-person array over each household (persons contiguous, none empty)."""
    return np.add.reduceat(np.asarray(values, dtype=np.int64), starts)


def draw_sizes(rng: np.random.Generator, mean_size: FloatArray) -> IntArray:
    """Household sizes: 1 + Poisson(mean - 1), at most :data:`MAX_SIZE`."""
    lam = np.clip(mean_size - 1.0, 0.05, None)
    return np.minimum(1 + rng.poisson(lam), MAX_SIZE).astype(np.int64)


def draw_members(rng: np.random.Generator, *, mean_size: FloatArray, rural: BoolArray) -> Members:
    """Draw the members of ``len(mean_size)`` households.

    Parameters
    ----------
    rng
        The random generator (consumed in a fixed order: results are reproducible).
    mean_size
        Expected household size per household.
    rural
        Zone per household (rural households have more female heads' spouses, older heads...).

    Returns
    -------
    Members
        Sizes, the person layout and the :class:`~oferta.engine.synth.model.Composition`.
    """
    n_households = len(mean_size)
    size = draw_sizes(rng, mean_size)
    starts = np.zeros(n_households, dtype=np.int64)
    np.cumsum(size[:-1], out=starts[1:])
    n_persons = int(size.sum())
    household = np.repeat(np.arange(n_households, dtype=np.int64), size)
    member = np.arange(n_persons, dtype=np.int64) - starts[household]

    # Heads: 18 to 95, mode in the forties; spouses in two of three households of 2+ persons.
    head_age = np.clip(np.rint(rng.normal(45.0, 14.5, n_households)), 18, 95).astype(np.int64)
    spouse_p = np.where(size >= 3, 0.72, 0.55)
    has_spouse = (size >= 2) & (rng.random(n_households) < spouse_p)
    head_female = rng.random(n_households) < np.where(rural, 0.33, 0.45)

    u_role = rng.random(n_persons)
    role = _OTHER_ROLES[
        np.searchsorted(_OTHER_ROLE_CDF, u_role * _OTHER_ROLE_CDF[-1], side="right")
    ]
    role = np.where(member == 0, HEAD, role)
    role = np.where((member == 1) & has_spouse[household], SPOUSE, role)

    h_age = head_age[household]
    u_age = rng.random(n_persons)
    # Children: born when the head was 16 to 45 (never before the head turned 16).
    gap = 16 + u_age * (np.minimum(45, h_age) - 16)
    age = np.maximum(np.rint(h_age - gap), 0)
    # Grandchildren only for heads of 36 or more (otherwise children).
    old_enough = h_age >= 36
    role = np.where((role == GRANDCHILD) & ~old_enough, CHILD, role)
    grandchild_age = np.floor(u_age * (np.minimum(17, h_age - 36) + 1))
    age = np.where(role == GRANDCHILD, grandchild_age, age)
    age = np.where(role == PARENT, np.minimum(h_age + 18 + np.floor(u_age * 18), 100), age)
    age = np.where(role == OTHER_RELATIVE, np.floor(u_age * 80), age)
    age = np.where(role == NON_RELATIVE, 15 + np.floor(u_age * 56), age)
    spouse_age = np.clip(np.rint(h_age - 2 + 5 * rng.standard_normal(n_persons)), 18, 95)
    age = np.where(role == SPOUSE, spouse_age, age)
    age = np.where(role == HEAD, h_age, age).astype(np.int64)

    female = rng.random(n_persons) < 0.5
    female = np.where(role == HEAD, head_female[household], female)
    # Spouses mostly of the other sex.
    female = np.where(role == SPOUSE, ~head_female[household] ^ (u_role < 0.02), female)

    comp = Composition(
        size=size,
        rural=rural.astype(np.bool_),
        adults18=household_sum(age >= 18, starts),
        has_0_5=household_sum(age <= 5, starts) > 0,
        has_6_16=household_sum((age >= 6) & (age <= 16), starts) > 0,
        has_7_17=household_sum((age >= 7) & (age <= 17), starts) > 0,
        has_12_17=household_sum((age >= 12) & (age <= 17), starts) > 0,
        all_55_plus=household_sum(age < 55, starts) == 0,
    )
    return Members(
        size=size,
        starts=starts,
        household=household,
        member=member,
        role=role.astype(np.int64),
        age=age,
        female=female.astype(np.bool_),
        composition=comp,
    )
