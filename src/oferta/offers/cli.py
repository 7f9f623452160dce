"""`oferta catalogue …`: HSDS 3.0 export and import of the offer catalogue."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

catalogue_app = typer.Typer(
    help="Catálogo de oferta: exportar e importar en HSDS 3.0.", no_args_is_help=True
)

_LABELS = {
    "organizations": "entidades",
    "services": "ofertas",
    "taxonomies": "taxonomías",
    "taxonomy_terms": "términos de taxonomía",
}


class ExportFormat(StrEnum):
    HSDS_JSON = "hsds-json"


@catalogue_app.command("export")
def export_command(
    out: Annotated[
        Path, typer.Option("--out", help="Directorio de salida (se crea si no existe).")
    ],
    format_: Annotated[
        ExportFormat, typer.Option("--format", help="Formato de salida.")
    ] = ExportFormat.HSDS_JSON,
) -> None:
    """Export the whole catalogue as HSDS 3.0 JSON (one array of full objects per file)."""
    from oferta.cli import django_setup

    django_setup()
    from oferta.offers.hsds.export import catalogue_export

    result = catalogue_export(directory=out)
    for stem, count in result.counts.items():
        typer.echo(f"{_LABELS[stem]}: {count}  ({out / (stem + '.json')})")
    if result.issues:
        typer.echo(
            f"Atención: {len(result.issues)} problemas frente al esquema HSDS 3.0:", err=True
        )
        for issue in result.issues[:50]:
            typer.echo(f"  {issue}", err=True)
        raise typer.Exit(code=1)
    typer.echo("Exportación válida frente a HSDS 3.0 y al perfil de oferta.")


@catalogue_app.command("import")
def import_command(
    directory: Annotated[
        Path,
        typer.Argument(
            exists=True, file_okay=False, help="Directorio con archivos JSON de HSDS 3.0."
        ),
    ],
) -> None:
    """Import HSDS 3.0 JSON files (validated first; all or nothing)."""
    from oferta.cli import django_setup

    django_setup()
    from oferta.offers.hsds.importer import CatalogueImportError, catalogue_import

    try:
        result = catalogue_import(directory=directory)
    except CatalogueImportError as error:
        typer.echo(
            f"Importación rechazada; no se guardó nada ({len(error.issues)} errores):", err=True
        )
        for issue in error.issues:
            typer.echo(f"  {issue}", err=True)
        raise typer.Exit(code=2) from error
    for warning in result.warnings:
        typer.echo(f"Aviso: {warning}", err=True)
    typer.echo(f"Importado desde {directory} ({', '.join(result.files)}):")
    for kind, count in result.counts.items():
        if kind in result.created or kind in result.updated:
            typer.echo(
                f"  {kind}: {count} (nuevos {result.created.get(kind, 0)}, "
                f"actualizados {result.updated.get(kind, 0)})"
            )
        else:
            typer.echo(f"  {kind}: {count}")
