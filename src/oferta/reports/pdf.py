"""The PDF of a director's report: ReportContent rendered by a print template with WeasyPrint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oferta.offers.pdf import render_pdf

from .content import ReportContent, Section
from .formatting import display

TEMPLATE = "reports/print/report.html"


@dataclass(frozen=True, slots=True)
class _Cell:
    text: str
    numeric: bool


@dataclass(frozen=True, slots=True)
class _Row:
    cells: list[_Cell]
    highlighted: bool


_NUMERIC = {"percent", "count", "cop", "days", "rank", "year", "score"}


def _rows(section: Section) -> list[_Row]:
    kinds = [c.kind for c in section.columns]
    return [
        _Row(
            cells=[_Cell(display(v, k), k in _NUMERIC) for v, k in zip(row, kinds, strict=True)],
            highlighted=i in section.highlighted,
        )
        for i, row in enumerate(section.rows)
    ]


def report_pdf(content: ReportContent) -> bytes:
    """PDF bytes of ``content`` (cover, key figures, map, sections with charts, sources)."""
    context: dict[str, Any] = {
        "c": content,
        "key_figures": [(f, display(f.value, f.kind)) for f in content.key_figures],
        "sections": [(s, _rows(s)) for s in content.sections],
    }
    return render_pdf(TEMPLATE, context)
