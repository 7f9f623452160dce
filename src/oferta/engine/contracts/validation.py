"""Validate a registry (households + persons) against contract v1, with row-level rejects.

Every cell is parsed with vectorised Polars expressions into a typed value and, when it
breaks a rule, a rule code; cross-row rules (duplicate ids, a person's household, ages, a
household without persons) follow on whole columns. A row with any problem is rejected and
appears in ``rejects`` once per problem; ``counts`` always reconcile (read = accepted +
rejected).

At national scale (12 M households, 38 M persons) the work is shaped to stay in time and memory
without changing any result: text cells that spell a code exactly are matched by one cast (the
others go through trimming and lower-casing); typed Parquet columns are checked as they are;
duplicate ids are found by sorting 64-bit hashes, comparing as text only the ids whose hashes
repeat; persons find their household by one join to a row position, used by every later rule;
and ``columns`` lets a caller keep only what it needs (names and person ids are then checked,
not kept). ``tests/engine/contracts/test_contracts_fast_paths.py`` holds them to the general path.

Example
-------
>>> from datetime import date
>>> result = validate_registry(households, persons, as_of=date(2025, 1, 1))  # doctest: +SKIP
>>> result.counts["persons"].read == result.counts["persons"].accepted + (
...     result.counts["persons"].rejected)  # doctest: +SKIP
True
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

import numpy as np
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


def _fast(name: str) -> str:
    return f"__fast__{name}"


def _has_fast_codes(col: Column, dtype: pl.DataType) -> bool:
    """Whether a text code column is first matched exactly against its codes.

    Most cells of a clean file spell a code exactly; a non-strict cast to the ``Enum`` finds
    them in one hash lookup, and only the other cells go through trimming, lower-casing and
    the lookup of :func:`_value`, which gives the same code for an exact spelling.
    """
    return col.kind == "code" and bool(col.codes) and dtype == pl.String


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
    return _trimmed(pl.col(name))


def _trimmed(cell: pl.Expr) -> pl.Expr:
    s = cell.cast(pl.String).str.strip_chars()
    return pl.when(s != "").then(s)


def _present(name: str) -> pl.Expr:
    """An empty string where the cell holds some text, null where it is empty: for columns
    whose value is not kept only emptiness matters, and no text is copied."""
    cell = pl.col(name).cast(pl.String)
    return pl.when(cell.str.strip_chars() != "").then(pl.lit("", pl.String))


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


def _missing(col: Column, dtype: pl.DataType) -> pl.Expr:
    """Whether a cell is empty (null, or only blanks in text), from ``__txt__``/``__fast__``."""
    if _is_typed(col, dtype):
        return pl.col(col.name).is_null()
    missing = pl.col(_txt(col.name)).is_null()
    if _has_fast_codes(col, dtype):
        # ``__txt__`` only holds the cells that did not match a code exactly.
        missing = missing & pl.col(_fast(col.name)).is_null()
    return missing


def _blank(col: Column, dtype: pl.DataType) -> pl.Expr:
    """Whether a cell counts as empty for skipping a fully empty row: the test of
    :func:`reading.scan_table` (text: null or only blanks; any other type: null)."""
    return _missing(col, dtype) if dtype == pl.String else pl.col(col.name).is_null()


def _error(col: Column, dtype: pl.DataType, known: frozenset[str] | None) -> pl.Expr:
    """The rule a cell breaks (or null), from ``__txt__``/``__val__`` of its column."""
    name = col.name
    given = pl.col(name) if _is_typed(col, dtype) else pl.col(_txt(name))
    missing = _missing(col, dtype)
    value = pl.col(_val(name))
    missing_rule = _rule(m.REQUIRED) if col.required else pl.lit(None, dtype=RULE_DTYPE)
    chain: Then | ChainedThen = pl.when(missing).then(missing_rule)
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
    lf: pl.LazyFrame,
    table: TableName,
    *,
    known_municipalities: frozenset[str] | None = None,
    columns: Collection[str] | None = None,
    drop_empty_rows: bool = False,
) -> pl.LazyFrame:
    """Parse a conformed frame (see :func:`conform_columns`) cell by cell.

    Returns ``__row__``, each contract column typed (null where invalid), ``__err__<col>``
    (the rule code it breaks, an ``Enum`` of :data:`messages.RULES`, or null) and, for
    non-personal columns, ``__raw__<col>`` (the cell as text where it has an error).
    ``columns`` limits the typed values returned (every column is still checked); personal
    text columns left out are only checked for emptiness, never copied. ``drop_empty_rows``
    skips the rows :func:`reading.scan_table` skips (every cell empty).
    Work is staged in separate steps so no expression is evaluated twice.

    Examples
    --------
    >>> lf = conform_columns(pl.LazyFrame(rows), table="households", file="h")  # doctest: +SKIP
    >>> parse_table(lf, "households").select("__err__zone").collect()  # doctest: +SKIP
    """
    schema = lf.collect_schema()
    spec = list(TABLES[table].values())
    kept = set(TABLES[table]) if columns is None else set(columns)
    as_text = {c.name for c in spec if not _is_typed(c, schema[c.name])}
    fast = {c.name for c in spec if _has_fast_codes(c, schema[c.name])}
    # Columns not kept whose only rule is ``required`` (personal free text, an optional open
    # list): only their emptiness is needed, so they are neither copied nor parsed.
    presence_only = {
        c.name
        for c in spec
        if c.name not in kept
        and c.name in as_text
        and (
            (c.personal and c.kind in ("id", "text")) or (c.kind == "code_list" and not c.required)
        )
    }
    matched = [
        pl.col(name).cast(pl.Enum(TABLES[table][name].codes), strict=False).alias(_fast(name))
        for name in fast
    ]
    texts = []
    for name in as_text:
        if name in fast:
            texts.append(_trimmed(pl.when(pl.col(_fast(name)).is_null()).then(pl.col(name))))
        elif name in presence_only:
            texts.append(_present(name))
        else:
            texts.append(_text(name))
    texts = [t.alias(_txt(name)) for t, name in zip(texts, as_text, strict=True)]
    values = []
    for c in spec:
        if c.name in presence_only:
            continue
        value = _value(c, schema[c.name])
        if c.name in fast:
            value = pl.coalesce(pl.col(_fast(c.name)), value)
        values.append(value.alias(_val(c.name)))
    errors = [_error(c, schema[c.name], known_municipalities).alias(_err(c.name)) for c in spec]
    final = [pl.col(ROW)]
    for c in spec:
        if c.name not in kept:
            continue
        # Range-checked values: a number out of range is null like a malformed one.
        final.append(
            pl.when(pl.col(_err(c.name)).is_null())
            .then(pl.col(_val(c.name)))
            .cast(value_dtype(c))
            .alias(c.name)
        )
    final += [pl.col(_err(c.name)) for c in spec]
    for c in spec:
        if not c.personal and c.kind != "id":
            cell = pl.col(_txt(c.name)) if c.name in as_text else _as_text(c, schema[c.name])
            final.append(pl.when(pl.col(_err(c.name)).is_not_null()).then(cell).alias(_raw(c.name)))
    if matched:
        lf = lf.with_columns(matched)
    lf = lf.with_columns(texts).with_columns(values).with_columns(errors)
    if drop_empty_rows:
        lf = lf.filter(~pl.all_horizontal(_blank(c, schema[c.name]) for c in spec))
    return lf.select(final)


# --- cross-row rules ----------------------------------------------------------------------


def _add_rule(name: str, condition: pl.Expr, rule: str) -> pl.Expr:
    """Keep an existing rule on ``name``; otherwise set ``rule`` where ``condition`` holds."""
    return pl.coalesce(pl.col(_err(name)), pl.when(condition).then(_rule(rule))).alias(_err(name))


ID_HASH: Final[str] = "__id_hash__"
"""A 64-bit hash of a table's id, added while parsing to find duplicates cheaply."""


