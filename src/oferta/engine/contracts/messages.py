"""Rule codes and the Spanish message templates of registry validation, in one place.

Messages never contain a cell's value: the value of a non-personal column goes to the
rejects' ``value`` column, and the value of a personal column goes nowhere (Ley 1581 de 2012).
The engine has no gettext; the app may translate by ``rule`` code.

Example
-------
>>> rule_message("out_of_range", column="sleeping_rooms", low=0, high=50)
'sleeping_rooms fuera del rango permitido (0 a 50).'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

REQUIRED: Final = "required"
UNKNOWN_CODE: Final = "unknown_code"
NOT_INTEGER: Final = "not_integer"
NOT_NUMBER: Final = "not_number"
NOT_BOOLEAN: Final = "not_boolean"
NOT_DATE: Final = "not_date"
OUT_OF_RANGE: Final = "out_of_range"
INVALID_MUNICIPALITY: Final = "invalid_municipality"
UNKNOWN_MUNICIPALITY: Final = "unknown_municipality"
DUPLICATE_ID: Final = "duplicate_id"
MISSING_HOUSEHOLD: Final = "missing_household"
HOUSEHOLD_REJECTED: Final = "household_rejected"
IMPOSSIBLE_AGE: Final = "impossible_age"
REQUIRED_FOR_AGE: Final = "required_for_age"
HOUSEHOLD_WITHOUT_PERSONS: Final = "household_without_persons"

RULES: Final[tuple[str, ...]] = (
    REQUIRED,
    UNKNOWN_CODE,
    NOT_INTEGER,
    NOT_NUMBER,
    NOT_BOOLEAN,
    NOT_DATE,
    OUT_OF_RANGE,
    INVALID_MUNICIPALITY,
    UNKNOWN_MUNICIPALITY,
    DUPLICATE_ID,
    MISSING_HOUSEHOLD,
    HOUSEHOLD_REJECTED,
    IMPOSSIBLE_AGE,
    REQUIRED_FOR_AGE,
    HOUSEHOLD_WITHOUT_PERSONS,
)
"""Rejection rules: each rejects the row it is reported on."""

HOUSEHOLD_WITHOUT_HEAD: Final = "household_without_head"
MULTIPLE_HEADS: Final = "multiple_heads"
HOUSEHOLD_WITH_REJECTED_PERSONS: Final = "household_with_rejected_persons"

WARNINGS: Final[tuple[str, ...]] = (
    HOUSEHOLD_WITHOUT_HEAD,
    MULTIPLE_HEADS,
    HOUSEHOLD_WITH_REJECTED_PERSONS,
)
"""Warning rules: reported, the row is still accepted (the contract does not reject them)."""

_TEMPLATES: Final[dict[str, str]] = {
    REQUIRED: "Falta el valor de {column}, que es obligatorio.",
    UNKNOWN_CODE: "Código no reconocido en {column}. Códigos permitidos: {codes}.",
    NOT_INTEGER: "{column} debe ser un número entero.",
    NOT_NUMBER: "{column} debe ser un número (con punto decimal, sin separador de miles).",
    NOT_BOOLEAN: "{column} debe ser verdadero o falso (true/false, 1/0, si/no).",
    NOT_DATE: "{column} debe ser una fecha ISO AAAA-MM-DD válida.",
    OUT_OF_RANGE: "{column} fuera del rango permitido ({low} a {high}).",
    INVALID_MUNICIPALITY: "{column} debe ser un código DIVIPOLA de 5 dígitos, como texto.",
    UNKNOWN_MUNICIPALITY: "{column} no es un municipio DIVIPOLA conocido.",
    DUPLICATE_ID: "{column} repetido: se rechazan todas las filas con este identificador.",
    MISSING_HOUSEHOLD: "El hogar de esta persona no está en el archivo de hogares.",
    HOUSEHOLD_REJECTED: "El hogar de esta persona fue rechazado (ver el archivo de hogares).",
    IMPOSSIBLE_AGE: "Edad imposible en la fecha de referencia {as_of} "
    "(nacimiento posterior o más de {max_age} años).",
    REQUIRED_FOR_AGE: "Falta {column}, obligatorio para personas de {low} a {high} años.",
    HOUSEHOLD_WITHOUT_PERSONS: "El hogar no tiene ninguna persona aceptada.",
    HOUSEHOLD_WITHOUT_HEAD: "Aviso: ninguna persona aceptada del hogar tiene relationship = head.",
    MULTIPLE_HEADS: "Aviso: el hogar tiene más de una persona con relationship = head.",
    HOUSEHOLD_WITH_REJECTED_PERSONS: "Aviso: el hogar fue aceptado, pero algunas de sus "
    "personas fueron rechazadas (ver el archivo de personas).",
}

_REQUIRED_WHEN_TEMPLATE: Final = "Falta {column}, obligatorio cuando {when_column} = {when_value}."

_MISSING_COLUMNS_TEMPLATE: Final = (
    "Al archivo {file} ({table}) le faltan columnas obligatorias: {columns}."
)
_UNSUPPORTED_FORMAT_TEMPLATE: Final = (
    "El archivo {file} no tiene un formato admitido (use .csv, .parquet o .xlsx)."
)
_EMPTY_FILE_TEMPLATE: Final = "El archivo {file} está vacío o no tiene fila de encabezado."
_NOT_UTF8_TEMPLATE: Final = "El archivo {file} no está en UTF-8; guárdelo como «CSV UTF-8»."


def rule_message(rule: str, **params: object) -> str:
    """Return the Spanish message of ``rule`` with its parameters filled in.

    Examples
    --------
    >>> rule_message("required", column="zone")
    'Falta el valor de zone, que es obligatorio.'
    """
    return _TEMPLATES[rule].format(**params)


def required_when_message(*, column: str, when_column: str, when_value: object) -> str:
    """Return the message of a conditionally required column that is missing."""
    shown = str(when_value).lower() if isinstance(when_value, bool) else when_value
    return _REQUIRED_WHEN_TEMPLATE.format(column=column, when_column=when_column, when_value=shown)


def missing_columns_message(*, file: str, table: str, columns: Sequence[str]) -> str:
    """Return the message for a file that lacks required columns."""
    return _MISSING_COLUMNS_TEMPLATE.format(file=file, table=table, columns=", ".join(columns))


def unsupported_format_message(*, file: str) -> str:
    """Return the message for a file whose extension is not CSV, Parquet or XLSX."""
    return _UNSUPPORTED_FORMAT_TEMPLATE.format(file=file)


def empty_file_message(*, file: str) -> str:
    """Return the message for a file without a header row."""
    return _EMPTY_FILE_TEMPLATE.format(file=file)


def not_utf8_message(*, file: str) -> str:
    """Return the message for a CSV file that is not UTF-8."""
    return _NOT_UTF8_TEMPLATE.format(file=file)


def brief_codes(codes: Sequence[str], *, limit: int = 12) -> str:
    """List allowed codes briefly: numbered runs collapse to ``A1–A5``; long lists are cut.

    Examples
    --------
    >>> brief_codes(("urban", "rural"))
    'urban, rural'
    >>> brief_codes(("A1", "A2", "A3", "B1", "B2"))
    'A1–A3, B1, B2'
    """
    parts: list[str] = []
    run: list[str] = []

    def split(code: str) -> tuple[str, int] | None:
        stem = code.rstrip("0123456789")
        digits = code[len(stem) :]
        return (stem, int(digits)) if stem and digits else None

    def flush() -> None:
        if len(run) > 2:
            parts.append(f"{run[0]}–{run[-1]}")
        else:
            parts.extend(run)
        run.clear()

    for code in codes:
        here = split(code)
        prev = split(run[-1]) if run else None
        if here and prev and here[0] == prev[0] and here[1] == prev[1] + 1:
            run.append(code)
            continue
        flush()
        run.append(code)
    flush()
    if len(parts) > limit:
        return ", ".join(parts[:limit]) + ", …"
    return ", ".join(parts)
