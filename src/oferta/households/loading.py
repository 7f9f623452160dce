"""Bulk loading of validated, diagnosed registry frames into the database, all or nothing.

The frames go first into temporary staging tables (COPY on PostgreSQL, batched inserts on
SQLite), chunk by chunk with progress, outside any transaction: a failure there leaves the
real tables untouched. Then one transaction merges the staging tables into the real ones with
the same SQL on both databases:

1. households of the imported municipalities that are absent from the new file are removed,
   with their members (the new extract replaces that municipality set); those that other
   records (referrals) point to are kept instead, flagged ``in_registry = false`` with
   ``left_registry_on`` = the extract's reference date (the first one that missed them);
2. households are inserted or updated in place by ``registry_id`` (their ``uuid`` is kept, so
   links and the access log keep pointing at the same household; a flagged household listed
   again is back in the registry);
3. members of the imported households that are absent from the new file are removed;
4. persons are inserted or updated in place by ``registry_id``.
"""

# SQL here is built from model metadata and module constants, never from input: S608 is moot.
# ruff: noqa: S608
from __future__ import annotations

import io
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import polars as pl
from django.db import connection, models, transaction
from django.utils.translation import gettext_noop

from oferta.engine.eligibility.variables import IPM_INDICATORS

from .models import Household, Person

Progress = Callable[[int, str], None]
Finalize = Callable[..., None]

POSTGRES_CHUNK_ROWS = 200_000
SQLITE_CHUNK_ROWS = 10_000

# (column, kind) of the staging tables; kinds map to a SQL type per database below.
HOUSEHOLD_STAGE: tuple[tuple[str, str], ...] = (
    ("uuid", "uuid"),
    ("registry_id", "text"),
    ("municipality_code", "text"),
    ("department_code", "text"),
    ("zone", "text"),
    ("sleeping_rooms", "int"),
    ("water_source", "text"),
    ("toilet", "text"),
    ("floor_material", "text"),
    ("wall_material", "text"),
    ("monthly_income", "num"),
    ("sisben_group", "text"),
    ("programs", "json"),
    ("accompaniment", "bool"),
    ("size", "int"),
    ("score", "num"),
    ("score_units", "int"),
    ("poor", "bool"),
    ("income_per_capita", "num"),
    ("monetary_status", "text"),
    ("quadrant", "text"),
    *((f"deprived_{code}", "bool") for code in IPM_INDICATORS),
)
# Columns that are the same for every household of one import (passed as parameters).
HOUSEHOLD_CONSTANTS: tuple[str, ...] = (
    "as_of",
    "method_code",
    "k",
    "diagnosed_at",
    "registry_import_id",
)
# Columns every household of the file gets as SQL literals: listed again, it is in the registry
# (also one flagged out of it before). Typed literals: an untyped NULL parameter in an
# INSERT ... SELECT is text to PostgreSQL.
HOUSEHOLD_LITERALS: tuple[tuple[str, str], ...] = (
    ("in_registry", "TRUE"),
    ("left_registry_on", "CAST(NULL AS date)"),
)
# Text columns that may be blank but are NOT NULL in the model.
_BLANK_TEXT = frozenset({"sisben_group", "monetary_status", "quadrant"})

PERSON_STAGE: tuple[tuple[str, str], ...] = (
    ("uuid", "uuid"),
    ("registry_id", "text"),
    ("household_registry_id", "text"),
    ("document_type", "text"),
    ("document_number", "text"),
    ("first_names", "text"),
    ("last_names", "text"),
    ("search_name", "text"),
    ("sex", "text"),
    ("birth_date", "date"),
    ("relationship", "text"),
    ("ethnicity", "text"),
    ("disability", "bool"),
    ("victim", "bool"),
    ("can_read_write", "bool"),
    ("years_of_schooling", "int"),
    ("attends_school", "bool"),
    ("activity", "text"),
    ("unemployed_months", "int"),
    ("contributes_to_pension", "bool"),
    ("receives_pension", "bool"),
    ("health_insured", "bool"),
    ("health_need_last_30_days", "bool"),
    ("health_need_attended", "bool"),
    ("early_childhood_care_adequate", "bool"),
    ("early_childhood_nutrition_adequate", "bool"),
)

