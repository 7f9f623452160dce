"""Bring a frame to the contract's columns: check required ones, add absent optional ones.

Example
-------
>>> import polars as pl
>>> conform_columns(pl.LazyFrame({"household_id": ["h1"]}), table="households", file="h.csv")
Traceback (most recent call last):
...
oferta.engine.contracts.errors.MissingColumnsError: Al archivo h.csv (households) le faltan ...
"""

from __future__ import annotations

from typing import Final, Literal

import polars as pl

from oferta.engine.contracts.errors import MissingColumnsError
from oferta.engine.contracts.registry_v1 import TABLES

TableName = Literal["households", "persons"]

ROW: Final[str] = "__row__"
"""The 1-based row number a user sees in the file (the header of a CSV or sheet is row 1)."""


def normalise_header(name: str) -> str:
    """Return a header cell as compared with the contract: trimmed, lower case, no BOM."""
    return name.replace("\ufeff", "").strip().lower()


def conform_columns(lf: pl.LazyFrame, *, table: TableName, file: str) -> pl.LazyFrame:
    """Select the contract's columns of ``table`` in contract order, plus ``__row__``.

    Headers are matched after trimming and lower-casing; extra columns are dropped (they may
    hold personal data the contract does not ask for); absent optional columns are added as
    nulls; without ``__row__`` the rows are numbered from 1.

    Raises
    ------
    MissingColumnsError
        When a required column is absent; it names ``file`` and the columns.

    Examples
    --------
    >>> lf = pl.LazyFrame({" Person_ID ": ["p1"]})
    >>> conform_columns(lf, table="persons", file="p.csv")
    Traceback (most recent call last):
    ...
    oferta.engine.contracts.errors.MissingColumnsError: Al archivo p.csv (persons) le faltan ...
    """
    columns = TABLES[table]
    present = {normalise_header(n): n for n in lf.collect_schema().names()}
    missing = tuple(c.name for c in columns.values() if c.required and c.name not in present)
    if missing:
        raise MissingColumnsError(file=file, table=table, columns=missing)
    if ROW not in present:
        lf = lf.with_row_index(ROW, offset=1)
        present[ROW] = ROW
    selected = [pl.col(present[ROW]).cast(pl.Int64).alias(ROW)]
    for name in columns:
        if name in present:
            selected.append(pl.col(present[name]).alias(name))
        else:
            selected.append(pl.lit(None, dtype=pl.String).alias(name))
    return lf.select(selected)