def _repeated_hashes(hashes: np.ndarray) -> np.ndarray:
    """The hash values that occur more than once (sorting beats a hash table here)."""
    ordered = np.sort(hashes)
    return np.unique(ordered[1:][ordered[1:] == ordered[:-1]])


def _mark_duplicates(
    parsed: pl.DataFrame, source: pl.LazyFrame, *, table: TableName
) -> pl.DataFrame:
    """Add rule ``duplicate_id`` to every copy of a repeated id of ``table``.

    Equal ids have equal hashes, so every copy of a repeated id is among the rows whose hash
    repeats: only their ids are compared as text (none, in most registries). The ids come
    from ``parsed`` or, when it does not keep them, are read again from ``source`` (the
    conformed table); then ``__raw__<id>`` gets the id of each row with a problem on it,
    for the rejects. Drops :data:`ID_HASH`.
    """
    key = TABLE_KEYS[table]
    kept = key in parsed.columns
    # A present id has no rule yet (its only parsing rule is ``required``).
    present = pl.col(_err(key)).is_null()
    hashes = parsed.select(pl.col(ID_HASH).filter(present)).to_series().to_numpy()
    twice = _repeated_hashes(hashes)
    repeated = pl.DataFrame(schema={ROW: pl.Int64, key: pl.String})
    if twice.size:
        candidate = present & pl.col(ID_HASH).is_in(pl.Series(twice).implode())
        if kept:
            ids = parsed.filter(candidate).select(ROW, key)
        else:
            rows = parsed.filter(candidate).get_column(ROW)
            ids = (
                source.filter(pl.col(ROW).is_in(rows.implode()))
                .select(pl.col(ROW), _text(key).alias(key))
                .collect()
            )
        repeated = ids.filter(pl.col(key).is_duplicated())
    out = parsed.with_columns(
        _add_rule(key, pl.col(ROW).is_in(repeated.get_column(ROW).implode()), m.DUPLICATE_ID)
    )
    if not kept:
        found = pl.col(ROW).replace_strict(
            repeated.get_column(ROW), repeated.get_column(key), default=None, return_dtype=pl.String
        )
        out = out.with_columns(
            pl.when(pl.col(_err(key)).is_not_null()).then(found).alias(_raw(key))
        )
    return out.drop(ID_HASH)


