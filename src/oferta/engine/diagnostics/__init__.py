"""Household diagnostics: DANE's IPM methods as data, exact scores, monetary poverty, Alkire-Foster.

Pure functions on Polars frames; see ``docs/ipm-method.md`` for the rules and their sources.

Example
-------
>>> from oferta.engine.diagnostics import METHODS, parse_k
>>> METHODS["dane-ecv-2018"].unit_denominator, parse_k("0.33")
(100, Fraction(33, 100))
"""

from __future__ import annotations

from .aggregates import GROUPINGS, af_aggregates
from .indicators import household_attributes, household_deprivations
from .methods import (
    DEFAULT_K,
    METHODS,
    Dimension,
    IndicatorSpec,
    IpmMethod,
    MethodOptions,
    parse_k,
)
from .monetary import load_poverty_lines, monetary_poverty, quadrant
from .pipeline import DiagnosisResult, aggregate_table, diagnose
from .scoring import score_households

__all__ = [
    "DEFAULT_K",
    "GROUPINGS",
    "METHODS",
    "DiagnosisResult",
    "Dimension",
    "IndicatorSpec",
    "IpmMethod",
    "MethodOptions",
    "af_aggregates",
    "aggregate_table",
    "diagnose",
    "household_attributes",
    "household_deprivations",
    "load_poverty_lines",
    "monetary_poverty",
    "parse_k",
    "quadrant",
    "score_households",
]
