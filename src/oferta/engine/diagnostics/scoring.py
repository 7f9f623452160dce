"""Exact deprivation scores and identification (poor when score >= k) in integer arithmetic.

Weights are fractions; every score is an integer number of ``1 / unit_denominator`` units (100
for DANE's methods: hundredths), and ``score >= k`` is tested as
``score_units * k.denominator >= k.numerator * unit_denominator``, so a score of exactly 0.33 is
poor at k = 0.33 and not at k = 1/3, with no float drift.

Example
-------
>>> import polars as pl
>>> from fractions import Fraction
>>> from oferta.engine.diagnostics.methods import METHODS
>>> m = METHODS["dane-ecv-2018"]
>>> row = {f"deprived_{c}": False for c in m.codes}
>>> for c in ("illiteracy", "informal_work", "school_lag", "inadequate_floors", "inadequate_walls"):
...     row[f"deprived_{c}"] = True
>>> frame = pl.LazyFrame([{"household_id": "h1", **row}])
>>> scored = score_households(frame, method=m, k=Fraction("0.33")).collect()
>>> scored.select("score_units", "poor").row(0)
(33, True)
>>> score_households(frame, method=m, k=Fraction(1, 3)).collect()["poor"].item()
False
"""

from __future__ import annotations

from fractions import Fraction

import polars as pl

from .indicators import deprived_column
from .methods import IpmMethod


def score_units_expr(method: IpmMethod) -> pl.Expr:
    """The exact score as an integer number of ``1 / method.unit_denominator`` units."""
    units = method.weight_units()
    return pl.sum_horizontal(
        [
            pl.when(pl.col(deprived_column(code))).then(pl.lit(u, pl.Int32)).otherwise(0)
            for code, u in units.items()
        ]
    ).cast(pl.Int32)


def poor_expr(units: pl.Expr, *, method: IpmMethod, k: Fraction) -> pl.Expr:
    """``score >= k`` exactly, given the score in units."""
    return units.cast(pl.Int64) * k.denominator >= k.numerator * method.unit_denominator


def score_households(deprivations: pl.LazyFrame, *, method: IpmMethod, k: Fraction) -> pl.LazyFrame:
    """Add ``score_units`` (Int32, exact), ``score`` (Float64, for display) and ``poor``.

    Parameters
    ----------
    deprivations
        A frame with one Boolean ``deprived_<code>`` column per indicator of ``method``.
    method
        The IPM method (its weights).
    k
        Poverty cutoff as an exact fraction (see
        :func:`~oferta.engine.diagnostics.methods.parse_k`).

    Returns
    -------
    pl.LazyFrame
        The input plus ``score_units``, ``score`` and ``poor``.

    Example
    -------
    See the module docstring.
    """
    k = Fraction(k)
    units = score_units_expr(method)
    return deprivations.with_columns(units.alias("score_units")).with_columns(
        (pl.col("score_units").cast(pl.Float64) / method.unit_denominator).alias("score"),
        poor_expr(pl.col("score_units"), method=method, k=k).alias("poor"),
    )
