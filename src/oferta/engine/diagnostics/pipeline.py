"""The whole diagnosis of a registry: deprivations, exact scores, monetary poverty, aggregates.

The input tables are materialised, the household table is computed in one pass over persons
(grouping on a 64-bit hash of the household id, checked afterwards and recomputed with text keys
if two ids could have been merged), then monetary status, quadrant and the Alkire-Foster
aggregates are computed from it.

Example
-------
>>> from oferta.engine.diagnostics.methods import METHODS
>>> # result = diagnose(households, persons, method=METHODS["dane-ecv-2018"],
>>> #                   lines=load_poverty_lines(), lines_year=2024, by=["municipality_code"])
>>> # result.summary["national"]["H"]
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

import polars as pl

from .aggregates import af_aggregates
from .indicators import PERSONS, deprived_column, hashed_keys_are_safe, household_frame
from .methods import DEFAULT_K, IpmMethod
from .monetary import QUADRANTS, quadrant_expr, with_monetary_status
from .scoring import score_households

NATION = "nation"

StageCallback = Callable[[str, float], None]
"""Called after each stage with its Spanish name and its duration in seconds."""


@dataclass(frozen=True)
class DiagnosisResult:
    """``households``: one row per household (materialised, exposed lazily); ``aggregates``:
    national row plus one row per group of each grouping (``grouping``, ``group``);
    ``summary``: JSON-ready figures."""

    households: pl.LazyFrame
    aggregates: pl.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)


def household_output_columns(method: IpmMethod) -> list[str]:
    """Columns of ``households.parquet``, in order."""
    return [
        "household_id",
        PERSONS,
        *(deprived_column(c) for c in method.codes),
        "score_units",
        "score",
        "poor",
        "income_per_capita",
        "monetary_status",
        "quadrant",
    ]


def aggregate_table(
    scored: pl.LazyFrame,
    *,
    method: IpmMethod,
    k: Fraction,
    by: Sequence[str] = (),
    weight: str | None = None,
) -> pl.DataFrame:
    """National aggregates plus those of each grouping column, stacked.

    ``grouping`` is ``"nation"`` or the column name; ``group`` its value as text (null for the
    nation).
    """
    parts = [
        af_aggregates(scored, method=method, k=k, weight=weight).select(
            pl.lit(NATION).alias("grouping"), pl.lit(None, pl.String).alias("group"), pl.all()
        )
    ]
    for column in by:
        part = af_aggregates(scored, method=method, k=k, by=[column], weight=weight)
        parts.append(
            part.select(
                pl.lit(column).alias("grouping"),
                pl.col(column).cast(pl.String).alias("group"),
                pl.all().exclude(column),
            )
        )
    return pl.concat(parts, how="vertical_relaxed")


def diagnose(
    households: pl.LazyFrame,
    persons: pl.LazyFrame,
    *,
    method: IpmMethod,
    k: Fraction = DEFAULT_K,
    lines: pl.DataFrame | None = None,
    lines_year: int | None = None,
    by: Sequence[str] = (),
    as_of: date | None = None,
    weight: str | None = None,
    on_stage: StageCallback | None = None,
) -> DiagnosisResult:
    """Diagnose a registry: IPM per household, monetary poverty, quadrant and aggregates.

    Parameters
    ----------
    households, persons
        Validated registry tables (contract v1).
    method, k
        IPM method and exact cutoff.
    lines, lines_year
        Poverty lines and the year to apply; without them the monetary columns are null.
    by
        Grouping columns for the aggregates besides the nation (any of
        :data:`~oferta.engine.diagnostics.aggregates.GROUPINGS`).
    as_of
        Reference date for ages (required when persons have ``birth_date`` but no ``age``).
    weight
        Optional household expansion-factor column.
    on_stage
        Progress callback ``(stage name, seconds)``.

    Returns
    -------
    DiagnosisResult
    """
    k = Fraction(k)
    timings: dict[str, float] = {}

    def stage(name: str, started: float) -> None:
        timings[name] = round(time.perf_counter() - started, 3)
        if on_stage is not None:
            on_stage(name, timings[name])

    keep = [c for c in ("monthly_income", weight) if c and c in households.collect_schema()]
    started = time.perf_counter()
    households_df = households.collect()
    persons_df = persons.collect()
    stage("lectura de tablas", started)

    started = time.perf_counter()
    frame = household_frame(
        households_df.lazy(),
        persons_df.lazy(),
        method=method,
        as_of=as_of,
        attributes=True,
        keep=keep,
        hashed_keys=True,
    ).collect()
    if not hashed_keys_are_safe(households_df, persons_df, frame):
        frame = household_frame(
            households_df.lazy(),
            persons_df.lazy(),
            method=method,
            as_of=as_of,
            attributes=True,
            keep=keep,
        ).collect()
    del persons_df
    scored = score_households(frame.lazy(), method=method, k=k)
    if lines is not None and lines_year is not None:
        scored = with_monetary_status(scored, lines=lines, year=lines_year)
    else:
        scored = scored.with_columns(
            pl.lit(None, pl.Float64).alias("income_per_capita"),
            pl.lit(None, pl.String).alias("monetary_status"),
        )
    table = scored.with_columns(quadrant_expr().alias("quadrant")).collect()
    stage("indicadores, puntajes y pobreza monetaria", started)

    started = time.perf_counter()
    aggregates = aggregate_table(table.lazy(), method=method, k=k, by=by, weight=weight)
    stage("agregados Alkire-Foster", started)

    national = aggregates.row(0, named=True)
    counts = table.select(
        pl.len().alias("households"),
        pl.col(PERSONS).sum().alias("persons"),
        pl.col("poor").sum().alias("poor_households"),
        pl.when(pl.col("poor")).then(pl.col(PERSONS)).otherwise(0).sum().alias("poor_persons"),
        pl.col("monetary_status").is_not_null().sum().alias("households_with_income"),
        *((pl.col("quadrant") == q).sum().alias(f"quadrant_{q}") for q in QUADRANTS),
    ).row(0, named=True)
    summary: dict[str, Any] = {
        "method": method.code,
        "method_name": method.name_es,
        "k": f"{k.numerator}/{k.denominator}",
        "k_decimal": float(k),
        "as_of": as_of.isoformat() if as_of else None,
        "lines_year": lines_year if lines is not None else None,
        "by": list(by),
        "counts": {key: int(v) for key, v in counts.items()},
        "national": {m: national[m] for m in ("H", "A", "M0")},
        "timings_seconds": timings,
    }
    return DiagnosisResult(households=table.lazy(), aggregates=aggregates, summary=summary)
