"""`oferta synth`: synthetic registries, and the calibration tables derived from DANE's files.

The engine (:mod:`oferta.engine.synth`) never reads the territories app: its calibration inputs are
small CSVs in ``oferta/engine/synth/data/`` derived here from the files shipped in
``oferta/territories/data/`` (run ``oferta synth derive-data``; a test checks they are current):

- ``municipal_targets.csv``: the census IPM 2018 of every municipal unit (total, cabecera, rural)
  with its department, from ``ipm_municipios.csv`` and ``divipola_municipios_mgn2018.csv``;
- ``deprivation_rates.csv``: the survey (ECV 2018) IPM and its 15 deprivation rates by
  department and zone, from DANE's annex ``anex-PMultidimensional-Departamental-2024.xlsx``.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Final

import typer

from oferta.engine.synth.calibration import (
    DEPRIVATION_RATES_CSV,
    MUNICIPAL_TARGETS_CSV,
    RATES_YEAR,
)

synth_app = typer.Typer(
    help="Registros sintéticos calibrados con datos del DANE.", no_args_is_help=True
)

_TERRITORIES_DATA: Final[Path] = Path(__file__).resolve().parents[1] / "territories" / "data"
IPM_MUNICIPAL: Final[Path] = _TERRITORIES_DATA / "ipm_municipios.csv"
DIVIPOLA: Final[Path] = _TERRITORIES_DATA / "divipola_municipios_mgn2018.csv"
IPM_ANNEX: Final[Path] = _TERRITORIES_DATA / "anex-PMultidimensional-Departamental-2024.xlsx"

TARGET_COLUMNS: Final = (
    "municipality_code",
    "department_code",
    "ipm_total",
    "ipm_urban",
    "ipm_rural",
)
RATE_COLUMNS: Final = ("department_code", "zone", "indicator", "percent")


def municipal_target_rows(
    ipm_path: Path = IPM_MUNICIPAL, divipola_path: Path = DIVIPOLA
) -> list[dict[str, str]]:
    """Census IPM 2018 per municipal unit, with the department from DIVIPOLA (sorted by code)."""
    with divipola_path.open(encoding="utf-8", newline="") as fh:
        department = {r["cod_mpio"]: r["cod_dpto"] for r in csv.DictReader(fh)}
    rows = []
    with ipm_path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            code = r["cod_municipio"].strip()
            if code not in department:
                raise ValueError(
                    f"{ipm_path.name}: municipality {code} is not in {divipola_path.name}"
                )
            rows.append(
                {
                    "municipality_code": code,
                    "department_code": department[code],
                    "ipm_total": r["ipm_total"].strip(),
                    "ipm_urban": r["ipm_cabecera"].strip(),
                    "ipm_rural": r["ipm_rural"].strip(),
                }
            )
    if {r["municipality_code"] for r in rows} != set(department):
        raise ValueError(f"{ipm_path.name} and {divipola_path.name} list different municipalities")
    return sorted(rows, key=lambda r: r["municipality_code"])


def deprivation_rate_rows(
    annex_path: Path = IPM_ANNEX, year: int = RATES_YEAR
) -> list[dict[str, str]]:
    """ECV IPM (``ipm_survey``) and deprivation rates by department and zone for ``year``."""
    from oferta.territories.dane_annex import dane_annex_parse

    annex = dane_annex_parse(path=annex_path)
    rows = []
    for fig in annex.figures:
        if fig.year != year or fig.territory_level != "department" or fig.zone == "total":
            continue
        if fig.indicator == "ipm_survey":
            indicator = "ipm_survey"
        elif fig.indicator.startswith("deprivation:"):
            indicator = fig.indicator.split(":", 1)[1]
        else:
            continue
        rows.append(
            {
                "department_code": fig.territory_code,
                "zone": fig.zone,
                "indicator": indicator,
                "percent": f"{fig.value:.1f}",
            }
        )
    return sorted(rows, key=lambda r: (r["department_code"], r["zone"], r["indicator"]))


def _csv_text(rows: Sequence[dict[str, str]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def derived_files() -> dict[Path, str]:
    """The text each derived calibration CSV must hold (what ``derive-data`` writes)."""
    return {
        MUNICIPAL_TARGETS_CSV: _csv_text(municipal_target_rows(), TARGET_COLUMNS),
        DEPRIVATION_RATES_CSV: _csv_text(deprivation_rate_rows(), RATE_COLUMNS),
    }


@synth_app.command("derive-data")
def derive_data() -> None:
    """Rewrite the engine's calibration CSVs from the DANE files shipped with territories."""
    for path, text in derived_files().items():
        path.write_text(text, encoding="utf-8")
        typer.echo(f"{path.name}: {text.count(chr(10)) - 1} filas")


def _departments(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [d.strip().zfill(2) for d in value.split(",") if d.strip()]


@synth_app.command("registry")
def registry(
    out: Annotated[Path, typer.Option("--out", help="Carpeta de salida.")],
    households: int = typer.Option(
        10_000, "--households", min=1, help="Número total de hogares (repartidos por municipio)."
    ),
    seed: int = typer.Option(
        0, "--seed", min=0, help="Semilla: los mismos argumentos dan los mismos archivos."
    ),
    departments: str | None = typer.Option(
        None, "--departments", help="Códigos DIVIPOLA de departamento separados por coma (05,68)."
    ),
    per_municipality: int | None = typer.Option(
        None,
        "--households-per-municipality",
        min=1,
        help="Hogares en cada municipio (en lugar de --households).",
    ),
    file_format: str = typer.Option("parquet", "--format", help="parquet o csv."),
    as_of: str = typer.Option("2024-06-30", "--as-of", help="Fecha de referencia de las edades."),
) -> None:
    """Write a synthetic registry (households and persons, contract v1) calibrated to DANE data."""
    from oferta.engine.synth import write_registry

    if file_format not in {"parquet", "csv"}:
        raise typer.BadParameter("use parquet o csv", param_hint="--format")
    try:
        reference = date.fromisoformat(as_of)
    except ValueError as exc:
        raise typer.BadParameter("fecha ISO (AAAA-MM-DD)", param_hint="--as-of") from exc
    started = time.perf_counter()
    try:
        written = write_registry(
            out,
            households=households,
            seed=seed,
            departments=_departments(departments),
            as_of=reference,
            households_per_municipality=per_municipality,
            file_format=file_format,  # type: ignore[arg-type]
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    elapsed = time.perf_counter() - started
    typer.echo(
        f"{written.households:,} hogares y {written.persons:,} personas en {out} "
        f"({elapsed:.1f} s)".replace(",", ".")
    )


if __name__ == "__main__":
    derive_data()
