"""Priority policy and the value of a household–offer pair (exact integer arithmetic).

A pair is worth the weighted deprivations the offer can close for the household, raised by a
priority bonus::

    base  = Σ IPM weight of the indicators the household is deprived in ∩ the offer's indicators
            + monetary_weight   (once, if the offer lists a monetary condition the household has)
    bonus = accompaniment · [in PS accompaniment]
          + extreme_monetary_poverty · [extreme monetary poor]
          + double_condition · [monetary poor and IPM poor]
          + intensity · band((score − k) / (1 − k))          (0 below k; in [0, 1])
          + ethnic · [ethnic] + victim · [victim] + disability · [disability]
          + female_head · [female head]
    value = round_half_up(scale · base · (1 + bonus))        (an integer: the flow's unit)

``band(x)`` floors ``x`` to a multiple of ``intensity_band`` so that households of similar
intensity share one value (fewer household classes, see :mod:`.instance`). Every weight is an
exact :class:`~fractions.Fraction`; values are computed with integers only, so the same inputs
give the same value on every machine, and ties are real ties (broken by the solvers' documented
orders, never by float noise).

Example
-------
>>> p = DEFAULT_POLICY
>>> pair_value(p, offer_indicators=["informal_work"], deprived={"informal_work"})
1000
>>> pair_value(p, offer_indicators=["informal_work"], deprived={"informal_work"},
...            accompaniment=True)
1300
>>> PriorityPolicy.from_dict(p.to_dict()) == p
True
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final

from oferta.engine.diagnostics.methods import METHODS, IpmMethod

MONETARY_TERMS: Final[tuple[str, ...]] = ("extreme_monetary_poverty", "monetary_poverty")
"""Offer "indicator" codes that are monetary conditions rather than IPM indicators."""

PRIORITY_FLAGS: Final[tuple[str, ...]] = (
    "accompaniment",
    "ethnic",
    "victim",
    "disability",
    "female_head",
)
"""Boolean household columns read by the policy (a missing column counts as all False)."""

_FRACTION_FIELDS: Final[tuple[str, ...]] = (
    "accompaniment",
    "extreme_monetary_poverty",
    "double_condition",
    "intensity",
    "ethnic",
    "victim",
    "disability",
    "female_head",
    "monetary_weight",
    "k",
    "intensity_band",
)


def _frac(x: Fraction | int | str) -> Fraction:
    return Fraction(x)


@dataclass(frozen=True, slots=True)
class PriorityPolicy:
    """Weights of the priority policy (stored with every routing run).

    Parameters
    ----------
    code
        Name of the policy version (shown in the interface and stored with runs).
    accompaniment
        Bonus for households in Prosperidad Social's family accompaniment (Unidos).
    extreme_monetary_poverty
        Bonus for households in extreme monetary poverty.
    double_condition
        Bonus for households poor both monetarily and multidimensionally.
    intensity
        Bonus for a household at the maximum IPM score; scales linearly (by bands) from 0 at
        the cutoff ``k`` to ``intensity`` at score 1. No bonus below ``k``.
    ethnic, victim, disability, female_head
        Bonuses of the differential approaches (any member self-recognised in an ethnic group,
        any member registered as a victim of the armed conflict, any member with a disability,
        a woman heads the household).
    monetary_weight
        Weight of the monetary terms (``extreme_monetary_poverty``, ``monetary_poverty``) an
        offer may list among its indicators; counted once per pair when the household meets any
        listed monetary term. Comparable to an IPM indicator weight (0.04–0.10).
    ipm_method
        IPM method whose indicator weights enter ``base`` (``METHODS`` key).
    k
        IPM poverty cutoff used by the intensity bonus.
    intensity_band
        Width of the intensity bands on the normalised excess ``(score − k)/(1 − k)``.
    scale
        Value units per unit of weight: ``value = scale · base · (1 + bonus)`` rounded half up.

    The defaults (``DEFAULT_POLICY``) put the strongest bonuses on the law's target groups of
    Prosperidad Social (households in accompaniment and in extreme poverty, +30 % each), then
    intensity (+30 % at the maximum score), the double condition (+20 %) and the differential
    approaches (+10 % each). The largest possible multiplier is 2.5.
    """

    code: str = "ps-default-2025"
    accompaniment: Fraction = Fraction(3, 10)
    extreme_monetary_poverty: Fraction = Fraction(3, 10)
    double_condition: Fraction = Fraction(2, 10)
    intensity: Fraction = Fraction(3, 10)
    ethnic: Fraction = Fraction(1, 10)
    victim: Fraction = Fraction(1, 10)
    disability: Fraction = Fraction(1, 10)
    female_head: Fraction = Fraction(1, 10)
    monetary_weight: Fraction = Fraction(1, 10)
    ipm_method: str = "dane-ecv-2018"
    k: Fraction = Fraction(33, 100)
    intensity_band: Fraction = Fraction(1, 10)
    scale: int = 10_000

    def __post_init__(self) -> None:
        for name in _FRACTION_FIELDS:
            value = _frac(getattr(self, name))
            object.__setattr__(self, name, value)
            if value < 0:
                raise ValueError(f"política {self.code}: el peso {name} no puede ser negativo")
        if not 0 < self.k < 1:
            raise ValueError(f"política {self.code}: k debe estar entre 0 y 1 (excluidos)")
        if not 0 < self.intensity_band <= 1:
            raise ValueError(f"política {self.code}: intensity_band debe estar en (0, 1]")
        if self.scale <= 0:
            raise ValueError(f"política {self.code}: scale debe ser positivo")
        if self.ipm_method not in METHODS:
            raise ValueError(f"política {self.code}: método IPM desconocido {self.ipm_method!r}")

    # ------------------------------------------------------------------ storage

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (fractions as exact strings such as ``"3/10"``)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            out[f.name] = str(v) if isinstance(v, Fraction) else v
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PriorityPolicy:
        """Inverse of :meth:`to_dict`; unknown keys are an error, missing keys take defaults."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"política: campos desconocidos {unknown}")
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            kwargs[key] = _frac(value) if key in _FRACTION_FIELDS else value
        return cls(**kwargs)

    # ------------------------------------------------------------------ weights

    @property
    def method(self) -> IpmMethod:
        """The IPM method whose weights value the deprivations."""
        return METHODS[self.ipm_method]

    def indicator_weights(self) -> dict[str, Fraction]:
        """Weight of each offer indicator code the policy values (IPM indicators only)."""
        return {i.code: i.weight for i in self.method.indicators}

    def base_denominator(self) -> int:
        """Common denominator of IPM weights and ``monetary_weight`` (base in integer units)."""
        dens = [w.denominator for w in self.indicator_weights().values()]
        return math.lcm(*dens, self.monetary_weight.denominator)

    def bonus_denominator(self) -> int:
        """Common denominator of the bonus terms (bonus in integer units)."""
        dens = [
            getattr(self, n).denominator
            for n in (
                "accompaniment",
                "extreme_monetary_poverty",
                "double_condition",
                "ethnic",
                "victim",
                "disability",
                "female_head",
            )
        ]
        return math.lcm(*dens, (self.intensity * self.intensity_band).denominator)

    def intensity_bands(self, score: Fraction) -> int:
        """Number of whole bands of the normalised excess of ``score`` over ``k`` (0 below k)."""
        if score <= self.k:
            return 0
        excess = min((score - self.k) / (1 - self.k), Fraction(1))
        return math.floor(excess / self.intensity_band)


