"""Small hand-built workbooks shaped like DANE's annexes, to break one thing at a time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

ZONES = ("Total", "Cabeceras", "Centros poblados \ny rural disperso")

Mutator = Callable[[Workbook], None]


def _zone_header(ws: Worksheet, *, year_row: int, first_col: int, years: tuple[int, ...]) -> None:
    for i, year in enumerate(years):
        col = first_col + 3 * i
        ws.cell(year_row, col, year)
        for offset, zone in enumerate(ZONES):
            ws.cell(year_row + 1, col + offset, zone)


def multidimensional_workbook(path: Path, mutate: Mutator | None = None) -> Path:
    """IPM_Departamentos (rows 7–8: Antioquia, Bogotá D.C.; years 2018, 2019) and one
    deprivation block (rows 5–6 of 'IPM_Variables_Departamento ')."""
    wb = Workbook()
    ws = wb.active
    ws.title = "IPM_Departamentos"
    ws["A1"] = "Incidencia de Pobreza Multidimensional"
    ws["A3"] = "Cifras en porcentaje"
    ws["A5"] = "Departamento"
    _zone_header(ws, year_row=5, first_col=2, years=(2018, 2019))
    ws.append(["Antioquia", 15.3, 9.6, 35.4, 15.7, 10.2, 35.9])
    ws.append(["Bogotá D.C.", 4.1, 4.1, 19.2, 7.1, 7.1, 16.5])
    ws["A10"] = "Actualizado el 22 de abril de 2025"

    variables = wb.create_sheet("IPM_Variables_Departamento ")
    variables["A1"] = "Privaciones por hogar según variable"
    _zone_header(variables, year_row=3, first_col=3, years=(2018, 2019))
    variables["A4"] = "Departamento"
    variables["B4"] = "Variable"
    variables.append(["Antioquia", "Analfabetismo", 9, 6, 20, 8.5, 5.8, 19.5])
    variables.append([None, "Trabajo informal", 66.2, 60.9, 85.5, 64.3, 59.5, 84])
    if mutate:
        mutate(wb)
    wb.save(path)
    return path


MONETARY = {
    "IP Act.Met.": (32.8, 28.8, 39.7, 36.6),
    "IPE Act.Met.": (9.2, 9.8, 13.7, 13.8),
    "LP Act.Met.": (369868, 415668, 351480, 396864),
    "LPE Act.Met.": (154253, 191187, 160302, 198698),
}


def monetary_workbook(path: Path, mutate: Mutator | None = None) -> Path:
    """The four monetary sheets: header in row 3, years in row 4, Antioquia in row 5 and
    Total Nacional in row 6, for 2021 and 2022."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, (a21, a22, n21, n22) in MONETARY.items():
        ws = wb.create_sheet(name)
        ws["A1"] = name
        ws["A3"] = "Departamento"
        ws["B3"] = "Año"
        ws["B4"] = 2021
        ws["C4"] = 2022
        ws.append(["Antioquia", a21, a22])
        ws.append(["Total Nacional", n21, n22])
        ws["A8"] = "Fecha de publicación: 30 de agosto de 2024."
    if mutate:
        mutate(wb)
    wb.save(path)
    return path
