"""Display text of a report value by column kind (Spanish number format in the active locale)."""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format

MISSING = "—"


def display(value: Any, kind: str) -> str:
    """``Decimal("92.2"), "percent"`` → "92,2" under es-co; None → "—"."""
    if value is None or value == "":
        return MISSING
    if kind in ("percent", "days", "score"):
        return number_format(value, decimal_pos=1, use_l10n=True)
    if kind == "count":
        return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
    if kind == "cop":
        return "$ " + number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
    return str(value)
