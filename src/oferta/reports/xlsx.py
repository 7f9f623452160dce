"""The XLSX of a director's report: one sheet per section of ReportContent, and "Fuentes".

Codes are written as text (leading zeros kept), figures as numbers with a number format, so
that the workbook can be recalculated; the source and period of each sheet sit above its table.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .content import Column, ReportContent, Section, Source

_FORMATS = {
    "percent": "0.0",
    "days": "0.0",
    "score": "0.0",
    "count": "#,##0",
    "cop": "#,##0",
    "year": "0",
    "rank": "0",
    "code": "@",
}
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="EEF3F8")
_HIGHLIGHT_FILL = PatternFill("solid", fgColor="FBE9E7")
_NOTE = Font(italic=True, size=9)


def _sheet_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "-", name)[:31] or "Hoja"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" {n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _source_text(source: Source | None, period: str = "") -> str:
    if source is None:
        return ""
    released = source.release_date.isoformat() if source.release_date else _("fecha no registrada")
    text = f"{_('Fuente:')} {source.title} · {source.publisher} · {released}"
    if period:
        text += f" · {_('período')} {period}"
    return text


def _write(cell: Any, value: Any, kind: str) -> None:
    if value is None or value == "":
        cell.value = None
        return
    if kind == "code":
        cell.value = str(value)
        cell.number_format = "@"
        return
    if kind in _FORMATS and isinstance(value, int | float | Decimal):
        cell.value = value
        cell.number_format = _FORMATS[kind]
        return
    cell.value = str(value)


def _table(
    ws: Worksheet, row: int, columns: list[Column], rows: list[list[Any]], highlighted: set[int]
) -> int:
    for j, column in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=j, value=column.label)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        ws.column_dimensions[get_column_letter(j)].width = max(12, min(48, len(column.label) + 2))
    for i, values in enumerate(rows):
        for j, (value, column) in enumerate(zip(values, columns, strict=True), start=1):
            cell = ws.cell(row=row + 1 + i, column=j)
            _write(cell, value, column.kind)
            if i in highlighted:
                cell.font = _BOLD
                cell.fill = _HIGHLIGHT_FILL
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    return row + 1 + len(rows)


def _cover(ws: Worksheet, content: ReportContent) -> None:
    ws["A1"] = f"{content.level_label}: {content.territory.label}"
    ws["A1"].font = _TITLE
    facts = [
        (_("Territorio"), content.territory.label),
        (_("Código"), content.territory.code),
        (_("Generado el"), content.generated_at.replace(tzinfo=None)),
        (_("Solicitado por"), content.requested_by or "—"),
    ]
    for i, (label, value) in enumerate(facts, start=3):
        ws.cell(row=i, column=1, value=label).font = _BOLD
        cell = ws.cell(row=i, column=2, value=value)
        if label == _("Código"):
            cell.number_format = "@"
        elif i == 5:
            cell.number_format = "yyyy-mm-dd hh:mm"
    for i, note in enumerate(content.notes, start=3 + len(facts) + 1):
        ws.cell(row=i, column=1, value=note).font = _NOTE
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 48


def _key_figures(ws: Worksheet, content: ReportContent) -> None:
    ws["A1"] = _("Cifras clave")
    ws["A1"].font = _TITLE
    columns = [
        Column(_("Indicador")),
        Column(_("Valor")),
        Column(_("Unidad")),
        Column(_("Período")),
        Column(_("Nota")),
        Column(_("Fuente")),
        Column(_("Entidad")),
        Column(_("Fecha de publicación")),
    ]
    units = {"percent": "%", "cop": "COP", "count": _("número"), "rank": _("puesto")}
    rows = [
        [
            f.label,
            f.value,
            units.get(f.kind, ""),
            f.period,
            f.note,
            f.source.title if f.source else "",
            f.source.publisher if f.source else "",
            f.source.release_date if f.source else None,
        ]
        for f in content.key_figures
    ]
    _table(ws, 3, columns, rows, set())
    for i, figure in enumerate(content.key_figures, start=4):
        _write(ws.cell(row=i, column=2), figure.value, figure.kind)
        ws.cell(row=i, column=4).number_format = "@"
        date_cell = ws.cell(row=i, column=8)
        date_cell.value = figure.source.release_date if figure.source else None
        date_cell.number_format = "yyyy-mm-dd"
    ws.column_dimensions["A"].width = 52
    ws.column_dimensions["F"].width = 60


def _section(ws: Worksheet, section: Section) -> None:
    ws["A1"] = section.title
    ws["A1"].font = _TITLE
    ws["A2"] = _source_text(section.source, section.period)
    ws["A2"].font = _NOTE
    if section.note:
        ws["A3"] = section.note
        ws["A3"].font = _NOTE
    if section.rows:
        _table(ws, 5, section.columns, section.rows, section.highlighted)
    else:
        ws["A5"] = section.empty_message or _("Sin datos.")


def _sources(ws: Worksheet, sources: list[Source]) -> None:
    ws["A1"] = _("Fuentes")
    ws["A1"].font = _TITLE
    columns = [
        Column(_("Código"), "code"),
        Column(_("Fuente")),
        Column(_("Entidad")),
        Column(_("Fecha de publicación")),
    ]
    _table(ws, 3, columns, [[s.code, s.title, s.publisher, None] for s in sources], set())
    for i, source in enumerate(sources, start=4):
        cell = ws.cell(row=i, column=4, value=source.release_date)
        cell.number_format = "yyyy-mm-dd"
    ws.column_dimensions["B"].width = 80


def report_xlsx(content: ReportContent) -> bytes:
    """XLSX bytes of ``content``: Portada, Cifras clave, the values of each choropleth, one
    sheet per section, Fuentes."""
    workbook = Workbook()
    taken: set[str] = set()
    cover = workbook.active
    cover.title = _sheet_name(_("Portada"), taken)
    _cover(cover, content)
    _key_figures(workbook.create_sheet(_sheet_name(_("Cifras clave"), taken)), content)
    for figure in content.maps:
        if figure.values is not None:
            _section(workbook.create_sheet(_sheet_name(figure.values.key, taken)), figure.values)
    for section in content.sections:
        _section(workbook.create_sheet(_sheet_name(section.key, taken)), section)
    _sources(workbook.create_sheet(_sheet_name(_("Fuentes"), taken)), content.sources)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