_PG_TYPES = {
    "uuid": "uuid",
    "text": "text",
    "int": "integer",
    "num": "numeric",
    "bool": "boolean",
    "date": "date",
    "json": "text",
}
_SQLITE_TYPES = {
    "uuid": "text",
    "text": "text",
    "int": "integer",
    "num": "text",
    "bool": "integer",
    "date": "text",
    "json": "text",
}


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What one load changed (counts only: no personal data)."""

    households_loaded: int
    persons_loaded: int
    households_removed: int
    municipality_codes: list[str]
    households_kept: int = 0  # absent from the file, kept for referrals, newly flagged


# --------------------------------------------------------------------------- frames


def search_name_expr(first: str = "first_names", last: str = "last_names") -> pl.Expr:
    """Lower-case, accent-free "first names last names" with single spaces (Polars).

    Must agree with :func:`oferta.households.selectors.normalise_name` (the query side).
    """
    full = pl.concat_str([pl.col(first).fill_null(""), pl.col(last).fill_null("")], separator=" ")
    return (
        full.str.normalize("NFD")
        .str.replace_all(r"\p{M}", "")
        .str.to_lowercase()
        .str.replace_all(r"[^\p{L}\p{N}]+", " ")
        .str.strip_chars()
    )


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def _new_uuids(n: int) -> pl.Series:
    """``n`` random (version 4) UUIDs as 32-digit hex text, vectorised (uuid4() per row
    costs seconds at a million rows)."""
    raw = np.frombuffer(os.urandom(16 * n), dtype=np.uint8).reshape(n, 16).copy()
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40  # version 4
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
    digits = np.empty((n, 32), dtype=np.uint8)
    digits[:, 0::2] = _HEX[raw >> 4]
    digits[:, 1::2] = _HEX[raw & 0x0F]
    # No digit is a NUL byte, so the fixed-width bytes view loses nothing.
    return pl.Series(digits.view("S32").ravel()).cast(pl.String)


def _programs_json(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Programs as JSON text (``["a","b"]``), from a list column or ``;``-separated text."""
    if isinstance(dtype, pl.List):
        items = column.cast(pl.List(pl.String))
    else:
        items = (
            column.cast(pl.String)
            .fill_null("")
            .str.split(";")
            .list.eval(pl.element().str.strip_chars())
        )
    escaped = (
        pl.element()
        .str.replace_all("\\", "\\\\", literal=True)
        .str.replace_all('"', '\\"', literal=True)
    )
    items = items.fill_null([]).list.eval(pl.element().filter(pl.element() != ""))
    joined = items.list.eval(escaped).list.join('","')
    return pl.when(items.list.len() == 0).then(pl.lit("[]")).otherwise('["' + joined + '"]')


def _decimal_text(column: pl.Expr, places: int) -> pl.Expr:
    return column.cast(pl.Float64).round(places).cast(pl.String)


def households_stage_frame(households: pl.DataFrame, persons: pl.DataFrame) -> pl.DataFrame:
    """The staging rows of ``households`` (contract columns + diagnostics columns).

    ``households`` holds the contract's household columns plus ``score`` (exact, as a
    decimal or text), ``score_units``, ``poor``, ``income_per_capita``, ``monetary_status``,
    ``quadrant`` and ``deprived_<code>`` (absent codes are stored as null).
    """
    sizes = persons.group_by("household_id").agg(pl.len().alias("size"))
    frame = households.join(sizes, on="household_id", how="left")
    schema = frame.schema
    text = lambda name: pl.col(name).cast(pl.String)  # noqa: E731
    columns: list[pl.Expr] = [
        pl.col("household_id").cast(pl.String).alias("registry_id"),
        text("municipality_code").alias("municipality_code"),
        text("municipality_code").str.slice(0, 2).alias("department_code"),
        text("zone").alias("zone"),
        pl.col("sleeping_rooms").cast(pl.Int64).alias("sleeping_rooms"),
        text("water_source").alias("water_source"),
        text("toilet").alias("toilet"),
        text("floor_material").alias("floor_material"),
        text("wall_material").alias("wall_material"),
        _decimal_text(pl.col("monthly_income"), 2).alias("monthly_income"),
        text("sisben_group").fill_null("").alias("sisben_group"),
        _programs_json(pl.col("programs"), schema["programs"]).alias("programs"),
        pl.col("accompaniment").cast(pl.Boolean).alias("accompaniment"),
        pl.col("size").fill_null(0).cast(pl.Int64).alias("size"),
        pl.col("score").cast(pl.String).alias("score"),
        pl.col("score_units").cast(pl.Int64).alias("score_units"),
        pl.col("poor").cast(pl.Boolean).alias("poor"),
        _decimal_text(pl.col("income_per_capita"), 2).alias("income_per_capita")
        if "income_per_capita" in schema
        else pl.lit(None, dtype=pl.String).alias("income_per_capita"),
        (text("monetary_status") if "monetary_status" in schema else pl.lit(None, pl.String))
        .fill_null("")
        .alias("monetary_status"),
        (text("quadrant") if "quadrant" in schema else pl.lit(None, pl.String))
        .fill_null("")
        .alias("quadrant"),
    ]
    for code in IPM_INDICATORS:
        name = f"deprived_{code}"
        columns.append(
            pl.col(name).cast(pl.Boolean).alias(name)
            if name in schema
            else pl.lit(None, dtype=pl.Boolean).alias(name)
        )
    staged = frame.select(columns)
    staged = staged.with_columns(_new_uuids(staged.height).alias("uuid"))
    return staged.select([name for name, _ in HOUSEHOLD_STAGE])


