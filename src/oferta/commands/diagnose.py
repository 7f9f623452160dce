"""`oferta diagnose`: validate a registry, compute IPM and monetary poverty, write the results.

Writes ``DIR/households.parquet`` (one row per accepted household), ``DIR/aggregates.parquet``
(national plus each ``--by`` grouping), ``DIR/summary.json`` and, when rows were rejected,
``DIR/rejects.csv``; prints the national H, A and M0 in Spanish. Register with
``app.command("diagnose")(diagnose_command)``.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer
from rich.console import Console

from oferta.engine.contracts.conform import TableName
from oferta.engine.diagnostics import (
    GROUPINGS,
    METHODS,
    diagnose,
    load_poverty_lines,
    parse_k,
)
from oferta.engine.diagnostics.indicators import HOUSEHOLD_INPUT_COLUMNS, PERSON_INPUT_COLUMNS
from oferta.engine.diagnostics.pipeline import household_output_columns

DIAGNOSIS_COLUMNS: dict[TableName, tuple[str, ...]] = {
    "households": (*HOUSEHOLD_INPUT_COLUMNS, "municipality_code", "monthly_income"),
    "persons": PERSON_INPUT_COLUMNS,
}
"""The accepted columns the diagnosis reads (persons also keep ``age``); every column of the
registry is still validated, but names and documents are not kept in memory."""


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f} %".replace(".", ",")


def _decimal(value: float | None) -> str:
    return "—" if value is None else f"{value:.4f}".replace(".", ",")


def diagnose_command(
    households: Annotated[
        Path,
        typer.Option("--households", help="Archivo de hogares (CSV, Parquet o XLSX).", exists=True),
    ],
    persons: Annotated[
        Path,
        typer.Option("--persons", help="Archivo de personas (CSV, Parquet o XLSX).", exists=True),
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Carpeta de resultados (se crea si no existe).")
    ],
    method: Annotated[
        str, typer.Option("--method", help="Método IPM: " + ", ".join(sorted(METHODS)) + ".")
    ] = "dane-ecv-2018",
    k: Annotated[
        str, typer.Option("--k", help="Punto de corte k (0.33, 1/3 o 33%); comparación exacta.")
    ] = "0.33",
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Fecha de referencia de las edades (AAAA-MM-DD); hoy."),
    ] = None,
    lines_year: Annotated[
        int, typer.Option("--lines-year", help="Año de las líneas de pobreza del DANE.")
    ] = 2024,
    by: Annotated[
        list[str] | None,
        typer.Option("--by", help="Agrupación adicional (repetible): " + ", ".join(GROUPINGS)),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Si alguna fila es rechazada, rechazar todo.")
    ] = False,
) -> None:
    """Diagnose a registry: IPM (DANE), monetary poverty, quadrant and Alkire-Foster aggregates."""
    from oferta.engine.contracts.validation import validate_registry_files, write_rejects

    console = Console(stderr=True, highlight=False)
    if method not in METHODS:
        raise typer.BadParameter(
            f"método desconocido '{method}'; use uno de: {', '.join(sorted(METHODS))}",
            param_hint="--method",
        )
    try:
        cutoff = parse_k(k)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--k") from exc
    try:
        reference = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError as exc:
        raise typer.BadParameter(f"fecha no válida: '{as_of}'", param_hint="--as-of") from exc
    by = list(by or [])
    unknown = [b for b in by if b not in GROUPINGS]
    if unknown:
        raise typer.BadParameter(
            f"agrupación desconocida: {', '.join(unknown)}; use: {', '.join(GROUPINGS)}",
            param_hint="--by",
        )
    lines = load_poverty_lines()
    if lines.filter(pl.col("year") == lines_year, pl.col("department_code") == "CO").is_empty():
        years = sorted(set(lines["year"].to_list()))
        raise typer.BadParameter(
            f"no hay líneas de pobreza para {lines_year}; años disponibles: "
            + ", ".join(str(y) for y in years),
            param_hint="--lines-year",
        )

    timings: dict[str, float] = {}
    started_all = time.perf_counter()

    def stage_done(name: str, seconds: float) -> None:
        timings[name] = round(seconds, 3)
        console.print(f"  ✓ {name}: {seconds:.1f} s")

    with console.status("Leyendo y validando el registro…"):
        started = time.perf_counter()
        validation = validate_registry_files(
            households,
            persons,
            as_of=reference,
            strict=strict,
            columns=DIAGNOSIS_COLUMNS,
        )
    stage_done("lectura y validación", time.perf_counter() - started)
    out.mkdir(parents=True, exist_ok=True)
    if validation.rejects.height:
        write_rejects(validation.rejects, out / "rejects.csv")
    counts = {
        table: {
            "read": c.read,
            "accepted": c.accepted,
            "rejected": c.rejected,
        }
        for table, c in validation.counts.items()
    }
    for table, c in counts.items():
        console.print(
            f"  {table}: {c['read']:,} leídos, {c['accepted']:,} aceptados, "
            f"{c['rejected']:,} rechazados".replace(",", ".")
        )

    with console.status("Calculando privaciones, puntajes y agregados…"):
        result = diagnose(
            validation.households.lazy(),
            validation.persons.lazy(),
            method=METHODS[method],
            k=cutoff,
            lines=lines,
            lines_year=lines_year,
            by=by,
            as_of=reference,
            on_stage=stage_done,
        )

    with console.status("Escribiendo resultados…"):
        started = time.perf_counter()
        result.households.select(household_output_columns(METHODS[method])).sink_parquet(
            out / "households.parquet"
        )
        result.aggregates.write_parquet(out / "aggregates.parquet")
        timings["escritura"] = round(time.perf_counter() - started, 3)
    timings["total"] = round(time.perf_counter() - started_all, 3)

    summary: dict[str, Any] = {
        **result.summary,
        "k_text": k,
        "as_of": reference.isoformat(),
        "inputs": {"households": str(households), "persons": str(persons)},
        "validation": {"strict": strict, "counts": counts},
        "timings_seconds": timings,
    }
    (out / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    national = result.summary["national"]
    typer.echo(f"IPM nacional ({method}, k = {k}):")
    typer.echo(f"  Incidencia (H): {_percent(national['H'])}")
    typer.echo(f"  Intensidad (A): {_percent(national['A'])}")
    typer.echo(f"  Incidencia ajustada (M0): {_decimal(national['M0'])}")
    typer.echo(f"Resultados en {out}")
