"""Monetary poverty per household against DANE's poverty lines, and the combined quadrant.

A household is in extreme monetary poverty when its per-capita income is below the extreme line
(the cost of a basic food basket), poor when below the poverty line, otherwise not poor (DANE,
GEIH). Lines are per department (first two digits of the DIVIPOLA municipality code) for a year,
falling back to the national line (``department_code = "CO"``). Comparisons are made as
``income < line * persons`` so no per-capita rounding decides a boundary case.

Example
-------
>>> import polars as pl
>>> lines = pl.DataFrame({"department_code": ["CO"], "year": [2024], "poverty_line": [460198],
...     "extreme_poverty_line": [227220], "source": ["DANE"]})
>>> hh = pl.LazyFrame({"household_id": ["h1", "h2"], "municipality_code": ["05001", "11001"],
...     "monthly_income": [600_000.0, None]})
>>> n = pl.LazyFrame({"household_id": ["h1", "h2"], "persons": [2, 3]})
>>> monetary_poverty(hh, n, lines=lines, year=2024).collect()["monetary_status"].to_list()
['poor', None]
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import polars as pl

NATIONAL: Final[str] = "CO"
EXTREME_POOR: Final[str] = "extreme_poor"
POOR: Final[str] = "poor"
NOT_POOR: Final[str] = "not_poor"
QUADRANTS: Final[tuple[str, ...]] = ("both", "only_monetary", "only_multidimensional", "neither")

POVERTY_LINES_CSV: Final[Path] = Path(__file__).resolve().parent / "data" / "poverty_lines.csv"
LINES_SCHEMA: Final[dict[str, pl.DataType]] = {
    "department_code": pl.String(),
    "year": pl.Int32(),
    "poverty_line": pl.Int64(),
    "extreme_poverty_line": pl.Int64(),
    "source": pl.String(),
}


def load_poverty_lines(path: Path | str | None = None) -> pl.DataFrame:
    """DANE's per-capita monthly poverty lines (COP) shipped with the engine.

    Columns: ``department_code`` (``"CO"`` is the nation), ``year``, ``poverty_line``,
    ``extreme_poverty_line``, ``source`` (DANE publication and release).

    Example
    -------
    >>> lines = load_poverty_lines()
    >>> national = lines.filter(pl.col("department_code") == "CO", pl.col("year") == 2024)
    >>> national["poverty_line"].item()
    460198
    """
    return pl.read_csv(path or POVERTY_LINES_CSV, schema=LINES_SCHEMA)


def lines_for_year(lines: pl.DataFrame, year: int) -> tuple[int, int, pl.DataFrame]:
    """(national poverty line, national extreme line, departmental lines) of ``year``.

    Raises
    ------
    ValueError
        No national line for that year.
    """
    of_year = lines.filter(pl.col("year") == year)
    national = of_year.filter(pl.col("department_code") == NATIONAL)
    if national.height != 1:
        years = sorted(lines.filter(pl.col("department_code") == NATIONAL)["year"].unique())
        raise ValueError(
            f"no hay línea de pobreza nacional para {year}; años disponibles: "
            + ", ".join(str(y) for y in years)
        )
    departments = of_year.filter(pl.col("department_code") != NATIONAL).select(
        "department_code",
        pl.col("poverty_line").alias("__lp"),
        pl.col("extreme_poverty_line").alias("__lpe"),
    )
    return (
        int(national["poverty_line"].item()),
        int(national["extreme_poverty_line"].item()),
        departments,
    )


def monetary_poverty(
    households: pl.LazyFrame,
    persons_count: pl.LazyFrame,
    *,
    lines: pl.DataFrame,
    year: int,
) -> pl.LazyFrame:
    """Per-capita income and monetary status of each household.

    Parameters
    ----------
    households
        ``household_id``, ``municipality_code`` and (optional column, nullable)
        ``monthly_income``: total household income, COP per month.
    persons_count
        ``household_id``, ``persons`` (number of members).
    lines
        Poverty lines (see :func:`load_poverty_lines`).
    year
        Year of the lines to apply.

    Returns
    -------
    pl.LazyFrame
        ``household_id``, ``income_per_capita`` (Float64), ``poverty_line``,
        ``extreme_poverty_line`` (the lines applied) and ``monetary_status``
        (``extreme_poor`` / ``poor`` / ``not_poor``; null when income is unknown or the
        household has no members).

    Example
    -------
    See the module docstring.
    """
    names = households.collect_schema().names()
    income = "monthly_income" if "monthly_income" in names else None
    base = households.select(
        "household_id", "municipality_code", *([income] if income else [])
    ).join(persons_count.select("household_id", "persons"), on="household_id", how="left")
    return with_monetary_status(base, lines=lines, year=year).select(
        "household_id",
        "income_per_capita",
        "poverty_line",
        "extreme_poverty_line",
        "monetary_status",
    )


def with_monetary_status(frame: pl.LazyFrame, *, lines: pl.DataFrame, year: int) -> pl.LazyFrame:
    """Add the monetary columns to a frame holding ``municipality_code``, ``persons`` and
    (optionally) ``monthly_income``: the one-pass form of :func:`monetary_poverty`."""
    lp, lpe, departments = lines_for_year(lines, year)
    income = (
        pl.col("monthly_income").cast(pl.Float64)
        if "monthly_income" in frame.collect_schema().names()
        else pl.lit(None, pl.Float64)
    )
    department = pl.col("municipality_code").str.slice(0, 2)
    codes = departments["department_code"].to_list()
    poverty_line = department.replace_strict(
        codes, departments["__lp"].to_list(), default=lp, return_dtype=pl.Int64
    )
    extreme_line = department.replace_strict(
        codes, departments["__lpe"].to_list(), default=lpe, return_dtype=pl.Int64
    )
    persons = pl.col("persons").fill_null(0).cast(pl.Int64)
    known = income.is_not_null() & (persons > 0)
    status = (
        pl.when(~known)
        .then(pl.lit(None, pl.String))
        .when(income < pl.col("extreme_poverty_line") * persons)
        .then(pl.lit(EXTREME_POOR))
        .when(income < pl.col("poverty_line") * persons)
        .then(pl.lit(POOR))
        .otherwise(pl.lit(NOT_POOR))
    )
    return frame.with_columns(
        poverty_line.alias("poverty_line"),
        extreme_line.alias("extreme_poverty_line"),
        pl.when(known).then(income / persons).otherwise(None).alias("income_per_capita"),
    ).with_columns(status.alias("monetary_status"))


def quadrant_expr(poor: str = "poor", monetary_status: str = "monetary_status") -> pl.Expr:
    """Quadrant: both, only_monetary, only_multidimensional, neither (null without income)."""
    monetary_poor = pl.col(monetary_status).is_in([POOR, EXTREME_POOR])
    multi = pl.col(poor)
    return (
        pl.when(pl.col(monetary_status).is_null())
        .then(pl.lit(None, pl.String))
        .when(monetary_poor & multi)
        .then(pl.lit("both"))
        .when(monetary_poor)
        .then(pl.lit("only_monetary"))
        .when(multi)
        .then(pl.lit("only_multidimensional"))
        .otherwise(pl.lit("neither"))
    )


def quadrant(
    frame: pl.LazyFrame, *, poor: str = "poor", monetary_status: str = "monetary_status"
) -> pl.LazyFrame:
    """Add the ``quadrant`` column combining multidimensional and monetary poverty.

    Example
    -------
    >>> import polars as pl
    >>> f = pl.LazyFrame({"poor": [True, False, True, False],
    ...     "monetary_status": ["extreme_poor", "poor", "not_poor", None]})
    >>> quadrant(f).collect()["quadrant"].to_list()
    ['both', 'only_monetary', 'only_multidimensional', None]
    """
    return frame.with_columns(quadrant_expr(poor, monetary_status).alias("quadrant"))