def persons_stage_frame(persons: pl.DataFrame) -> pl.DataFrame:
    """The staging rows of ``persons`` (the contract's person columns, typed)."""
    text = lambda name: pl.col(name).cast(pl.String)  # noqa: E731
    boolean = lambda name: pl.col(name).cast(pl.Boolean)  # noqa: E731
    columns: list[pl.Expr] = [
        text("person_id").alias("registry_id"),
        text("household_id").alias("household_registry_id"),
        text("first_names").str.strip_chars().alias("first_names"),
        text("last_names").str.strip_chars().alias("last_names"),
        text("document_number").str.strip_chars().alias("document_number"),
        search_name_expr().alias("search_name"),
        pl.col("birth_date").cast(pl.Date).alias("birth_date"),
    ]
    done = {"registry_id", "household_registry_id", "first_names", "last_names"}
    done |= {"document_number", "search_name", "birth_date", "uuid"}
    for name, kind in PERSON_STAGE:
        if name in done:
            continue
        if kind == "bool":
            columns.append(boolean(name).alias(name))
        elif kind == "int":
            columns.append(pl.col(name).cast(pl.Int64).alias(name))
        else:
            columns.append(text(name).alias(name))
    staged = persons.select(columns)
    staged = staged.with_columns(_new_uuids(staged.height).alias("uuid"))
    return staged.select([name for name, _ in PERSON_STAGE])


# --------------------------------------------------------------------------- staging


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _create_stage(table: str, spec: tuple[tuple[str, str], ...]) -> None:
    types = _PG_TYPES if connection.vendor == "postgresql" else _SQLITE_TYPES
    columns = ", ".join(f"{_quote(name)} {types[kind]}" for name, kind in spec)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_quote(table)}")
        cursor.execute(f"CREATE TEMPORARY TABLE {_quote(table)} ({columns})")


def _chunks(frame: pl.DataFrame, size: int) -> Iterator[pl.DataFrame]:
    for offset in range(0, frame.height, size):
        yield frame.slice(offset, size)


def _copy_postgres(table: str, frame: pl.DataFrame, on_chunk: Callable[[int], None]) -> None:
    columns = ", ".join(_quote(c) for c in frame.columns)
    sql = f"COPY {_quote(table)} ({columns}) FROM STDIN WITH (FORMAT csv)"
    with connection.cursor() as cursor:
        for chunk in _chunks(frame, POSTGRES_CHUNK_ROWS):
            buffer = io.BytesIO()
            # Unquoted empty = NULL, quoted "" = empty text: Polars writes exactly that.
            chunk.write_csv(buffer, include_header=False)
            with cursor.cursor.copy(sql) as copy:
                copy.write(buffer.getvalue())
            on_chunk(chunk.height)


def _sqlite_values(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col(name).cast(pl.String)
        for name, dtype in frame.schema.items()
        if dtype in (pl.Date, pl.Datetime) or isinstance(dtype, pl.Decimal)
    )


def _insert_sqlite(table: str, frame: pl.DataFrame, on_chunk: Callable[[int], None]) -> None:
    columns = ", ".join(_quote(c) for c in frame.columns)
    marks = ", ".join(["%s"] * frame.width)
    sql = f"INSERT INTO {_quote(table)} ({columns}) VALUES ({marks})"
    for chunk in _chunks(_sqlite_values(frame), SQLITE_CHUNK_ROWS):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, chunk.rows())
        on_chunk(chunk.height)


def _fill_stage(table: str, frame: pl.DataFrame, on_chunk: Callable[[int], None]) -> None:
    if connection.vendor == "postgresql":
        _copy_postgres(table, frame, on_chunk)
    else:
        _insert_sqlite(table, frame, on_chunk)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX {_quote(table + '_rid')} ON {_quote(table)} ({_quote('registry_id')})"
        )
        if connection.vendor == "postgresql":
            # Autovacuum never analyzes temporary tables; the merge plans need the stats.
            cursor.execute(f"ANALYZE {_quote(table)}")


