"""`oferta route`: eligibility and optimal allocation of offer places from files.

Reads a registry (households and persons files, contract v1), diagnoses it (IPM and monetary
poverty) and routes it to the offers of an HSDS ``services.json`` exported by ``oferta catalogue
export`` (rules and slots in each service's ``x_oferta``). Writes ``assignments.parquet``,
``unfilled_places.parquet``, ``unmet_need.parquet`` and ``run.json``. Register with
``app.command("route")(route_command)``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

_HOUSEHOLD_NAMES = ("hogares", "households")
_PERSON_NAMES = ("personas", "persons")
_SUFFIXES = (".csv", ".parquet", ".xlsx")


def _find(directory: Path, stems: tuple[str, ...]) -> Path | None:
    for stem in stems:
        for suffix in _SUFFIXES:
            candidate = directory / f"{stem}{suffix}"
            if candidate.exists():
                return candidate
    return None


def _number(value: float) -> str:
    return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def route_command(
    households: Annotated[
        Path,
        typer.Option(
            "--households",
            help="Archivo de hogares, o carpeta con hogares.csv y personas.csv.",
            exists=True,
        ),
    ],
    offers: Annotated[
        Path,
        typer.Option(
            "--offers", help="services.json de 'oferta catalogue export' (HSDS).", exists=True
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Carpeta de resultados (se crea si no existe).")
    ],
    persons: Annotated[
        Path | None,
        typer.Option("--persons", help="Archivo de personas (si --households es un archivo)."),
    ] = None,
    k: Annotated[int, typer.Option("--k", help="Máximo de ofertas por hogar (K).", min=1)] = 3,
    method: Annotated[str, typer.Option("--method", help="Método IPM.")] = "dane-cnpv-2018",
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Fecha de referencia de las edades (AAAA-MM-DD); hoy."),
    ] = None,
    lines_year: Annotated[
        int, typer.Option("--lines-year", help="Año de las líneas de pobreza del DANE.")
    ] = 2024,
) -> None:
    """Route households to offers: eligibility, optimal allocation (vs greedy), verification."""
    from oferta.engine.allocation import DEFAULT_POLICY
    from oferta.engine.contracts.validation import validate_registry_files
    from oferta.engine.diagnostics import METHODS, diagnose, load_poverty_lines
    from oferta.referrals.routing import offers_from_hsds, route_frames

    if method not in METHODS:
        raise typer.BadParameter(
            f"método desconocido '{method}'; use uno de: {', '.join(sorted(METHODS))}",
            param_hint="--method",
        )
    households_path = households
    if households.is_dir():
        found = _find(households, _HOUSEHOLD_NAMES)
        if found is None:
            raise typer.BadParameter(
                f"no hay hogares.csv (ni .parquet/.xlsx) en {households}", param_hint="--households"
            )
        households_path = found
        persons = persons or _find(households, _PERSON_NAMES)
    if persons is None or not persons.exists():
        raise typer.BadParameter("falta el archivo de personas", param_hint="--persons")
    try:
        reference = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError as exc:
        raise typer.BadParameter(f"fecha no válida: '{as_of}'", param_hint="--as-of") from exc
    try:
        services = json.loads(offers.read_text(encoding="utf-8"))
        offers_df, places_df = offers_from_hsds(services)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise typer.BadParameter(
            f"{offers.name}: no es un services.json de HSDS válido ({type(exc).__name__})",
            param_hint="--offers",
        ) from exc

    def progress(percent: int, stage: str) -> None:
        typer.echo(f"[{percent:3d} %] {stage}")

    progress(2, "Leyendo y validando el registro")
    validation = validate_registry_files(households_path, persons, as_of=reference)
    if validation.households.height == 0:
        typer.echo(
            "Ningún hogar fue aceptado por la validación; no hay nada que asignar.", err=True
        )
        raise typer.Exit(1)
    progress(6, "Calculando el diagnóstico (IPM y pobreza monetaria)")
    diagnosis = diagnose(
        validation.households.lazy(),
        validation.persons.lazy(),
        method=METHODS[method],
        k=DEFAULT_POLICY.k,  # the policy's k, stored with the run
        lines=load_poverty_lines(),
        lines_year=lines_year,
        as_of=reference,
    )
    result = route_frames(
        households=validation.households.lazy(),
        persons=validation.persons.lazy(),
        diagnosis=diagnosis.households,
        offers=offers_df,
        places=places_df,
        k_max=k,
        policy=DEFAULT_POLICY,
        progress=progress,
    )
    progress(95, "Escribiendo resultados")
    out.mkdir(parents=True, exist_ok=True)
    result.assignments.write_parquet(out / "assignments.parquet")
    result.unfilled_places().write_parquet(out / "unfilled_places.parquet")
    result.unmet_need().write_parquet(out / "unmet_need.parquet")
    figures = result.figures()
    record: dict[str, Any] = {
        "parameters": {
            "k_max": k,
            "method": method,
            "as_of": reference.isoformat(),
            "lines_year": lines_year,
        },
        "inputs": {
            "households": str(households_path),
            "persons": str(persons),
            "offers": str(offers),
            "validation": {
                t: {"read": c.read, "accepted": c.accepted, "rejected": c.rejected}
                for t, c in validation.counts.items()
            },
            **result.inputs_summary,
        },
        "policy": DEFAULT_POLICY.to_dict(),
        "figures": figures,
        "min_cost_flow": result.optimal.summary(),
        "greedy": result.greedy.summary(),
        "verifier": result.verification,
        "greedy_verifier": result.greedy_verification,
        "invalid_rules": result.invalid_rules,
        "timings_seconds": result.timings,
    }
    (out / "run.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    progress(100, "Terminada")
    greedy = figures["greedy_objective"]
    gain = (figures["objective"] / greedy - 1) * 100 if greedy else 0.0
    typer.echo(
        f"Hogares: {result.inputs_summary['households']} · ofertas: "
        f"{result.inputs_summary['offers']} · cupos: {result.inputs_summary['places']}"
    )
    typer.echo(
        f"Valor óptimo (flujo de costo mínimo): {_number(figures['objective'])} · "
        f"voraz: {_number(greedy)} ({_number(gain)} % más)"
    )
    typer.echo(
        f"Cupos asignados: {figures['places_filled']} (voraz {figures['greedy_places_filled']}) · "
        f"hogares alcanzados: {figures['households_reached']} "
        f"(voraz {figures['greedy_households_reached']})"
    )
    typer.echo(
        "Verificación: "
        + ("todas las restricciones se cumplen" if result.verification["ok"] else "FALLÓ")
    )
    if result.invalid_rules:
        typer.echo(f"Ofertas omitidas por regla inválida: {len(result.invalid_rules)}")
    typer.echo(f"Resultados en {out}")
    if not result.verification["ok"]:
        raise typer.Exit(1)
