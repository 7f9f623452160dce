"""The frames rules are evaluated on: one row per household with every rule variable, and one
row per person with the member fields.

Example
-------
>>> import polars as pl
>>> households = pl.LazyFrame({"household_id": ["h1"], "municipality_code": ["05001"],
...                            "zone": ["rural"], "sisben_group": ["B4"]})
>>> persons = pl.LazyFrame({"household_id": ["h1"], "person_id": ["p1"], "sex": ["female"],
...                         "relationship": ["head"], "age": [40]})
>>> diagnosis = pl.LazyFrame({"household_id": ["h1"], "score": [0.4], "poor": [True]})
>>> row = household_frame(households, persons, diagnosis).collect().row(0, named=True)
>>> row["department_code"], row["sisben_rank"], row["female_head"], row["deprived_illiteracy"]
('05', 9, True, False)
"""

from __future__ import annotations

from typing import Final

import polars as pl

from .variables import HOUSEHOLD_VARIABLES, IPM_INDICATORS, PERSON_FIELDS, SISBEN_GROUPS

__all__ = ["HOUSEHOLD_FRAME_COLUMNS", "PERSON_FRAME_COLUMNS", "household_frame", "person_frame"]

HOUSEHOLD_FRAME_COLUMNS: Final[tuple[str, ...]] = (
    "household_id",
    *(name for name in HOUSEHOLD_VARIABLES if name != "members"),
)
"""Columns of :func:`household_frame`, in order."""

PERSON_FRAME_COLUMNS: Final[tuple[str, ...]] = ("household_id", "person_id", *PERSON_FIELDS)
"""Columns of :func:`person_frame`, in order."""

_SISBEN_RANK: Final[dict[str, int]] = {group: i for i, group in enumerate(SISBEN_GROUPS, 1)}
_FROM_DIAGNOSIS: Final[dict[str, tuple[str, pl.DataType]]] = {
    "income_per_capita": ("income_per_capita", pl.Float64()),
    "monetary_status": ("monetary_status", pl.String()),
    "quadrant": ("quadrant", pl.String()),
    "ipm_score": ("score", pl.Float64()),
    "ipm_poor": ("poor", pl.Boolean()),
}


def _column_or_null(schema: pl.Schema, name: str, dtype: pl.DataType) -> pl.Expr:
    return pl.col(name) if name in schema else pl.lit(None, dtype=dtype).alias(name)


def household_frame(
    households: pl.LazyFrame, persons: pl.LazyFrame, diagnosis: pl.LazyFrame
) -> pl.LazyFrame:
    """Build the household frame: ``household_id`` and every household rule variable.

    Parameters
    ----------
    households, persons
        The typed registry tables (as :func:`~oferta.engine.contracts.validation.
        validate_registry` accepts them); persons need ``household_id``, ``sex`` and
        ``relationship``.
    diagnosis
        The household output of :func:`~oferta.engine.diagnostics.diagnose`:
        ``household_id``, ``deprived_*``, ``score``, ``poor`` and, when poverty lines were
        given, ``income_per_capita``, ``monetary_status``, ``quadrant``.

    Returns
    -------
    pl.LazyFrame
        One row per household of ``households`` (in its order) with
        :data:`HOUSEHOLD_FRAME_COLUMNS`: ``department_code`` is the first two digits of the
        municipality, ``sisben_rank`` the 1-based position of the group (null without group),
        ``programs`` an empty list when absent, ``household_size`` the number of persons,
        ``female_head`` whether a member with relationship ``head`` is female, and each
        ``deprived_<code>`` false when the diagnosis has no such indicator or value.

    Examples
    --------
    >>> households = pl.LazyFrame({"household_id": ["h1"], "municipality_code": ["27001"]})
    >>> persons = pl.LazyFrame(schema={"household_id": pl.String, "sex": pl.String,
    ...                                "relationship": pl.String})
    >>> diagnosis = pl.LazyFrame({"household_id": ["h1"]})
    >>> household_frame(households, persons, diagnosis).select(
    ...     "household_size", "female_head", "programs").collect().row(0)
    (0, False, [])
    """
    household_schema = households.collect_schema()
    diagnosis_schema = diagnosis.collect_schema()
    sizes = persons.group_by("household_id").agg(
        pl.len().cast(pl.Int64).alias("household_size"),
        (
            (pl.col("relationship").cast(pl.String) == "head")
            & (pl.col("sex").cast(pl.String) == "female")
        )
        .any()
        .alias("female_head"),
    )
    diagnosis_columns = [
        _column_or_null(diagnosis_schema, source, dtype).cast(dtype).alias(target)
        for target, (source, dtype) in _FROM_DIAGNOSIS.items()
    ]
    diagnosis_columns += [
        _column_or_null(diagnosis_schema, f"deprived_{code}", pl.Boolean())
        .fill_null(False)
        .alias(f"deprived_{code}")
        for code in IPM_INDICATORS
    ]
    municipality = _column_or_null(household_schema, "municipality_code", pl.String()).cast(
        pl.String
    )
    group = _column_or_null(household_schema, "sisben_group", pl.String()).cast(pl.String)
    programs = _column_or_null(household_schema, "programs", pl.List(pl.String()))
    return (
        households.select(
            "household_id",
            municipality.alias("municipality_code"),
            municipality.str.slice(0, 2).alias("department_code"),
            _column_or_null(household_schema, "zone", pl.String()).alias("zone"),
            group.alias("sisben_group"),
            group.replace_strict(_SISBEN_RANK, default=None, return_dtype=pl.Int64).alias(
                "sisben_rank"
            ),
            programs.fill_null(pl.lit([], dtype=pl.List(pl.String()))).alias("programs"),
            _column_or_null(household_schema, "accompaniment", pl.Boolean()).alias("accompaniment"),
        )
        .join(
            diagnosis.select("household_id", *diagnosis_columns),
            on="household_id",
            how="left",
            maintain_order="left",
        )
        .join(sizes, on="household_id", how="left", maintain_order="left")
        .with_columns(
            pl.col("household_size").fill_null(0),
            pl.col("female_head").fill_null(False),
            *(pl.col(f"deprived_{code}").fill_null(False) for code in IPM_INDICATORS),
        )
        .select(HOUSEHOLD_FRAME_COLUMNS)
    )


def person_frame(persons: pl.LazyFrame) -> pl.LazyFrame:
    """Build the person frame: ``household_id``, ``person_id`` and every member field.

    ``age`` is the registry's ``age`` (computed by validation at the reference date) and
    ``is_head`` whether ``relationship`` is ``head``; absent optional columns are null.

    Examples
    --------
    >>> persons = pl.LazyFrame({"household_id": ["h1"], "person_id": ["p1"], "age": [9],
    ...                         "relationship": ["child"]})
    >>> person_frame(persons).select("age", "is_head", "victim").collect().row(0)
    (9, False, None)
    """
    schema = persons.collect_schema()
    columns: list[pl.Expr] = [pl.col("household_id"), pl.col("person_id")]
    for name, variable in PERSON_FIELDS.items():
        if name == "is_head":
            columns.append(
                (pl.col("relationship").cast(pl.String) == "head").alias("is_head")
                if "relationship" in schema
                else pl.lit(None, pl.Boolean).alias("is_head")
            )
            continue
        dtype = {"int": pl.Int16(), "bool": pl.Boolean()}.get(variable.cel_type, pl.String())
        columns.append(_column_or_null(schema, name, dtype))
    return persons.select(columns)