def _drop_stage(*tables: str) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {_quote(table)}")


# --------------------------------------------------------------------------- merge


def _stage_value(name: str, kind: str) -> str:
    value = f"s.{_quote(name)}"
    if kind == "json" and connection.vendor == "postgresql":
        return f"CAST({value} AS jsonb)"
    if name in _BLANK_TEXT:
        return f"COALESCE({value}, '')"
    return value


def _merge(
    *,
    stage_households: str,
    stage_persons: str,
    constants: dict[str, Any],
    progress: Progress,
    finalize: Finalize | None,
) -> tuple[int, int, list[str]]:
    h_table = _quote(Household._meta.db_table)
    p_table = _quote(Person._meta.db_table)
    sh, sp = _quote(stage_households), _quote(stage_persons)
    rid = _quote("registry_id")

    # Households (and persons) that records of other apps point to, such as referrals, are
    # kept even when the new extract no longer lists them: deleting them would break the
    # follow-up of those records. They keep their last diagnosis.
    removed_households = (
        f"SELECT h.id FROM {h_table} h WHERE h.municipality_code IN "
        f"(SELECT DISTINCT municipality_code FROM {sh}) "
        f"AND NOT EXISTS (SELECT 1 FROM {sh} s WHERE s.{rid} = h.{rid})"
        f"{_unreferenced(Household, 'h.id')}"
        f"{_unreferenced_members('h.id')}"
    )
    h_columns = [name for name, _ in HOUSEHOLD_STAGE]
    literal_columns = [name for name, _ in HOUSEHOLD_LITERALS]
    h_insert = ", ".join(_quote(c) for c in (*h_columns, *HOUSEHOLD_CONSTANTS, *literal_columns))
    h_select = ", ".join(
        [_stage_value(name, kind) for name, kind in HOUSEHOLD_STAGE]
        + ["%s"] * len(HOUSEHOLD_CONSTANTS)
        + [sql for _, sql in HOUSEHOLD_LITERALS]
    )
    h_update = ", ".join(
        f"{_quote(c)} = excluded.{_quote(c)}"
        for c in (*h_columns, *HOUSEHOLD_CONSTANTS, *literal_columns)
        if c not in ("uuid", "registry_id")
    )
    p_columns = [name for name, _ in PERSON_STAGE if name != "household_registry_id"]
    p_insert = ", ".join(_quote(c) for c in (*p_columns, "household_id"))
    p_select = ", ".join(
        [_stage_value(name, kind) for name, kind in PERSON_STAGE if name != "household_registry_id"]
        + ["h.id"]
    )
    p_update = ", ".join(
        f"{_quote(c)} = excluded.{_quote(c)}"
        for c in (*p_columns, "household_id")
        if c not in ("uuid", "registry_id")
    )
    ops = connection.ops
    adapted = {
        **constants,
        "as_of": ops.adapt_datefield_value(constants["as_of"]),
        "diagnosed_at": ops.adapt_datetimefield_value(constants["diagnosed_at"]),
    }
    params = [adapted[c] for c in HOUSEHOLD_CONSTANTS]
    # What is left of the imported municipalities' households absent from the file after the
    # removal: those kept for other records. Flag them once; a later extract keeps the date.
    kept_households = (
        f"UPDATE {h_table} SET {_quote('in_registry')} = %s, {_quote('left_registry_on')} = %s "
        f"WHERE {_quote('in_registry')} = %s AND municipality_code IN "
        f"(SELECT DISTINCT municipality_code FROM {sh}) "
        f"AND NOT EXISTS (SELECT 1 FROM {sh} s WHERE s.{rid} = {h_table}.{rid})"
    )

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT municipality_code FROM {sh} ORDER BY 1")
        municipality_codes = [row[0] for row in cursor.fetchall()]
        progress(82, gettext_noop("Retirando hogares que ya no están en el registro"))
        cursor.execute(f"DELETE FROM {p_table} WHERE household_id IN ({removed_households})")
        cursor.execute(
            f"DELETE FROM {h_table} WHERE id IN (SELECT id FROM ({removed_households}) r)"
        )
        removed = max(cursor.rowcount, 0)
        cursor.execute(kept_households, [False, adapted["as_of"], True])
        kept = max(cursor.rowcount, 0)
        progress(84, gettext_noop("Guardando hogares"))
        # "WHERE true" keeps SQLite from reading ON CONFLICT as part of the SELECT's join.
        cursor.execute(
            f"INSERT INTO {h_table} ({h_insert}) SELECT {h_select} FROM {sh} s WHERE true "
            f"ON CONFLICT ({rid}) DO UPDATE SET {h_update}",
            params,
        )
        progress(88, gettext_noop("Retirando integrantes que ya no están en el registro"))
        cursor.execute(
            f"DELETE FROM {p_table} WHERE household_id IN "
            f"(SELECT h.id FROM {h_table} h JOIN {sh} s ON s.{rid} = h.{rid}) "
            f"AND NOT EXISTS (SELECT 1 FROM {sp} s WHERE s.{rid} = {p_table}.{rid})"
            f"{_unreferenced(Person, f'{p_table}.id')}"
        )
        progress(90, "Guardando integrantes")
        cursor.execute(
            f"INSERT INTO {p_table} ({p_insert}) SELECT {p_select} FROM {sp} s "
            f"JOIN {h_table} h ON h.{rid} = s.{_quote('household_registry_id')} WHERE true "
            f"ON CONFLICT ({rid}) DO UPDATE SET {p_update}"
        )
        if finalize is not None:
            finalize(removed=removed, kept=kept, municipality_codes=municipality_codes)
    return removed, kept, municipality_codes