DEFAULT_POLICY: Final[PriorityPolicy] = PriorityPolicy()

SCORE_UNITS: Final[int] = 1_000_000
"""Float IPM scores are read as integer millionths before the intensity bands are taken."""


def round_half_up(numerator: int, denominator: int) -> int:
    """``round(numerator / denominator)`` with halves rounded up, in integers (both ≥ 0)."""
    return (2 * numerator + denominator) // (2 * denominator)


def pair_value(
    policy: PriorityPolicy,
    *,
    offer_indicators: Collection[str],
    deprived: Collection[str],
    monetary_status: str | None = None,
    ipm_poor: bool = False,
    score: Fraction | float | str = 0,
    accompaniment: bool = False,
    ethnic: bool = False,
    victim: bool = False,
    disability: bool = False,
    female_head: bool = False,
) -> int:
    """Integer value of one household–offer pair (the reference the bulk code must match).

    Parameters
    ----------
    offer_indicators
        Indicator codes the offer can close (IPM codes and/or ``MONETARY_TERMS``).
    deprived
        IPM indicator codes the household is deprived in.
    monetary_status
        ``"extreme_poor"``, ``"poor"``, ``"not_poor"`` or None.
    ipm_poor, score
        The household's IPM poverty and score (score as a fraction of 1).

    Example
    -------
    >>> pair_value(DEFAULT_POLICY, offer_indicators=["monetary_poverty"], deprived=[],
    ...            monetary_status="extreme_poor")
    1300
    """
    weights = policy.indicator_weights()
    base = sum(
        (weights[c] for c in set(offer_indicators) & set(deprived) if c in weights), Fraction(0)
    )
    extreme = monetary_status == "extreme_poor"
    monetary_poor = monetary_status in ("extreme_poor", "poor")
    met = {"extreme_monetary_poverty": extreme, "monetary_poverty": monetary_poor}
    if any(met[t] for t in MONETARY_TERMS if t in offer_indicators):
        base += policy.monetary_weight
    bonus = (
        policy.accompaniment * accompaniment
        + policy.extreme_monetary_poverty * extreme
        + policy.double_condition * (monetary_poor and ipm_poor)
        + policy.intensity * policy.intensity_band * policy.intensity_bands(_score(score))
        + policy.ethnic * ethnic
        + policy.victim * victim
        + policy.disability * disability
        + policy.female_head * female_head
    )
    exact = policy.scale * base * (1 + bonus)
    return round_half_up(exact.numerator, exact.denominator)


def _score(score: Fraction | float | str) -> Fraction:
    # Scores come as floats from the diagnostics; they are read in millionths (IPM scores are
    # multiples of 1/unit_denominator, far coarser), exactly as the bulk code does.
    if isinstance(score, float):
        return Fraction(round(score * SCORE_UNITS), SCORE_UNITS)
    return Fraction(score)
