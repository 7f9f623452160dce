"""The look of the platform's XLSX exports: one header row style, text format for codes."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

TEXT = "@"
"""Number format that keeps DIVIPOLA codes and identifiers as text (leading zeros)."""

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="0B5394")


def header_row(sheet: Worksheet, titles: Sequence[str], widths: Sequence[int] = ()) -> None:
    """Append ``titles`` as the sheet's styled, frozen header row; ``widths`` sets the column
    widths from the first column."""
    sheet.append(list(titles))
    for cell in sheet[sheet.max_row]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    column_widths(sheet, widths)


def column_widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    """Set the widths of the first ``len(widths)`` columns."""
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
