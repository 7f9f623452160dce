"""Read a registry table from CSV, Parquet or XLSX into a lazy frame ready for validation.

CSV and XLSX columns are read as text so nothing is lost before validation; Parquet keeps
its types (validation applies the same rules to typed columns). Every frame gets
``__row__``, the row number a user sees: in CSV and XLSX the header is row 1, so the first
data row is 2; in Parquet the first row is 1. Fully empty rows are skipped without
renumbering the others.

Example
-------
>>> from pathlib import Path
>>> lf = scan_table(Path("hogares.csv"), "households")  # doctest: +SKIP
>>> lf.select("__row__", "household_id").head(1).collect()  # doctest: +SKIP
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Final

import fastexcel
import polars as pl

from oferta.engine.contracts.conform import ROW, TableName, conform_columns
from oferta.engine.contracts.errors import EmptyFileError, NotUtf8Error, UnsupportedFormatError

SHEET_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "households": ("households", "hogares"),
    "persons": ("persons", "personas"),
}
"""Sheet names (case-insensitive) taken for a table before falling back to the first sheet."""

_SNIFF_BYTES: Final[int] = 64 * 1024


def scan_table(path: Path, table: TableName, *, drop_empty_rows: bool = True) -> pl.LazyFrame:
    """Scan one registry table from ``path`` (``.csv``, ``.parquet`` or ``.xlsx``).

    Parameters
    ----------
    path
        The file. CSV: ``,`` or ``;`` separated (sniffed from the header), UTF-8 with or
        without BOM. XLSX: the sheet named like the table (``households``/``hogares``,
        ``persons``/``personas``), else the first sheet; header in row 1.
    table
        ``"households"`` or ``"persons"``.
    drop_empty_rows
        Skip fully empty rows (default). ``validate_registry(..., drop_empty_rows=True)``
        skips the same rows from the cells it parses anyway, without this separate pass.

    Returns
    -------
    pl.LazyFrame
        ``__row__`` (Int64) and the contract's columns in contract order (text for CSV and
        XLSX; Parquet types kept). Extra columns are dropped; absent optional ones are null.

    Raises
    ------
    MissingColumnsError
        A required column is absent (names the file and the columns).
    UnsupportedFormatError, EmptyFileError, NotUtf8Error
        The file cannot be read as a table at all.

    Examples
    --------
    >>> scan_table(Path("personas.csv"), "persons").collect()  # doctest: +SKIP
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        lf = _scan_csv(path)
        first_row = 2
    elif suffix == ".parquet":
        lf = pl.scan_parquet(path)
        first_row = 1
    elif suffix == ".xlsx":
        lf = _read_xlsx(path, table)
        first_row = 2
    else:
        raise UnsupportedFormatError(file=path.name)
    lf = conform_columns(lf.with_row_index(ROW, offset=first_row), table=table, file=path.name)
    return _drop_empty_rows(lf) if drop_empty_rows else lf


def sniff_separator(path: Path) -> str:
    """Return ``;`` or ``,``: whichever appears more often in the header line.

    Raises ``EmptyFileError`` for a file without a header and ``NotUtf8Error`` when the first
    bytes are not UTF-8.
    """
    with path.open("rb") as f:
        head = f.read(_SNIFF_BYTES)
    try:
        # An incremental decoder tolerates a character cut at the end of the sample.
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError as exc:
        raise NotUtf8Error(file=path.name) from exc
    header = text.splitlines()[0] if text.strip() else ""
    if not header.strip():
        raise EmptyFileError(file=path.name)
    return ";" if header.count(";") > header.count(",") else ","


def _scan_csv(path: Path) -> pl.LazyFrame:
    return pl.scan_csv(
        path,
        separator=sniff_separator(path),
        infer_schema=False,
        encoding="utf8",
        truncate_ragged_lines=True,
    )


def _read_xlsx(path: Path, table: TableName) -> pl.LazyFrame:
    names = fastexcel.read_excel(str(path)).sheet_names
    wanted = SHEET_ALIASES[table]
    sheet = next((n for n in names if n.strip().lower() in wanted), names[0] if names else None)
    if sheet is None:
        raise EmptyFileError(file=path.name)
    df = pl.read_excel(
        path,
        sheet_name=sheet,
        engine="calamine",
        infer_schema_length=0,
        drop_empty_rows=False,
        raise_if_empty=False,
    )
    if df.width == 0:
        raise EmptyFileError(file=path.name)
    return df.lazy()


def _drop_empty_rows(lf: pl.LazyFrame) -> pl.LazyFrame:
    schema = lf.collect_schema()
    blank = [
        (pl.col(n).str.strip_chars() == "") | pl.col(n).is_null()
        if schema[n] == pl.String
        else pl.col(n).is_null()
        for n in schema.names()
        if n != ROW
    ]
    return lf.filter(~pl.all_horizontal(blank))