def _references_from_other_apps(model: type[models.Model]) -> list[tuple[str, str]]:
    """(table, column) of every foreign key from outside this loader's tables to ``model``."""
    own = {Household, Person}
    return [
        (relation.related_model._meta.db_table, relation.field.column)
        for relation in model._meta.related_objects
        if (relation.one_to_many or relation.one_to_one) and relation.related_model not in own
    ]


def _unreferenced(model: type[models.Model], id_sql: str) -> str:
    return "".join(
        f" AND NOT EXISTS (SELECT 1 FROM {_quote(table)} WHERE {_quote(column)} = {id_sql})"
        for table, column in _references_from_other_apps(model)
    )


def _unreferenced_members(household_id_sql: str) -> str:
    """Keep a household whose members other records point to (it keeps its members too)."""
    person_table = _quote(Person._meta.db_table)
    return "".join(
        f" AND NOT EXISTS (SELECT 1 FROM {_quote(table)} r JOIN {person_table} p"
        f" ON r.{_quote(column)} = p.id WHERE p.household_id = {household_id_sql})"
        for table, column in _references_from_other_apps(Person)
    )


def registry_frames_load(
    *,
    households: pl.DataFrame,
    persons: pl.DataFrame,
    as_of: date,
    method_code: str,
    k: str,
    diagnosed_at: datetime,
    registry_import_id: int | None,
    progress: Progress,
    finalize: Finalize | None = None,
) -> LoadResult:
    """Load diagnosed households and their persons; all or nothing (see the module docstring).

    Progress goes from 45 % (staging starts) to 92 % (last merge statement). ``finalize``
    runs inside the merge transaction, last (record the outcome and the audit event there);
    it receives ``removed``, ``kept`` (households newly flagged out of the registry but kept
    for other records) and ``municipality_codes``.
    """
    token = uuid.uuid4().hex[:10]
    stage_households, stage_persons = f"stage_households_{token}", f"stage_persons_{token}"
    household_rows = households_stage_frame(households, persons)
    person_rows = persons_stage_frame(persons)
    total = max(household_rows.height + person_rows.height, 1)
    done = 0

    def on_chunk(rows: int) -> None:
        nonlocal done
        done += rows
        progress(
            45 + int(35 * done / total), gettext_noop("Preparando la carga en la base de datos")
        )

    try:
        _create_stage(stage_households, HOUSEHOLD_STAGE)
        _create_stage(stage_persons, PERSON_STAGE)
        _fill_stage(stage_households, household_rows, on_chunk)
        _fill_stage(stage_persons, person_rows, on_chunk)
        constants = {
            "as_of": as_of,
            "method_code": method_code,
            "k": k,
            "diagnosed_at": diagnosed_at,
            "registry_import_id": registry_import_id,
        }
        removed, kept, municipality_codes = _merge(
            stage_households=stage_households,
            stage_persons=stage_persons,
            constants=constants,
            progress=progress,
            finalize=finalize,
        )
    finally:
        _drop_stage(stage_households, stage_persons)
    return LoadResult(
        households_loaded=household_rows.height,
        persons_loaded=person_rows.height,
        households_removed=removed,
        municipality_codes=municipality_codes,
        households_kept=kept,
    )
