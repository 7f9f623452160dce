"""`oferta insights …`: refresh the precomputed territorial aggregates."""

from __future__ import annotations

from typing import Annotated

import typer

insights_app = typer.Typer(
    help="Lectura territorial: cifras del registro, oferta y remisiones por municipio.",
    no_args_is_help=True,
)


@insights_app.callback()
def insights_callback() -> None:
    """Lectura territorial: cifras del registro, oferta y remisiones por municipio."""
    # A callback keeps `insights` a group even with one command (`oferta insights refresh`).


@insights_app.command("refresh")
def refresh_command(
    municipality: Annotated[
        list[str] | None,
        typer.Option(
            "--municipality",
            "-m",
            help="Código DIVIPOLA de un municipio (5 dígitos) o departamento (2); repetible. "
            "Sin él: todos.",
        ),
    ] = None,
) -> None:
    """Recompute the registry summaries and the need/supply/uptake rows per indicator."""
    from oferta.cli import django_setup

    django_setup()
    from oferta.insights.services import insights_refresh

    codes = [c.strip() for c in municipality] if municipality else None
    for code in codes or []:
        if not (code.isdigit() and len(code) in (2, 5)):
            raise typer.BadParameter(
                f"{code!r} no es un código DIVIPOLA de municipio (5 dígitos) "
                "ni de departamento (2)",
                param_hint="--municipality",
            )
    outcome = insights_refresh(municipality_codes=codes)
    typer.echo(
        f"Lectura territorial actualizada: {outcome.municipalities} municipios, "
        f"{outcome.gap_rows} filas por indicador, en {outcome.seconds:.1f} s."
    )
