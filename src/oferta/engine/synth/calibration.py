"""Calibration of the synthetic registry to DANE's figures: rates, latent means, allocation.

Inputs (CSV in ``data/``, derived by ``oferta synth derive-data`` from the files shipped with the
territories app):

- ``deprivation_rates.csv``: the survey IPM (ECV 2018) and its 15 deprivation rates by department
  and zone: they set each cell's indicator intercepts ``alpha_j``;
- ``municipal_targets.csv``: the census IPM 2018 of each of the 1,122 municipal units (total,
  cabecera, rural): the targets.

For each department x zone cell a reference sample (fixed seed, independent of the user's seed)
gives the person-weighted census-method incidence ``H(mu)`` on a grid of latent means ``mu``;
a municipality's ``mu`` per zone is read off that monotone table by interpolation.

Example
-------
>>> table = cell_table("05", "urban")
>>> mu = table.solve(0.126)  # Medellín's cabecera: 12.6 %
>>> abs(table.incidence(mu) - 0.126) < 0.01
True
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from statistics import NormalDist
from typing import Final

import numpy as np

from .composition import draw_members
from .model import (
    DEPENDENCY_PERCENT,
    INDICATORS,
    LOADINGS,
    POOR_UNITS,
    SIZE_LOADING,
    Composition,
    FloatArray,
    IntArray,
    project_feasible,
    score_units,
)

DATA_DIR: Final[Path] = Path(__file__).resolve().parent / "data"
DEPRIVATION_RATES_CSV: Final[Path] = DATA_DIR / "deprivation_rates.csv"
MUNICIPAL_TARGETS_CSV: Final[Path] = DATA_DIR / "municipal_targets.csv"
RATES_YEAR: Final[int] = 2018
"""Year of the ECV annex rates used (the census year)."""

ZONES: Final[tuple[str, str]] = ("urban", "rural")
MU_GRID: Final[FloatArray] = np.round(np.arange(-6.0, 8.0001, 0.1), 1)
REFERENCE_HOUSEHOLDS: Final[int] = 8000
_TABLE_SEED: Final[int] = 20_180_000
DEFAULT_URBAN_PERSON_SHARE: Final[float] = 0.6
"""Urban share of persons when the published zone figures cannot tell it."""


@dataclass(frozen=True, slots=True)
class MunicipalTarget:
    """Census IPM 2018 of one municipal unit (fractions, not percents; None when not published)."""

    municipality_code: str
    department_code: str
    total: float
    urban: float | None
    rural: float


@cache
def municipal_targets() -> dict[str, MunicipalTarget]:
    """All municipal targets by DIVIPOLA code (1,122 units of the 2018 geography)."""
    with MUNICIPAL_TARGETS_CSV.open(encoding="utf-8", newline="") as fh:
        return {
            r["municipality_code"]: MunicipalTarget(
                r["municipality_code"],
                r["department_code"],
                float(r["ipm_total"]) / 100,
                float(r["ipm_urban"]) / 100 if r["ipm_urban"] else None,
                float(r["ipm_rural"]) / 100,
            )
            for r in csv.DictReader(fh)
        }


@cache
def _rates() -> dict[tuple[str, str], dict[str, float]]:
    out: dict[tuple[str, str], dict[str, float]] = {}
    with DEPRIVATION_RATES_CSV.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            cell = out.setdefault((r["department_code"], r["zone"]), {})
            cell[r["indicator"]] = float(r["percent"]) / 100
    return out


def cell_rates(department: str, zone: str) -> dict[str, float]:
    """ECV 2018 rates (fractions) of a department x zone cell, plus the census dependency rate.

    A cell the annex does not publish (San Andrés rural) takes the department's other zone.

    >>> round(cell_rates("05", "rural")["illiteracy"], 3)
    0.2
    """
    rates = _rates()
    other = ZONES[1 - ZONES.index(zone)]
    cell = rates.get((department, zone)) or rates.get((department, other))
    if cell is None:
        raise ValueError(f"departamento desconocido: '{department}'")
    return {**cell, "high_economic_dependency": DEPENDENCY_PERCENT[zone] / 100}


def cell_mean_size(department: str, zone: str) -> float:
    """Expected household size of a cell: larger where the survey IPM is higher, and rural."""
    ipm = cell_rates(department, zone).get("ipm_survey", 0.2)
    return 2.75 + 1.2 * ipm + (0.25 if zone == "rural" else 0.0)


def size_score(size: IntArray, mean_size: FloatArray) -> FloatArray:
    """Standardised household size (Poisson scale) entering the latent factor."""
    return (size - mean_size) / np.sqrt(np.maximum(mean_size - 1.0, 0.5))


def latent(mu: FloatArray, size: IntArray, mean_size: FloatArray, noise: FloatArray) -> FloatArray:
    """The household latent factor ``z = mu + g * size_score + sqrt(1 - g**2) * noise``."""
    g = SIZE_LOADING
    return np.asarray(mu + g * size_score(size, mean_size) + math.sqrt(1 - g * g) * noise)


@dataclass(frozen=True, slots=True)
class CellTable:
    """Calibration of one department x zone cell."""

    department: str
    zone: str
    mean_size: float
    alpha: FloatArray
    grid: FloatArray
    incidence_grid: FloatArray

    def solve(self, target: float) -> float:
        """Latent mean whose person-weighted census incidence is ``target`` (a fraction)."""
        return float(np.interp(target, self.incidence_grid, self.grid))

    def incidence(self, mu: float) -> float:
        """Person-weighted incidence of the reference sample at latent mean ``mu``."""
        return float(np.interp(mu, self.grid, self.incidence_grid))


def _applicability(comp: Composition) -> FloatArray:
    app = np.ones(len(INDICATORS))
    app[2] = comp.has_6_16.mean()
    app[3] = comp.has_7_17.mean()
    app[4] = comp.has_0_5.mean()
    app[5] = comp.has_12_17.mean()
    return app


@cache
def cell_table(department: str, zone: str) -> CellTable:
    """The calibration table of a cell (cached; deterministic)."""
    rates = cell_rates(department, zone)
    mean_size = cell_mean_size(department, zone)
    rural = zone == "rural"
    rng = np.random.default_rng([_TABLE_SEED, int(department), int(rural)])
    n = REFERENCE_HOUSEHOLDS
    members = draw_members(rng, mean_size=np.full(n, mean_size), rural=np.full(n, rural))
    comp = members.composition
    q = np.array([rates.get(code, 0.0) for code in INDICATORS]) / _applicability(comp)
    q = np.clip(q, 0.002, 0.995)
    scale = np.sqrt(1.0 + LOADINGS**2)
    alpha = np.array([NormalDist().inv_cdf(float(p)) for p in q]) * scale
    noise = rng.standard_normal(n)
    eps = rng.standard_normal((n, len(INDICATORS)))
    base = latent(np.zeros(n), comp.size, np.full(n, mean_size), noise)
    incidence = np.empty(len(MU_GRID))
    weights = comp.size.astype(np.float64)
    step = 16
    for lo in range(0, len(MU_GRID), step):
        mus = MU_GRID[lo : lo + step]
        z = mus[:, None] + base[None, :]
        deprived = eps[None, :, :] + alpha + LOADINGS * z[:, :, None] > 0
        deprived = project_feasible(deprived, comp)
        poor = score_units(deprived) >= POOR_UNITS
        incidence[lo : lo + step] = (poor * weights).sum(axis=1) / weights.sum()
    incidence = np.maximum.accumulate(incidence)
    # Strictly increasing for interpolation (flat stretches at 0 or 1 only).
    incidence = incidence + np.arange(len(incidence)) * 1e-9
    return CellTable(department, zone, mean_size, alpha, MU_GRID, incidence)


def urban_person_share(target: MunicipalTarget) -> float:
    """Share of the municipality's persons in the cabecera, implied by the published figures.

    ``total = s * urban + (1 - s) * rural`` gives ``s``; when the two zones differ by less than
    3 points the figures cannot tell (rounding), and :data:`DEFAULT_URBAN_PERSON_SHARE` is used.
    Units without a cabecera (áreas no municipalizadas) are all rural.

    >>> urban_person_share(MunicipalTarget("05001", "05", 0.128, 0.126, 0.229))
    0.98
    """
    if target.urban is None:
        return 0.0
    gap = target.rural - target.urban
    if abs(gap) < 0.03:
        return DEFAULT_URBAN_PERSON_SHARE
    return float(np.clip((target.rural - target.total) / gap, 0.02, 0.98))


@dataclass(frozen=True, slots=True)
class MunicipalityPlan:
    """How many households of each zone to draw in a municipality, and their latent means."""

    municipality_code: str
    department_code: str
    urban_households: int
    rural_households: int
    urban_mu: float
    rural_mu: float


def _split(total: int, target: MunicipalTarget) -> tuple[int, int]:
    share = urban_person_share(target)
    if share <= 0.0:
        return 0, total
    dep = target.department_code
    per_u = share / cell_mean_size(dep, "urban")
    per_r = (1 - share) / cell_mean_size(dep, "rural")
    urban = round(total * per_u / (per_u + per_r))
    return urban, total - urban


def selected_municipalities(
    departments: Sequence[str] | None, municipalities: Sequence[str] | None = None
) -> list[MunicipalTarget]:
    """Municipal units of the given departments (all when None), sorted by code.

    ``municipalities`` (DIVIPOLA codes) narrows the selection further.
    """
    targets = municipal_targets()
    if municipalities is not None:
        unknown_m = sorted(set(municipalities) - set(targets))
        if unknown_m:
            raise ValueError(f"municipios desconocidos: {', '.join(unknown_m)}")
        chosen = selected_municipalities(departments)
        keep = set(municipalities)
        return [t for t in chosen if t.municipality_code in keep]
    if departments is None:
        return [targets[c] for c in sorted(targets)]
    wanted = {d.strip().zfill(2) for d in departments}
    known = {t.department_code for t in targets.values()}
    unknown = sorted(wanted - known)
    if unknown:
        raise ValueError(f"departamentos desconocidos: {', '.join(unknown)}")
    return [targets[c] for c in sorted(targets) if targets[c].department_code in wanted]


def plan_municipalities(
    *,
    households: int,
    departments: Sequence[str] | None = None,
    households_per_municipality: int | None = None,
    municipalities: Sequence[str] | None = None,
) -> list[MunicipalityPlan]:
    """Allocate households to municipalities and zones and solve their latent means.

    With ``households_per_municipality`` every selected municipality gets that many households;
    otherwise ``households`` are spread evenly (the shipped data carry no population counts),
    the remainder going to the first municipalities by code.
    """
    chosen = selected_municipalities(departments, municipalities)
    if not chosen:
        raise ValueError("no hay municipios para generar")
    if households_per_municipality is not None:
        counts = [households_per_municipality] * len(chosen)
    else:
        base, extra = divmod(households, len(chosen))
        counts = [base + (1 if i < extra else 0) for i in range(len(chosen))]
    plans = []
    for target, count in zip(chosen, counts, strict=True):
        urban, rural = _split(count, target)
        dep = target.department_code
        urban_mu = cell_table(dep, "urban").solve(target.urban) if target.urban is not None else 0.0
        rural_mu = cell_table(dep, "rural").solve(target.rural)
        plans.append(
            MunicipalityPlan(target.municipality_code, dep, urban, rural, urban_mu, rural_mu)
        )
    return plans
