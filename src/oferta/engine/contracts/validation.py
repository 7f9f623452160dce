"""Validate a registry (households + persons) against contract v1, with row-level rejects.

Every cell is parsed with vectorised Polars expressions into a typed value and, when it
breaks a rule, a rule code; cross-row rules (duplicate ids, a person's household, ages, a
household without persons) follow on whole columns. A row with any problem is rejected and
appears in ``rejects`` once per problem; ``counts`` always reconcile (read = accepted +
rejected).

Example
-------
>>> from datetime import date
>>> result = validate_registry(households, persons, as_of=date(2025, 1, 1))  # doctest: +SKIP
>>> result.counts["persons"].read == result.counts["persons"].accepted + (
...     result.counts["persons"].rejected)  # doctest: +SKIP
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

import polars as pl
from polars.expr.whenthen import ChainedThen, Then

from oferta.engine.contracts import messages as m
from oferta.engine.contracts.conform import ROW, TableName, conform_columns
from oferta.engine.contracts.registry_v1 import (
    BOOL_FALSE,
    BOOL_TRUE,
    CODE_LIST_SEPARATOR,
    EARLY_CHILDHOOD_AGES,
    EARLY_CHILDHOOD_COLUMNS,
    MAX_AGE_YEARS,
    MUNICIPALITY_CODE_DIGITS,
    PERSON_HOUSEHOLD_KEY,
    REQUIRED_WHEN,
    TABLE_KEYS,
    TABLES,
    Column,
)

RULE_DTYPE: Final = pl.Enum(m.RULES)
MUNICIPALITY_COLUMN: Final[str] = "municipality_code"
AGE: Final[str] = "age"
HEAD: Final[str] = "head"

REJECTS_SCHEMA: Final = pl.Schema(
    {
        "file": pl.String,
        "row": pl.Int64,
        "column": pl.String,
        "rule": pl.String,
        "message": pl.String,
        "value": pl.String,
    }
)
"""Schema of ``rejects`` and ``warnings``; ``value`` is null for personal columns."""

REJECTS_HEADERS_ES: Final[dict[str, str]] = {
    "file": "archivo",
    "row": "fila",
    "column": "columna",
    "rule": "regla",
    "message": "mensaje",
    "value": "valor",
}

_DATE_PATTERN: Final = r"^\d{4}-\d{2}-\d{2}([ T]00:00:00(\.0+)?)?$"
_INT_PATTERN: Final = r"^[+-]?\d+(\.0*)?$"


def _err(name: str) -> str:
    return f"__err__{name}"


def _raw(name: str) -> str:
    return f"__raw__{name}"


def _int_dtype(col: Column) -> pl.DataType:
    if col.min is not None and col.max is not None and -(2**15) <= col.min <= col.max < 2**15:
        return pl.Int16()
    return pl.Int32()


def value_dtype(col: Column) -> pl.DataType:
    """Return the Polars type of ``col`` in the accepted (typed) frames.

    Examples
    --------
    >>> value_dtype(TABLES["households"]["sleeping_rooms"])
    Int16
    """
    match col.kind:
        case "int":
            return _int_dtype(col)
        case "float":
            return pl.Float64()
        case "bool":
            return pl.Boolean()
        case "date":
            return pl.Date()
        case "code_list":
            return pl.List(pl.String())
        case "code" if col.codes:
            return pl.Enum(col.codes)
        case _:
            return pl.String()


def output_schema(table: TableName) -> pl.Schema:
    """Return the schema of the accepted frame of ``table`` (persons also get ``age``).

    Examples
    --------
    >>> output_schema("persons")["age"]
    Int16
    """
    schema = {name: value_dtype(col) for name, col in TABLES[table].items()}
    if table == "persons":
        schema[AGE] = pl.Int16()
    return pl.Schema(schema)


@dataclass(frozen=True, slots=True)
class TableCounts:
    """Row counts of one table: ``read == accepted + rejected`` always.

    ``with_errors`` is the number of rows with at least one problem of their own; it equals
    ``rejected`` except in a failed strict validation, where every row is rejected.
    """

    read: int
    accepted: int
    rejected: int
    with_errors: int


@dataclass(frozen=True, slots=True)
class RegistryValidation:
    """The outcome of :func:`validate_registry`.

    ``households``/``persons`` hold the accepted rows, typed (see :func:`output_schema`);
    ``rejects`` one row per problem (schema ``REJECTS_SCHEMA``); ``warnings`` the same shape
    for facts that do not reject a row; ``counts`` per table.
    """

    households: pl.DataFrame
    persons: pl.DataFrame
    rejects: pl.DataFrame
    warnings: pl.DataFrame
    counts: Mapping[str, TableCounts]
    strict: bool
    strict_failed: bool


# --- cell parsing -------------------------------------------------------------------------


def _rule(code: str) -> pl.Expr:
    return pl.lit(code, dtype=RULE_DTYPE)


def _txt(name: str) -> str:
    return f"__txt__{name}"


def _val(name: str) -> str:
    return f"__val__{name}"


def _is_typed(col: Column, dtype: pl.DataType) -> bool:
    """Whether a typed (Parquet) column is validated as is instead of as text."""
    match col.kind:
        case "int":
            return dtype.is_integer() or dtype.is_float()
        case "float":
            return dtype.is_numeric()
        case "bool":
            return dtype == pl.Boolean
        case "date":
            return dtype == pl.Date
        case "code_list":
            return isinstance(dtype, pl.List)
        case _:
            return False


def _text(name: str) -> pl.Expr:
    """The cell as trimmed text, null when empty."""
    s = pl.col(name).cast(pl.String).str.strip_chars()
    return pl.when(s != "").then(s)


def _value(col: Column, dtype: pl.DataType) -> pl.Expr:
    """The typed value of a cell before range checks (null when missing or malformed).

    Text columns read ``__txt__<name>``; typed ones read the column itself.
    """
    typed, text = pl.col(col.name), pl.col(_txt(col.name))
    match col.kind:
        case "id" | "text":
            return text
        case "code" if col.codes:
            return text.str.to_lowercase().replace_strict(
                [c.lower() for c in col.codes],
                list(col.codes),
                default=None,
                return_dtype=pl.Enum(col.codes),
            )
        case "code":  # DIVIPOLA municipality: digits as text
            return text
        case "code_list":
            items = (
                typed.cast(pl.List(pl.String))
                if _is_typed(col, dtype)
                else text.str.split(CODE_LIST_SEPARATOR)
            )
            return items.list.eval(
                pl.element().str.strip_chars().filter(pl.element().str.strip_chars() != "")
            )
        case "int" if dtype.is_integer():
            return typed.cast(pl.Int64)
        case "int" if dtype.is_float():
            integral = typed.is_finite() & (typed == typed.round(0))
            return pl.when(integral).then(typed).cast(pl.Int64, strict=False)
        case "int":
            whole = pl.when(text.str.contains(_INT_PATTERN)).then(text.str.replace(r"\.0*$", ""))
            return whole.cast(pl.Int64, strict=False)
        case "float":
            number = (
                typed.cast(pl.Float64)
                if _is_typed(col, dtype)
                else text.cast(pl.Float64, strict=False)
            )
            return pl.when(number.is_finite()).then(number)
        case "bool" if dtype == pl.Boolean:
            return typed
        case "bool":
            return text.str.to_lowercase().replace_strict(
                [*BOOL_TRUE, *BOOL_FALSE],
                [True] * len(BOOL_TRUE) + [False] * len(BOOL_FALSE),
                default=None,
                return_dtype=pl.Boolean,
            )
        case "date" if dtype == pl.Date:
            return typed
        case _:  # date as text
            return (
                pl.when(text.str.contains(_DATE_PATTERN))
                .then(text.str.slice(0, 10))
                .str.strptime(pl.Date, "%Y-%m-%d", strict=False)
            )


_MALFORMED: Final[dict[str, str]] = {
    "int": m.NOT_INTEGER,
    "float": m.NOT_NUMBER,
    "bool": m.NOT_BOOLEAN,
    "date": m.NOT_DATE,
    "code": m.UNKNOWN_CODE,
}


def _error(col: Column, dtype: pl.DataType, known: frozenset[str] | None) -> pl.Expr:
    """The rule a cell breaks (or null), from ``__txt__``/``__val__`` of its column."""
    name = col.name
    given = pl.col(name) if _is_typed(col, dtype) else pl.col(_txt(name))
    value = pl.col(_val(name))
    missing_rule = _rule(m.REQUIRED) if col.required else pl.lit(None, dtype=RULE_DTYPE)
    chain: Then | ChainedThen = pl.when(given.is_null()).then(missing_rule)
    if col.kind == "code" and not col.codes:
        well_formed = given.str.contains(rf"^\d{{{MUNICIPALITY_CODE_DIGITS}}}$")
        chain = chain.when(~well_formed).then(_rule(m.INVALID_MUNICIPALITY))
        if known is not None:
            chain = chain.when(~given.is_in(sorted(known))).then(_rule(m.UNKNOWN_MUNICIPALITY))
        return chain
    if col.kind not in _MALFORMED:
        return chain
    if col.kind == "int" and not _is_typed(col, dtype):
        # A well-formed integer too long for Int64 parses to null: out of range, not malformed.
        chain = chain.when(~given.str.contains(_INT_PATTERN)).then(_rule(m.NOT_INTEGER))
        chain = chain.when(value.is_null()).then(_rule(m.OUT_OF_RANGE))
    else:
        chain = chain.when(value.is_null()).then(_rule(_MALFORMED[col.kind]))
    if col.min is not None:
        chain = chain.when(value < col.min).then(_rule(m.OUT_OF_RANGE))
    if col.max is not None:
        chain = chain.when(value > col.max).then(_rule(m.OUT_OF_RANGE))
    return chain


def _as_text(col: Column, dtype: pl.DataType) -> pl.Expr:
    if isinstance(dtype, pl.List):
        return pl.col(col.name).cast(pl.List(pl.String)).list.join(CODE_LIST_SEPARATOR)
    return pl.col(col.name).cast(pl.String)


def parse_table(
    lf: pl.LazyFrame, table: TableName, *, known_municipalities: frozenset[str] | None = None
) -> pl.LazyFrame:
    """Parse a conformed frame (see :func:`conform_columns`) cell by cell.

    Returns ``__row__``, each contract column typed (null where invalid), ``__err__<col>``
    (the rule code it breaks, an ``Enum`` of :data:`messages.RULES`, or null) and, for
    non-personal columns, ``__raw__<col>`` (the cell as text where it has an error).
    Work is staged in separate steps so no expression is evaluated twice.

    Examples
    --------
    >>> lf = conform_columns(pl.LazyFrame(rows), table="households", file="h")  # doctest: +SKIP
    >>> parse_table(lf, "households").select("__err__zone").collect()  # doctest: +SKIP
    """
    schema = lf.collect_schema()
    columns = list(TABLES[table].values())
    as_text = {c.name for c in columns if not _is_typed(c, schema[c.name])}
    texts = [_text(name).alias(_txt(name)) for name in as_text]
    values = [_value(c, schema[c.name]).alias(_val(c.name)) for c in columns]
    errors = [_error(c, schema[c.name], known_municipalities).alias(_err(c.name)) for c in columns]
    final = [pl.col(ROW)]
    for c in columns:
        # Range-checked values: a number out of range is null like a malformed one.
        final.append(
            pl.when(pl.col(_err(c.name)).is_null())
            .then(pl.col(_val(c.name)))
            .cast(value_dtype(c))
            .alias(c.name)
        )
    final += [pl.col(_err(c.name)) for c in columns]
    for c in columns:
        if not c.personal and c.kind != "id":
            cell = pl.col(_txt(c.name)) if c.name in as_text else _as_text(c, schema[c.name])
            final.append(pl.when(pl.col(_err(c.name)).is_not_null()).then(cell).alias(_raw(c.name)))
    return lf.with_columns(texts).with_columns(values).with_columns(errors).select(final)


# --- cross-row rules ----------------------------------------------------------------------


def _add_rule(name: str, condition: pl.Expr, rule: str) -> pl.Expr:
    """Keep an existing rule on ``name``; otherwise set ``rule`` where ``condition`` holds."""
    return pl.coalesce(pl.col(_err(name)), pl.when(condition).then(_rule(rule))).alias(_err(name))


def _duplicates(key: str) -> pl.Expr:
    return _add_rule(key, pl.col(key).is_not_null() & pl.col(key).is_duplicated(), m.DUPLICATE_ID)


def _age_at(as_of: date) -> pl.Expr:
    birth = pl.col("birth_date")
    later_in_year = (birth.dt.month().cast(pl.Int32) * 100 + birth.dt.day().cast(pl.Int32)) > (
        as_of.month * 100 + as_of.day
    )
    return pl.lit(as_of.year) - birth.dt.year().cast(pl.Int32) - later_in_year.cast(pl.Int32)


def _rejected(table: TableName) -> pl.Expr:
    return pl.any_horizontal(pl.col(_err(c)).is_not_null() for c in TABLES[table])


def _person_rules(persons: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    age = _age_at(as_of)
    impossible = (pl.col("birth_date") > as_of) | (age > MAX_AGE_YEARS)
    persons = persons.with_columns(
        _duplicates(TABLE_KEYS["persons"]),
        _add_rule("birth_date", pl.col("birth_date").is_not_null() & impossible, m.IMPOSSIBLE_AGE),
        pl.when(pl.col("birth_date").is_not_null() & ~impossible)
        .then(age)
        .cast(pl.Int16)
        .alias(AGE),
    )
    low, high = EARLY_CHILDHOOD_AGES
    conditional = [
        _add_rule(
            rw.column,
            pl.col(rw.column).is_null() & (pl.col(rw.when_column) == rw.when_value),
            m.REQUIRED,
        )
        for rw in REQUIRED_WHEN
    ] + [
        _add_rule(
            name, pl.col(name).is_null() & pl.col(AGE).is_between(low, high), m.REQUIRED_FOR_AGE
        )
        for name in EARLY_CHILDHOOD_COLUMNS
    ]
    return persons.with_columns(conditional)


def _link_households(persons: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    """Reject persons whose household is absent or rejected."""
    key = PERSON_HOUSEHOLD_KEY
    own_ok = households.filter(~_rejected("households")).get_column(key)
    known = households.get_column(key).drop_nulls()
    present = pl.col(key).is_not_null()
    return persons.with_columns(
        pl.coalesce(
            pl.col(_err(key)),
            pl.when(present & ~pl.col(key).is_in(known.implode()))
            .then(_rule(m.MISSING_HOUSEHOLD))
            .when(present & ~pl.col(key).is_in(own_ok.implode()))
            .then(_rule(m.HOUSEHOLD_REJECTED)),
        ).alias(_err(key))
    )


# --- rejects and warnings -----------------------------------------------------------------


def _message_table(table: TableName, as_of: date) -> pl.DataFrame:
    """Every (column, rule) message of ``table``: messages depend on nothing else."""
    conditional = {rw.column: rw for rw in REQUIRED_WHEN}
    low, high = EARLY_CHILDHOOD_AGES
    rows: list[tuple[str, str, str]] = []
    for col in TABLES[table].values():
        for rule in m.RULES:
            if rule == m.REQUIRED and col.name in conditional and not col.required:
                rw = conditional[col.name]
                text = m.required_when_message(
                    column=col.name, when_column=rw.when_column, when_value=rw.when_value
                )
            else:
                text = m.rule_message(
                    rule,
                    column=col.name,
                    codes=m.brief_codes(col.codes),
                    low=_number(col.min) if rule == m.OUT_OF_RANGE else low,
                    high=_number(col.max) if rule == m.OUT_OF_RANGE else high,
                    as_of=as_of.isoformat(),
                    max_age=MAX_AGE_YEARS,
                )
            rows.append((col.name, rule, text))
    return pl.DataFrame(rows, schema=["column", "rule", "message"], orient="row")


def _number(bound: float | None) -> str:
    if bound is None:
        return "sin límite"
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def _rejects(bad: pl.DataFrame, table: TableName, file: str, as_of: date) -> pl.DataFrame:
    columns = TABLES[table]
    order = {name: i for i, name in enumerate(columns)}
    parts = []
    for name, col in columns.items():
        if col.personal:
            value = pl.lit(None, dtype=pl.String)
        elif col.kind == "id":
            value = pl.col(name)
        else:
            value = pl.col(_raw(name))
        parts.append(
            bad.filter(pl.col(_err(name)).is_not_null()).select(
                pl.col(ROW).alias("row"),
                pl.lit(name).alias("column"),
                pl.col(_err(name)).cast(pl.String).alias("rule"),
                value.cast(pl.String).alias("value"),
                pl.lit(order[name]).alias("__order__"),
            )
        )
    long = pl.concat(parts) if parts else pl.DataFrame()
    return (
        long.join(_message_table(table, as_of), on=["column", "rule"], how="left")
        .sort("row", "__order__")
        .select(pl.lit(file).alias("file"), "row", "column", "rule", "message", "value")
    )


def _household_warnings(
    households: pl.DataFrame, persons: pl.DataFrame, *, file: str
) -> pl.DataFrame:
    key = PERSON_HOUSEHOLD_KEY
    heads = (
        persons.filter(~_rejected("persons") & (pl.col("relationship") == HEAD))
        .get_column(key)
        .value_counts(name="__heads__")
    )
    with_rejected = persons.filter(_rejected("persons")).select(key).unique()
    flagged = (
        households.filter(~_rejected("households"))
        .select(ROW, key)
        .join(heads, on=key, how="left")
        .join(with_rejected.with_columns(pl.lit(True).alias("__partial__")), on=key, how="left")
    )
    rules = [
        (pl.col("__heads__").fill_null(0) == 0, m.HOUSEHOLD_WITHOUT_HEAD),
        (pl.col("__heads__") > 1, m.MULTIPLE_HEADS),
        (pl.col("__partial__").fill_null(False), m.HOUSEHOLD_WITH_REJECTED_PERSONS),
    ]
    parts = [
        flagged.filter(condition).select(
            pl.lit(file).alias("file"),
            pl.col(ROW).alias("row"),
            pl.lit(key).alias("column"),
            pl.lit(rule).alias("rule"),
            pl.lit(m.rule_message(rule)).alias("message"),
            pl.col(key).alias("value"),
        )
        for condition, rule in rules
    ]
    return pl.concat(parts).sort("row", "rule").cast(dict(REJECTS_SCHEMA))  # type: ignore[arg-type]


# --- entry points -------------------------------------------------------------------------


def validate_registry(
    households: pl.LazyFrame,
    persons: pl.LazyFrame,
    *,
    as_of: date,
    strict: bool = False,
    households_name: str = "households",
    persons_name: str = "persons",
    known_municipalities: frozenset[str] | None = None,
) -> RegistryValidation:
    """Validate both tables of a registry against contract v1.

    Parameters
    ----------
    households, persons
        Frames with the contract's columns (text, as :func:`reading.scan_table` gives for
        CSV/XLSX, or typed, as Parquet gives) and optionally ``__row__``; without it rows are
        numbered from 1.
    as_of
        Reference date for ages.
    strict
        When any row is rejected, reject the whole registry (no accepted rows).
    households_name, persons_name
        The file names written in ``rejects.file``.
    known_municipalities
        DIVIPOLA codes accepted in ``municipality_code``; ``None`` checks only the format.

    Returns
    -------
    RegistryValidation

    Raises
    ------
    MissingColumnsError
        A required column is absent.

    Examples
    --------
    >>> result = validate_registry(hh, pp, as_of=date(2025, 6, 30))  # doctest: +SKIP
    >>> result.rejects.select("row", "column", "rule").rows()  # doctest: +SKIP
    [(7, 'zone', 'unknown_code')]
    """
    hh_lf = parse_table(
        conform_columns(households, table="households", file=households_name),
        "households",
        known_municipalities=known_municipalities,
    ).with_columns(_duplicates(TABLE_KEYS["households"]))
    pp_lf = _person_rules(
        parse_table(conform_columns(persons, table="persons", file=persons_name), "persons"),
        as_of,
    )
    hh, pp = pl.collect_all([hh_lf, pp_lf])

    pp = _link_households(pp, hh)
    key = PERSON_HOUSEHOLD_KEY
    with_accepted_persons = pp.filter(~_rejected("persons")).get_column(key).unique()
    hh = hh.with_columns(
        _add_rule(
            key,
            ~_rejected("households") & ~pl.col(key).is_in(with_accepted_persons.implode()),
            m.HOUSEHOLD_WITHOUT_PERSONS,
        )
    )

    hh_bad = hh.filter(_rejected("households"))
    pp_bad = pp.filter(_rejected("persons"))
    rejects = pl.concat(
        [
            _rejects(hh_bad, "households", households_name, as_of),
            _rejects(pp_bad, "persons", persons_name, as_of),
        ]
    ).cast(dict(REJECTS_SCHEMA))  # type: ignore[arg-type]
    warnings = _household_warnings(hh, pp, file=households_name)

    strict_failed = strict and rejects.height > 0
    accepted = {
        "households": hh.filter(~_rejected("households")).select(list(output_schema("households"))),
        "persons": pp.filter(~_rejected("persons")).select(list(output_schema("persons"))),
    }
    if strict_failed:
        accepted = {t: f.clear() for t, f in accepted.items()}
        warnings = warnings.clear()
    counts = {
        table: TableCounts(
            read=parsed.height,
            accepted=accepted[table].height,
            rejected=parsed.height - accepted[table].height,
            with_errors=bad.height,
        )
        for table, parsed, bad in (("households", hh, hh_bad), ("persons", pp, pp_bad))
    }
    return RegistryValidation(
        households=accepted["households"],
        persons=accepted["persons"],
        rejects=rejects,
        warnings=warnings,
        counts=counts,
        strict=strict,
        strict_failed=strict_failed,
    )


def write_rejects(rejects: pl.DataFrame, path: Path) -> None:
    """Write ``rejects`` (or ``warnings``) as CSV: UTF-8 with BOM, Spanish headers.

    The BOM lets spreadsheet programs show accents correctly; the columns are
    ``archivo,fila,columna,regla,mensaje,valor``.

    Examples
    --------
    >>> write_rejects(result.rejects, Path("rechazos.csv"))  # doctest: +SKIP
    """
    rejects.select(list(REJECTS_SCHEMA)).rename(REJECTS_HEADERS_ES).write_csv(
        path, include_bom=True
    )
