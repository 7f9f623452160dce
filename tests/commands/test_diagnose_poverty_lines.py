"""The shipped poverty-lines CSV is exactly what the extraction from DANE's annex produces."""

from __future__ import annotations

import csv

from oferta.commands.poverty_lines import poverty_line_rows
from oferta.engine.diagnostics.monetary import POVERTY_LINES_CSV


def test_shipped_csv_matches_the_dane_annex_extraction() -> None:
    with POVERTY_LINES_CSV.open(encoding="utf-8", newline="") as fh:
        shipped = list(csv.DictReader(fh))
    assert shipped == poverty_line_rows()


def test_departmental_rows_cite_the_annex_release() -> None:
    rows = [r for r in poverty_line_rows() if r["department_code"] != "CO"]
    assert rows
    assert all("publicado el 2024-08-30" in r["source"] for r in rows)
