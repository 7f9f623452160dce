"""Alkire-Foster aggregates (H, A, M0, headcount ratios, contributions) for any grouping.

Person-weighted: each household counts ``persons`` times (times an optional expansion factor).
Identification uses the exact integer score (``score_units``) and ``k`` as a fraction, and,
without an expansion factor, every sum is an integer: the ratios are computed from exact
integer numerators and denominators (one rounding, at the final division).

Notation (OPHI WP 86, ch. 5): n_i person weight, g_ij deprivation, w_j weight, c_i score,
rho_i = [c_i >= k]. H = sum n rho / N; A = sum n c rho / sum n rho; M0 = H A; uncensored
h_j = sum n g_j / N; censored hc_j = sum n g_j rho / N; contribution of j = w_j hc_j / M0.

Example
-------
>>> import polars as pl
>>> from fractions import Fraction
>>> from oferta.engine.diagnostics.methods import METHODS
>>> from oferta.engine.diagnostics.scoring import score_households
>>> m = METHODS["dane-ecv-2018"]
>>> rows = [{"household_id": h, "persons": n, **{f"deprived_{c}": d for c in m.codes}}
...         for h, n, d in (("h1", 3, True), ("h2", 1, False))]
>>> scored = score_households(pl.LazyFrame(rows), method=m, k=Fraction("0.33"))
>>> af_aggregates(scored, method=m, k=Fraction("0.33")).select("persons", "H", "A", "M0").row(0)
(4, 0.75, 1.0, 0.75)
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import polars as pl

from .indicators import PERSONS, deprived_column
from .methods import IpmMethod
from .scoring import poor_expr, score_units_expr

GROUPINGS: tuple[str, ...] = (
    "department_code",
    "municipality_code",
    "zone",
    "head_sex",
    "head_ethnicity",
    "any_disability",
    "any_victim",
)
"""Household attributes the aggregates can be grouped by (see ``household_attributes``)."""


def _ratio(num: str, den: str, scale: int = 1) -> pl.Expr:
    """num / (den * scale) as Float64, null when the denominator is 0."""
    return (
        pl.when(pl.col(den) > 0)
        .then(pl.col(num).cast(pl.Float64) / (pl.col(den).cast(pl.Float64) * scale))
        .otherwise(None)
    )


def af_aggregates(
    scored: pl.LazyFrame,
    *,
    method: IpmMethod,
    k: Fraction,
    by: Sequence[str] = (),
    weight: str | None = None,
) -> pl.DataFrame:
    """Alkire-Foster aggregates per group, person-weighted.

    Parameters
    ----------
    scored
        One row per household with ``persons`` and the ``deprived_<code>`` columns of
        ``method`` (``score_units`` is used when present, else recomputed), plus the ``by``
        columns and the ``weight`` column if given.
    method
        The IPM method (weights, dimensions).
    k
        Poverty cutoff (exact fraction). Identification is recomputed from the exact score, so
        the aggregates never disagree with ``k``.
    by
        Grouping columns; empty for the national figure (one row).
    weight
        Optional expansion-factor column (households); person weight = ``persons * weight``.

    Returns
    -------
    pl.DataFrame
        The ``by`` columns, ``households`` (count, or sum of the expansion factor), ``persons``
        (sum of person weights), ``poor_persons``, ``H``, ``A`` (null without poor), ``M0``,
        ``h_<code>`` (uncensored), ``hc_<code>`` (censored), ``contrib_<code>`` and
        ``contrib_dim_<dimension>`` (null where M0 = 0; they sum to 1 otherwise). Ratios are
        fractions of 1, not percentages. Sorted by ``by``.

    Example
    -------
    See the module docstring.
    """
    k = Fraction(k)
    d = method.unit_denominator
    units = method.weight_units()
    names = scored.collect_schema().names()
    score = pl.col("score_units") if "score_units" in names else score_units_expr(method)
    n = pl.col(PERSONS).cast(pl.Int64)
    if weight is not None:
        n = n.cast(pl.Float64) * pl.col(weight).cast(pl.Float64)
    rho = poor_expr(score, method=method, k=k)
    zero = pl.lit(0.0) if weight is not None else pl.lit(0, pl.Int64)

    sums: list[pl.Expr] = [
        (pl.col(weight).cast(pl.Float64).sum() if weight else pl.len().cast(pl.Int64)).alias(
            "households"
        ),
        n.sum().alias(PERSONS),
        pl.when(rho).then(n).otherwise(zero).sum().alias("poor_persons"),
        pl.when(rho).then(n * score.cast(pl.Int64)).otherwise(zero).sum().alias("__score_poor"),
    ]
    for code in method.codes:
        g = pl.col(deprived_column(code))
        sums.append(pl.when(g).then(n).otherwise(zero).sum().alias(f"__g_{code}"))
        sums.append(pl.when(g & rho).then(n).otherwise(zero).sum().alias(f"__gk_{code}"))

    frame = scored.group_by(list(by)).agg(sums).sort(list(by)) if by else scored.select(sums)

    ratios: list[pl.Expr] = [
        _ratio("poor_persons", PERSONS).alias("H"),
        _ratio("__score_poor", "poor_persons", d).alias("A"),
        _ratio("__score_poor", PERSONS, d).alias("M0"),
    ]
    ratios += [_ratio(f"__g_{c}", PERSONS).alias(f"h_{c}") for c in method.codes]
    ratios += [_ratio(f"__gk_{c}", PERSONS).alias(f"hc_{c}") for c in method.codes]
    # contribution_j = w_j hc_j / M0 = units_j * sum(n g_j rho) / sum(n rho score_units)
    for c in method.codes:
        ratios.append(
            _ratio_expr(pl.col(f"__gk_{c}") * units[c], pl.col("__score_poor")).alias(
                f"contrib_{c}"
            )
        )
    for dim in method.dimensions:
        members = [i.code for i in method.indicators if i.dimension == dim.code]
        numerator = pl.sum_horizontal([pl.col(f"__gk_{c}") * units[c] for c in members])
        ratios.append(
            _ratio_expr(numerator, pl.col("__score_poor")).alias(f"contrib_dim_{dim.code}")
        )
    return (
        frame.with_columns(ratios)
        .select(
            [
                *by,
                "households",
                PERSONS,
                "poor_persons",
                "H",
                "A",
                "M0",
                *(f"h_{c}" for c in method.codes),
                *(f"hc_{c}" for c in method.codes),
                *(f"contrib_{c}" for c in method.codes),
                *(f"contrib_dim_{dim.code}" for dim in method.dimensions),
            ]
        )
        .collect()
    )


def _ratio_expr(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    return pl.when(den > 0).then(num.cast(pl.Float64) / den.cast(pl.Float64)).otherwise(None)
