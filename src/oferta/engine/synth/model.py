"""The latent deprivation model of the synthetic registry: indicators, weights, feasibility.

Each household gets a latent poverty factor ``z`` and, for each census IPM indicator ``j``, is
deprived when ``alpha_j + beta_j * z + eps_j > 0`` (``eps_j`` standard normal, independent).
:func:`project_feasible` then makes the drawn vector realisable for the household's members (no
school lag without a child aged 7 to 17, no overcrowding with two persons, ...), with the same
rules the realisation in :mod:`oferta.engine.synth.realise` follows, so that DANE's rules applied
to the generated attributes give back exactly this vector.

Example
-------
>>> INDICATORS[IDX["high_economic_dependency"]]
'high_economic_dependency'
>>> int(WEIGHT_UNITS.sum())
100
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from oferta.engine.diagnostics.methods import DEFAULT_K, METHODS

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_CENSUS_METHOD = METHODS["dane-cnpv-2018"]

INDICATORS: Final[tuple[str, ...]] = _CENSUS_METHOD.codes
"""The 15 indicators of DANE's census IPM (``dane-cnpv-2018``), in the method's order."""

IDX: Final[dict[str, int]] = {code: i for i, code in enumerate(INDICATORS)}

WEIGHT_UNITS: Final[IntArray] = np.array(
    [_CENSUS_METHOD.weight_units()[code] for code in INDICATORS], dtype=np.int64
)
"""Weights in hundredths, taken from the diagnostics engine's census method."""

POOR_UNITS: Final[int] = int(DEFAULT_K * _CENSUS_METHOD.unit_denominator)
"""k = 0.33 in hundredths: poor when the score in units is at least this."""

LOADINGS: Final[FloatArray] = np.array(
    [1.0, 0.9, 0.6, 0.7, 0.5, 0.6, 0.7, 1.0, 0.4, 0.3, 0.9, 0.9, 0.9, 0.7, 0.7]
)
"""``beta_j``: how strongly each indicator follows the household's latent poverty.

Chosen by judgement (education, informality and housing follow poverty closely; insurance and
access to care much less, as DANE's figures show them flat across departments)."""

SIZE_LOADING: Final[float] = 0.25
"""Correlation between the latent factor and household size: larger households are poorer."""

DEPENDENCY_PERCENT: Final[dict[str, float]] = {"urban": 30.0, "rural": 40.0}
"""Reference rates of high economic dependency (the census-only indicator, absent from the ECV
annex): about the mean of Santander's 87 municipalities in DANE's census annex (38 %)."""

LE, ILL, SNA, LAG, ECB, CL, DEP, INF, NHI, HAB, WAT, SAN, FLO, WAL, OVC = range(15)


@dataclass(frozen=True, slots=True)
class Composition:
    """Per-household facts of the members that decide which deprivations are realisable.

    All arrays have one entry per household.
    """

    size: IntArray
    rural: BoolArray
    adults18: IntArray
    has_0_5: BoolArray
    has_6_16: BoolArray
    has_7_17: BoolArray
    has_12_17: BoolArray
    all_55_plus: BoolArray


def pensioner_path(deprived: BoolArray, comp: Composition) -> BoolArray:
    """Households realised as all-pensioner, nobody employed (dependent, yet not informal).

    Only for deprived-in-dependency, not-informal households whose members are all 55 or older
    and too few to hold one formal worker with the dependency ratio above 3.
    """
    child_labour = deprived[..., CL].astype(np.int64)
    worker_fits = comp.size >= 4 + 3 * child_labour
    return deprived[..., DEP] & ~deprived[..., INF] & ~worker_fits & comp.all_55_plus


def project_feasible(deprived: BoolArray, comp: Composition) -> BoolArray:
    """Make drawn deprivation vectors realisable for the households' members.

    Parameters
    ----------
    deprived
        Boolean array ``(..., households, 15)`` in :data:`INDICATORS` order (leading axes, such as
        a grid of latent means, broadcast).
    comp
        The households' :class:`Composition`.

    Returns
    -------
    numpy.ndarray
        A new array: child indicators only where a child of the age exists; dependency forced on
        when the adults cannot hold enough jobs, off when a working child alone keeps the ratio
        at most 3; informality forced on when no formal job fits; overcrowding only from 3 (urban)
        or 4 (rural) members.

    Example
    -------
    >>> comp = Composition(np.array([2]), np.array([False]), np.array([2]), np.array([False]),
    ...     np.array([False]), np.array([False]), np.array([False]), np.array([False]))
    >>> project_feasible(np.ones((1, 15), dtype=bool), comp)[0].astype(int).tolist()
    [1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0]
    """
    d = deprived.copy()
    d[..., SNA] &= comp.has_6_16
    d[..., LAG] &= comp.has_7_17
    d[..., ECB] &= comp.has_0_5
    d[..., CL] &= comp.has_12_17
    cl = d[..., CL].astype(np.int64)
    # 3 * employed >= size is out of reach when every adult plus the working child is not enough.
    d[..., DEP] |= 3 * (comp.adults18 + cl) < comp.size
    # A working child alone keeps a household of up to 3 persons out of high dependency.
    d[..., DEP] &= ~(3 * cl >= comp.size)
    informal_needed = d[..., DEP] & ~d[..., INF]
    fits = (comp.size >= 4 + 3 * cl) | comp.all_55_plus
    d[..., INF] |= informal_needed & ~fits
    d[..., OVC] &= comp.size >= np.where(comp.rural, 4, 3)
    return d


def score_units(deprived: BoolArray) -> IntArray:
    """Weighted score in hundredths (exact integers)."""
    return np.asarray(deprived.astype(np.int64) @ WEIGHT_UNITS, dtype=np.int64)
