"""`oferta registry …`: load a household registry extract into the database."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

registry_app = typer.Typer(
    help="Registro de hogares: importar extractos (Sisbén IV, Registro Social de Hogares).",
    no_args_is_help=True,
)

_METHODS = ("dane-cnpv-2018", "dane-ecv-2018")


@registry_app.callback()
def registry_callback() -> None:
    """Registro de hogares: importar extractos (Sisbén IV, Registro Social de Hogares)."""
    # A callback keeps `registry` a group even with one command (`oferta registry import`).


def _parse_date(value: str | None) -> date:
    if not value:
        return date.today()
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise typer.BadParameter(f"fecha no válida: {value!r} (use AAAA-MM-DD)") from exc


@registry_app.command("import")
def import_command(
    households: Annotated[
        Path,
        typer.Option("--households", exists=True, dir_okay=False, help="Archivo de hogares."),
    ],
    persons: Annotated[
        Path,
        typer.Option("--persons", exists=True, dir_okay=False, help="Archivo de personas."),
    ],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Fecha de referencia de las edades (AAAA-MM-DD; hoy)."),
    ] = None,
    method: Annotated[
        str, typer.Option("--method", help=f"Método IPM: {' o '.join(_METHODS)}.")
    ] = "dane-cnpv-2018",
    k: Annotated[str, typer.Option("--k", help="Umbral k (0.33, 1/3 o 33%).")] = "0.33",
    strict: Annotated[
        bool, typer.Option("--strict", help="Si alguna fila tiene errores, no cargar nada.")
    ] = False,
    user: Annotated[
        str | None,
        typer.Option("--user", help="Usuario a nombre de quien queda la auditoría."),
    ] = None,
) -> None:
    """Validate, diagnose and load a registry (CSV, Parquet or XLSX) with a progress bar.

    A new import replaces the households of the municipalities it brings; households keep
    their identifiers when they come again. Rejected rows go to a rejects CSV.
    """
    from oferta.cli import django_setup

    django_setup()
    from oferta.core.progress import progress_bar
    from oferta.households.models import ImportStatus
    from oferta.households.services import (
        RegistryImportFailed,
        registry_import_create,
        registry_import_run,
    )

    reference = _parse_date(as_of)
    actor = None
    if user:
        from django.contrib.auth import get_user_model

        actor = get_user_model().objects.filter(username=user).first()
        if actor is None:
            raise typer.BadParameter(f"no existe el usuario {user!r}", param_hint="--user")
    try:
        registry_import = registry_import_create(
            households_file_name=households.name,
            persons_file_name=persons.name,
            as_of=reference,
            method_code=method,
            k=k,
            strict=strict,
            actor=actor,
        )
    except RegistryImportFailed as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(code=2) from exc

    with progress_bar("Importando") as progress:
        result = registry_import_run(
            registry_import=registry_import,
            households_path=households,
            persons_path=persons,
            progress=progress,
        )
    typer.echo(f"Importación {result.uuid}: {result.get_status_display()}")
    typer.echo(
        f"Hogares: {result.households_read} leídos, {result.households_accepted} aceptados, "
        f"{result.households_rejected} rechazados"
    )
    typer.echo(
        f"Personas: {result.persons_read} leídas, {result.persons_accepted} aceptadas, "
        f"{result.persons_rejected} rechazadas"
    )
    if result.status == ImportStatus.SUCCEEDED:
        typer.echo(
            f"Municipios: {len(result.municipality_codes)}; hogares retirados por ya no estar "
            f"en el registro: {result.households_removed}"
        )
        if result.households_kept:
            typer.echo(
                f"Hogares que salieron del registro pero se conservan por sus remisiones: "
                f"{result.households_kept}"
            )
    if result.status == ImportStatus.SUCCEEDED:
        from oferta.insights.services import insights_refresh

        outcome = insights_refresh(municipality_codes=list(result.municipality_codes))
        typer.echo(f"Lectura territorial actualizada: {outcome}")
    if result.rejects_path:
        typer.echo(f"Rechazos: {result.rejects_path}")
    if result.status != ImportStatus.SUCCEEDED:
        typer.echo(result.error_message, err=True)
        raise typer.Exit(code=1)
