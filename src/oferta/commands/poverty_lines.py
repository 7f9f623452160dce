"""Build the engine's poverty-lines CSV from DANE's monetary-poverty annex (reproducible).

Departmental and national lines for 2021-2023 come from the annex shipped in
``oferta/territories/data/anex-PM-Departamental-2023.xlsx`` (sheets ``LP Act.Met.`` and
``LPE Act.Met.``); the national lines of other years are DANE figures listed below with their
release. Run ``python -m oferta.commands.poverty_lines`` to rewrite
``oferta/engine/diagnostics/data/poverty_lines.csv``; a test checks the file against this.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Final

from oferta.engine.diagnostics.monetary import POVERTY_LINES_CSV
from oferta.territories.dane_annex import DATA_DIR, dane_annex_parse

ANNEX: Final[Path] = DATA_DIR / "anex-PM-Departamental-2023.xlsx"
COLUMNS: Final[tuple[str, ...]] = (
    "department_code",
    "year",
    "poverty_line",
    "extreme_poverty_line",
    "source",
)

# National lines not in the annex: (year, poverty line, extreme line, source).
_OTHER_NATIONAL: Final[tuple[tuple[int, int, int, str], ...]] = (
    (
        2019,
        327674,
        137350,
        "DANE, Pobreza monetaria 2019 (GEIH, actualización metodológica de 2020; serie anterior"
        " a las líneas ENPH 2016-2017, no comparable con 2021 en adelante)",
    ),
    (
        2020,
        331688,
        145004,
        "DANE, Pobreza monetaria 2020 (GEIH, publicación de 2021; serie anterior a las líneas"
        " ENPH 2016-2017, no comparable con 2021 en adelante)",
    ),
    (
        2024,
        460198,
        227220,
        "DANE, Pobreza monetaria 2024 (GEIH), boletín técnico de julio de 2025",
    ),
)


def poverty_line_rows(annex: Path = ANNEX) -> list[dict[str, str]]:
    """Rows of the CSV, sorted by department code ("CO" first) and year."""
    parsed = dane_annex_parse(path=annex)
    source = f"{parsed.title}, publicado el {parsed.release_date.isoformat()}"
    lines: dict[tuple[str, int], dict[str, str]] = {}
    for fig in parsed.figures:
        if fig.indicator not in {"poverty_line", "extreme_poverty_line"}:
            continue
        if fig.value != fig.value.to_integral_value():
            raise ValueError(f"{fig.territory_code} {fig.year}: line {fig.value} is not whole")
        row = lines.setdefault(
            (fig.territory_code, fig.year),
            {"department_code": fig.territory_code, "year": str(fig.year), "source": source},
        )
        row[fig.indicator] = str(int(fig.value))
    for year, lp, lpe, text in _OTHER_NATIONAL:
        if ("CO", year) in lines:
            raise ValueError(f"national {year} is both in the annex and in the extra list")
        lines[("CO", year)] = {
            "department_code": "CO",
            "year": str(year),
            "poverty_line": str(lp),
            "extreme_poverty_line": str(lpe),
            "source": text,
        }
    ordered = sorted(lines.items(), key=lambda kv: (kv[0][0] != "CO", kv[0][0], kv[0][1]))
    return [{c: row[c] for c in COLUMNS} for _, row in ordered]


def write_poverty_lines(path: Path = POVERTY_LINES_CSV, annex: Path = ANNEX) -> int:
    """Write the CSV; returns the number of rows."""
    rows = poverty_line_rows(annex)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":  # pragma: no cover
    n = write_poverty_lines()
    sys.stdout.write(f"{n} líneas escritas en {POVERTY_LINES_CSV}\n")
