"""Parse DANE's departmental poverty annexes (.xlsx, as published) into plain dataclasses.

Two annexes are understood, told apart by their sheets:

- multidimensional poverty (ECV): ``IPM_Departamentos``, ``IPM_Variables_Departamento`` and,
  when present, ``IPM_Regiones``;
- monetary poverty (GEIH): ``IP Act.Met.``, ``IPE Act.Met.``, ``LP Act.Met.``, ``LPE Act.Met.``.

Header rows are located by content (the row holding the year labels), so a new edition with
extra title rows still parses; what is found there is then validated strictly. Any surprise
raises :class:`DaneAnnexError` with a Spanish message naming the sheet and the cell.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from oferta.engine.eligibility.variables import IPM_INDICATORS

from .names import normalize_key

DATA_DIR = Path(__file__).resolve().parent / "data"

MULTIDIMENSIONAL = "multidimensional"
MONETARY = "monetary"

ZONE_LABELS = {
    "total": "total",
    "cabeceras": "urban",
    "centros poblados y rural disperso": "rural",
}

# DANE's Spanish labels of the IPM indicators -> our codes (engine vocabulary).
DEPRIVATION_CODES = {
    "analfabetismo": "illiteracy",
    "bajo logro educativo": "low_educational_attainment",
    "barreras a servicios para cuidado de la primera infancia": "early_childhood_barriers",
    "barreras de acceso a servicios de salud": "health_access_barriers",
    "desempleo de larga duracion": "long_term_unemployment",
    "alta tasa de dependencia economica": "high_economic_dependency",
    "hacinamiento critico": "critical_overcrowding",
    "inadecuada eliminacion de excretas": "inadequate_sanitation",
    "inasistencia escolar": "school_non_attendance",
    "material inadecuado de paredes exteriores": "inadequate_walls",
    "material inadecuado de pisos": "inadequate_floors",
    "rezago escolar": "school_lag",
    "sin acceso a fuente de agua mejorada": "no_improved_water",
    "sin aseguramiento en salud": "no_health_insurance",
    "trabajo infantil": "child_labour",
    "trabajo informal": "informal_work",
}
assert set(DEPRIVATION_CODES.values()) <= set(IPM_INDICATORS)

MONETARY_SHEETS = {
    # sheet name: (indicator, unit)
    "IP Act.Met.": ("monetary_poverty", "percent"),
    "IPE Act.Met.": ("extreme_monetary_poverty", "percent"),
    "LP Act.Met.": ("poverty_line", "cop"),
    "LPE Act.Met.": ("extreme_poverty_line", "cop"),
}
SHEET_IPM_DEPARTMENTS = "IPM_Departamentos"
SHEET_IPM_REGIONS = "IPM_Regiones"
SHEET_IPM_VARIABLES = "IPM_Variables_Departamento"

_MONTHS = {
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    "septiembre": 9,
    "setiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
}
_RELEASE_RE = re.compile(
    r"(?:actualizado el|fecha de publicacion)\s+(\d{1,2}) de ([a-z]+) de (\d{4})"
)
_YEAR_RE = re.compile(r"^(\d{4})\**$")
_HEADER_SEARCH_ROWS = 60


class DaneAnnexError(Exception):
    """The workbook is not the expected DANE annex; the message (Spanish) says where."""


@dataclass(frozen=True, slots=True)
class AnnexFigure:
    territory_level: str  # "nation", "region" or "department" (TerritoryLevel values)
    territory_code: str  # DIVIPOLA department code, "CO", or the region's name
    indicator: str
    zone: str  # "total", "urban" or "rural"
    year: int
    value: Decimal
    unit: str  # "percent" or "cop"


@dataclass(frozen=True, slots=True)
class DaneAnnex:
    kind: str  # MULTIDIMENSIONAL or MONETARY
    source_code: str
    title: str
    release_date: date
    file_name: str
    figures: tuple[AnnexFigure, ...]

    def counts(self) -> dict[str, int]:
        """Number of figures per indicator family (deprivations counted together)."""
        counts: dict[str, int] = {}
        for f in self.figures:
            key = "deprivation" if f.indicator.startswith("deprivation:") else f.indicator
            if f.territory_level == "region":
                key = f"{key}_regions"
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items()))


# --------------------------------------------------------------------------- helpers


class _Sheet:
    """A worksheet read once into memory, with 1-based cell access and cell names."""

    def __init__(self, name: str, rows: list[tuple[Any, ...]]):
        self.name = name.strip()
        self.rows = rows

    def value(self, row: int, col: int) -> Any:
        if row < 1 or row > len(self.rows):
            return None
        cells = self.rows[row - 1]
        return cells[col - 1] if 0 < col <= len(cells) else None

    def text(self, row: int, col: int) -> str:
        v = self.value(row, col)
        return "" if v is None else str(v).strip()

    def error(self, row: int, col: int, message: str) -> DaneAnnexError:
        return DaneAnnexError(f"Hoja '{self.name}', celda {get_column_letter(col)}{row}: {message}")

    def expect(self, row: int, col: int, expected: str) -> None:
        found = self.text(row, col)
        if normalize_key(found) != normalize_key(expected):
            raise self.error(row, col, f"se esperaba '{expected}' y se encontró '{_shown(found)}'")

    def number(self, row: int, col: int) -> Decimal | None:
        v = self.value(row, col)
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise self.error(row, col, f"se esperaba un número y se encontró '{_shown(v)}'")
        try:
            # Round what Excel stores as binary floats (53.2921818759389) to DANE's precision.
            return Decimal(repr(v)).quantize(Decimal("0.0001"))
        except InvalidOperation as exc:
            raise self.error(row, col, f"se esperaba un número y se encontró '{v}'") from exc

    def is_blank_row(self, row: int) -> bool:
        cells = self.rows[row - 1] if 0 < row <= len(self.rows) else ()
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _shown(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    return text if text else "(vacía)"


def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 1990 <= value <= 2100:
        return value
    if isinstance(value, float) and value.is_integer() and 1990 <= value <= 2100:
        return int(value)
    if isinstance(value, str):
        m = _YEAR_RE.match(value.strip())
        if m:
            return int(m.group(1))
    return None


def _year_row(sheet: _Sheet, start: int = 1, min_years: int = 2) -> int | None:
    """First row at or after ``start`` holding at least ``min_years`` year labels."""
    for r in range(start, len(sheet.rows) + 1):
        if sum(1 for v in sheet.rows[r - 1] if _year(v) is not None) >= min_years:
            return r
    return None


def _release_date(sheet: _Sheet) -> date:
    for row in sheet.rows:
        for v in row:
            if isinstance(v, str):
                m = _RELEASE_RE.search(normalize_key(v))
                if m and m.group(2) in _MONTHS:
                    return date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
    raise DaneAnnexError(
        f"Hoja '{sheet.name}': no se encontró la fecha de publicación "
        "('Actualizado el …' o 'Fecha de publicación: …')."
    )


@cache
def _department_codes() -> dict[str, str]:
    """Normalised department names (MGN 2018 and DANE's usual spellings) -> DIVIPOLA code."""
    codes: dict[str, str] = {}
    with (DATA_DIR / "departamentos_mgn2018.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            codes[normalize_key(row["nombre_mgn2018"])] = row["cod_dpto"]
            codes[normalize_key(row["nombre"])] = row["cod_dpto"]
    aliases = {"bogota": "11", "bogota d c": "11", "san andres": "88", "valle": "76"}
    aliases |= {"san andres y providencia": "88", "san andres providencia y santa catalina": "88"}
    codes.update(aliases)
    return codes


def _territory(sheet: _Sheet, row: int, col: int) -> tuple[str, str]:
    """(level, code) for a department name cell; "Total Nacional" is the nation."""
    name = sheet.text(row, col)
    key = normalize_key(name)
    if key in {"total nacional", "nacional", "total"}:
        return "nation", "CO"
    code = _department_codes().get(key)
    if code is None:
        raise sheet.error(
            row,
            col,
            f"el departamento '{_shown(name)}' no corresponde a ningún código DIVIPOLA",
        )
    return "department", code


def _year_zone_columns(sheet: _Sheet, year_row: int, zone_row: int) -> list[tuple[int, int, str]]:
    """(column, year, zone) for each value column of a year × zone header (3 zones a year)."""
    columns = []
    cells = sheet.rows[year_row - 1]
    for col, v in enumerate(cells, start=1):
        year = _year(v)
        if year is None:
            continue
        for offset, (label, zone) in enumerate(
            (
                ("Total", "total"),
                ("Cabeceras", "urban"),
                ("Centros poblados y rural disperso", "rural"),
            )
        ):
            sheet.expect(zone_row, col + offset, label)
            columns.append((col + offset, year, zone))
    return columns


def _once(sheet: _Sheet, seen: dict[tuple[str, ...], int], key: tuple[str, ...], row: int) -> None:
    """Refuse a territory (or territory and variable) that appears twice in a sheet."""
    if key in seen:
        raise sheet.error(
            row, 1, f"'{sheet.text(row, 1) or key[0]}' ya aparece en la fila {seen[key]}"
        )
    seen[key] = row


# --------------------------------------------------------------------------- sheets


def _zone_year_table(
    sheet: _Sheet, *, label: str, indicator: str, regions: bool = False
) -> list[AnnexFigure]:
    """A table with one row per territory and Total/Cabeceras/Rural columns per year."""
    year_row = _year_row(sheet)
    if year_row is None:
        raise DaneAnnexError(f"Hoja '{sheet.name}': no se encontró la fila de años.")
    sheet.expect(year_row, 1, label)
    columns = _year_zone_columns(sheet, year_row, year_row + 1)
    figures = []
    seen: dict[tuple[str, ...], int] = {}
    r = year_row + 2
    while r <= len(sheet.rows) and not sheet.is_blank_row(r):
        if regions:
            name = sheet.text(r, 1)
            if not name:
                raise sheet.error(r, 1, "falta el nombre de la región")
            level, code = "region", name
        else:
            level, code = _territory(sheet, r, 1)
        _once(sheet, seen, (code,), r)
        for col, year, zone in columns:
            value = sheet.number(r, col)
            if value is not None:
                figures.append(AnnexFigure(level, code, indicator, zone, year, value, "percent"))
        r += 1
    if not figures:
        raise DaneAnnexError(f"Hoja '{sheet.name}': la tabla no tiene datos.")
    return figures


def _deprivation_blocks(sheet: _Sheet) -> list[AnnexFigure]:
    """Blocks of 'Departamento | Variable | Total Cabeceras Rural per year', one per department."""
    figures: list[AnnexFigure] = []
    seen: dict[tuple[str, ...], int] = {}
    start = 1
    while True:
        year_row = _year_row(sheet, start)
        if year_row is None:
            break
        header = year_row + 1
        sheet.expect(header, 1, "Departamento")
        sheet.expect(header, 2, "Variable")
        columns = _year_zone_columns(sheet, year_row, header)
        territory: tuple[str, str] | None = None
        r = header + 1
        while r <= len(sheet.rows) and sheet.text(r, 2):
            if sheet.text(r, 1):
                territory = _territory(sheet, r, 1)
            if territory is None:
                raise sheet.error(r, 1, "falta el nombre del departamento")
            label = sheet.text(r, 2)
            code = DEPRIVATION_CODES.get(normalize_key(label))
            if code is None:
                raise sheet.error(r, 2, f"privación desconocida: '{label}'")
            _once(sheet, seen, (territory[1], code), r)
            for col, year, zone in columns:
                value = sheet.number(r, col)
                if value is not None:
                    figures.append(
                        AnnexFigure(*territory, f"deprivation:{code}", zone, year, value, "percent")
                    )
            r += 1
        start = r
    if not figures:
        raise DaneAnnexError(f"Hoja '{sheet.name}': no se encontró ninguna tabla de privaciones.")
    return figures


def _year_table(sheet: _Sheet, *, indicator: str, unit: str) -> list[AnnexFigure]:
    """'Departamento | Año' over a row of years, one row per department (and the nation)."""
    year_row = _year_row(sheet, min_years=1)
    if year_row is None or year_row < 2:
        raise DaneAnnexError(f"Hoja '{sheet.name}': no se encontró la fila de años.")
    sheet.expect(year_row - 1, 1, "Departamento")
    sheet.expect(year_row - 1, 2, "Año")
    years = [
        (col, year)
        for col, v in enumerate(sheet.rows[year_row - 1], start=1)
        if (year := _year(v)) is not None
    ]
    figures = []
    seen: dict[tuple[str, ...], int] = {}
    r = year_row + 1
    while r <= len(sheet.rows) and not sheet.is_blank_row(r):
        level, code = _territory(sheet, r, 1)
        _once(sheet, seen, (code,), r)
        for col, year in years:
            value = sheet.number(r, col)
            if value is not None:
                figures.append(AnnexFigure(level, code, indicator, "total", year, value, unit))
        r += 1
    if not figures:
        raise DaneAnnexError(f"Hoja '{sheet.name}': la tabla no tiene datos.")
    return figures


# --------------------------------------------------------------------------- entry point


def _read_sheets(path: Path) -> dict[str, _Sheet]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as exc:
        raise DaneAnnexError(f"No existe el archivo '{path}'.") from exc
    except Exception as exc:  # openpyxl raises several types for a non-xlsx file
        raise DaneAnnexError(
            f"El archivo '{path.name}' no es un libro de Excel (.xlsx) legible."
        ) from exc
    try:
        return {
            ws.title.strip(): _Sheet(ws.title, list(ws.iter_rows(values_only=True)))
            for ws in workbook.worksheets
        }
    finally:
        workbook.close()


def _require(sheets: dict[str, _Sheet], name: str, path: Path) -> _Sheet:
    if name not in sheets:
        raise DaneAnnexError(f"Al archivo '{path.name}' le falta la hoja '{name}'.")
    return sheets[name]


def _year_span(figures: list[AnnexFigure]) -> str:
    years = sorted({f.year for f in figures})
    return f"{years[0]}–{years[-1]}"


def dane_annex_parse(*, path: Path | str) -> DaneAnnex:
    """Read a DANE departmental annex and return its figures; nothing is stored.

    Raises
    ------
    DaneAnnexError
        The file is not one of the known annexes or its content is not where expected.
    """
    path = Path(path)
    sheets = _read_sheets(path)
    if SHEET_IPM_DEPARTMENTS in sheets:
        main = sheets[SHEET_IPM_DEPARTMENTS]
        figures = _zone_year_table(main, label="Departamento", indicator="ipm_survey")
        if SHEET_IPM_REGIONS in sheets:
            figures += _zone_year_table(
                sheets[SHEET_IPM_REGIONS], label="Región", indicator="ipm_survey", regions=True
            )
        figures += _deprivation_blocks(_require(sheets, SHEET_IPM_VARIABLES, path))
        released = _release_date(main)
        return DaneAnnex(
            kind=MULTIDIMENSIONAL,
            source_code=f"dane-ipm-departamental-{released.isoformat()}",
            title=(
                f"DANE, Pobreza multidimensional departamental {_year_span(figures)} (ECV), anexo"
            ),
            release_date=released,
            file_name=path.name,
            figures=tuple(figures),
        )
    if "IP Act.Met." in sheets:
        figures = []
        for name, (indicator, unit) in MONETARY_SHEETS.items():
            figures += _year_table(_require(sheets, name, path), indicator=indicator, unit=unit)
        released = _release_date(sheets["IP Act.Met."])
        return DaneAnnex(
            kind=MONETARY,
            source_code=f"dane-pm-departamental-{released.isoformat()}",
            title=f"DANE, Pobreza monetaria departamental {_year_span(figures)} (GEIH), anexo",
            release_date=released,
            file_name=path.name,
            figures=tuple(figures),
        )
    raise DaneAnnexError(
        f"El archivo '{path.name}' no parece un anexo departamental del DANE: no tiene la "
        f"hoja '{SHEET_IPM_DEPARTMENTS}' (pobreza multidimensional) ni 'IP Act.Met.' "
        "(pobreza monetaria)."
    )