def _age_at(as_of: date) -> pl.Expr:
    birth = pl.col("birth_date")
    later_in_year = (birth.dt.month().cast(pl.Int32) * 100 + birth.dt.day().cast(pl.Int32)) > (
        as_of.month * 100 + as_of.day
    )
    return pl.lit(as_of.year) - birth.dt.year().cast(pl.Int32) - later_in_year.cast(pl.Int32)


REJECTED: Final[str] = "__rejected__"
"""Set on both parsed tables once all their rules have run: the row has some problem."""


def _rejected(table: TableName) -> pl.Expr:
    return pl.any_horizontal(pl.col(_err(c)).is_not_null() for c in TABLES[table])


def _person_rules(persons: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    """The persons' own rules across columns (duplicates: see :func:`_mark_duplicates`)."""
    age = _age_at(as_of)
    impossible = (pl.col("birth_date") > as_of) | (age > MAX_AGE_YEARS)
    persons = persons.with_columns(
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


HOUSEHOLD_POSITION: Final[str] = "__household__"
"""Persons' column set by :func:`_link_households`: the row position of their household in
the parsed households (UInt32; null when it is absent or its id is duplicated)."""


def _link_households(persons: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    """Reject persons whose household is absent or rejected; add :data:`HOUSEHOLD_POSITION`.

    The ids are matched once, by a join of the persons' household ids with one row per
    household id; later steps use the position, an integer.
    """
    key = PERSON_HOUSEHOLD_KEY
    rows = households.select(
        pl.col(key),
        (~_rejected("households")).alias("__ok__"),
        pl.int_range(pl.len(), dtype=pl.UInt32).alias(HOUSEHOLD_POSITION),
        (pl.col(_err(key)) == m.DUPLICATE_ID).fill_null(False).alias("__dup__"),
    ).filter(pl.col(key).is_not_null())
    # Every copy of a duplicated id is rejected: one row for it, rejected, with no position.
    lookup = pl.concat(
        [
            rows.filter(~pl.col("__dup__")).drop("__dup__"),
            rows.filter(pl.col("__dup__"))
            .select(key)
            .unique()
            .with_columns(
                pl.lit(False).alias("__ok__"), pl.lit(None, pl.UInt32).alias(HOUSEHOLD_POSITION)
            ),
        ]
    )
    found = persons.select(key).join(lookup, on=key, how="left", maintain_order="left")
    present = pl.col(key).is_not_null()
    return persons.with_columns(found.get_column(HOUSEHOLD_POSITION)).with_columns(
        pl.coalesce(
            pl.col(_err(key)),
            pl.when(present & found.get_column("__ok__").is_null())
            .then(_rule(m.MISSING_HOUSEHOLD))
            .when(present & ~found.get_column("__ok__"))
            .then(_rule(m.HOUSEHOLD_REJECTED)),
        ).alias(_err(key))
    )


_RULE_COLUMNS: Final[dict[TableName, tuple[str, ...]]] = {
    "households": (TABLE_KEYS["households"],),
    "persons": (
        TABLE_KEYS["persons"],
        PERSON_HOUSEHOLD_KEY,
        "birth_date",
        "relationship",
        *(rw.column for rw in REQUIRED_WHEN),
        *(rw.when_column for rw in REQUIRED_WHEN),
        *EARLY_CHILDHOOD_COLUMNS,
    ),
}
"""Columns the cross-row rules read, typed, whatever the caller keeps."""


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
            # An id not kept (see ``columns``) left its problem rows' values in ``__raw__``.
            value = pl.col(name) if name in bad.columns else pl.col(_raw(name))
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


def _count_by_household(persons: pl.DataFrame, condition: pl.Expr, households: int) -> pl.Series:
    """How many persons meeting ``condition`` each parsed household has, by position."""
    at = persons.select(pl.col(HOUSEHOLD_POSITION).filter(condition)).to_series().drop_nulls()
    return pl.Series(np.bincount(at.to_numpy(), minlength=households).astype(np.int64))


def _household_warnings(
    households: pl.DataFrame, persons: pl.DataFrame, *, file: str
) -> pl.DataFrame:
    key, n = PERSON_HOUSEHOLD_KEY, households.height
    heads = _count_by_household(persons, ~pl.col(REJECTED) & (pl.col("relationship") == HEAD), n)
    partial = _count_by_household(persons, pl.col(REJECTED), n) > 0
    ok = ~pl.col(REJECTED)
    flagged = households.select(
        pl.col(ROW).filter(ok),
        pl.col(key).filter(ok),
        pl.lit(heads).filter(ok).alias("__heads__"),
        pl.lit(partial).filter(ok).alias("__partial__"),
    )
    rules = [
        (pl.col("__heads__") == 0, m.HOUSEHOLD_WITHOUT_HEAD),
        (pl.col("__heads__") > 1, m.MULTIPLE_HEADS),
        (pl.col("__partial__"), m.HOUSEHOLD_WITH_REJECTED_PERSONS),
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


def _accepted(parsed: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """The rows of ``parsed`` without a problem, only ``columns`` (copied only if some row
    is rejected)."""
    ok = parsed.select(~pl.col(REJECTED)).to_series()
    out = parsed.select(columns)
    return out if ok.all() else out.filter(ok)


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
    columns: Mapping[TableName, Collection[str]] | None = None,
    drop_empty_rows: bool = False,
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
    columns
        The columns kept in the accepted frames of each table named (persons always keep
        ``age``); by default all. Every column is validated either way: this only spares
        memory, for example the names when only diagnostics follow.
    drop_empty_rows
        Skip fully empty rows, as :func:`reading.scan_table` does by default; read with
        ``scan_table(..., drop_empty_rows=False)`` and set this to find them from the parsed
        cells instead of a separate pass (the same rows, the same row numbers).

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
    kept = {t: list(TABLES[t]) for t in ("households", "persons")}
    for table, names in (columns or {}).items():
        kept[table] = [c for c in TABLES[table] if c in set(names)]
    hh_source = conform_columns(households, table="households", file=households_name)
    hh_lf = parse_table(
        hh_source,
        "households",
        known_municipalities=known_municipalities,
        columns=[*kept["households"], *_RULE_COLUMNS["households"]],
        drop_empty_rows=drop_empty_rows,
    )
    hh_lf = hh_lf.with_columns(pl.col(TABLE_KEYS["households"]).hash().alias(ID_HASH))
    pp_source = conform_columns(persons, table="persons", file=persons_name)
    pp_lf = _person_rules(
        parse_table(
            pp_source,
            "persons",
            columns=[*kept["persons"], *_RULE_COLUMNS["persons"]],
            drop_empty_rows=drop_empty_rows,
        ),
        as_of,
    ).with_columns(pl.col(TABLE_KEYS["persons"]).hash().alias(ID_HASH))
    # Columns only the persons' own rules read are not kept beyond them (person ids: their
    # hashes stand in for them, see ``_mark_duplicates``).
    pp_lf = pp_lf.drop(
        [
            c
            for c in _RULE_COLUMNS["persons"]
            if c not in kept["persons"] and c not in (PERSON_HOUSEHOLD_KEY, "relationship")
        ]
    )
    hh, pp = pl.collect_all([hh_lf, pp_lf])
    hh = _mark_duplicates(hh, hh_source, table="households")
    pp = _mark_duplicates(pp, pp_source, table="persons")

    pp = _link_households(pp, hh)
    # Every rule of the persons has run: whether each row is rejected is computed once.
    pp = pp.with_columns(_rejected("persons").alias(REJECTED))
    key = PERSON_HOUSEHOLD_KEY
    with_accepted_persons = _count_by_household(pp, ~pl.col(REJECTED), hh.height) > 0
    hh = hh.with_columns(
        _add_rule(
            key,
            ~_rejected("households") & ~pl.lit(with_accepted_persons),
            m.HOUSEHOLD_WITHOUT_PERSONS,
        )
    ).with_columns(_rejected("households").alias(REJECTED))

    hh_bad = hh.filter(pl.col(REJECTED))
    pp_bad = pp.filter(pl.col(REJECTED))
    rejects = pl.concat(
        [
            _rejects(hh_bad, "households", households_name, as_of),
            _rejects(pp_bad, "persons", persons_name, as_of),
        ]
    ).cast(dict(REJECTS_SCHEMA))  # type: ignore[arg-type]
    warnings = _household_warnings(hh, pp, file=households_name)

    strict_failed = strict and rejects.height > 0
    tables: tuple[tuple[TableName, pl.DataFrame], ...] = (("households", hh), ("persons", pp))
    accepted: dict[str, pl.DataFrame] = {
        table: _accepted(frame, [c for c in output_schema(table) if c in kept[table] or c == AGE])
        for table, frame in tables
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


def validate_registry_files(
    households_path: Path,
    persons_path: Path,
    *,
    as_of: date,
    strict: bool = False,
    households_name: str | None = None,
    persons_name: str | None = None,
    known_municipalities: frozenset[str] | None = None,
    columns: Mapping[TableName, Collection[str]] | None = None,
) -> RegistryValidation:
    """Read both registry files and validate them: the one entry point for file inputs.

    Empty rows are dropped during validation rather than by the readers, so rows keep the
    numbers a spreadsheet shows and the files are scanned once. ``*_name`` default to the
    files' names (used in rejects).

    Example
    -------
    >>> validate_registry_files(Path("h.csv"), Path("p.csv"), as_of=date(2024, 6, 30))
    ... # doctest: +SKIP
    """
    from oferta.engine.contracts.reading import scan_table

    return validate_registry(
        scan_table(households_path, "households", drop_empty_rows=False),
        scan_table(persons_path, "persons", drop_empty_rows=False),
        as_of=as_of,
        strict=strict,
        households_name=households_name or households_path.name,
        persons_name=persons_name or persons_path.name,
        known_municipalities=known_municipalities,
        columns=columns,
        drop_empty_rows=True,
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
