"""`oferta routing …`: routing runs over the households and offers in the database."""

from __future__ import annotations

import re
from typing import Annotated

import typer

routing_app = typer.Typer(
    help="Focalización: corridas de elegibilidad y asignación de cupos sobre la base de datos.",
    no_args_is_help=True,
)

_CODE = re.compile(r"^(\d{2}|\d{5})$")


@routing_app.callback()
def routing_callback() -> None:
    """Focalización: corridas de elegibilidad y asignación de cupos sobre la base de datos."""
    # A callback keeps `routing` a group even with one command (`oferta routing run`).


@routing_app.command("run")
def run_command(
    territory: Annotated[
        list[str],
        typer.Option(
            "--territory",
            "-t",
            help="Código DIVIPOLA de un departamento (2 dígitos) o municipio (5); repetible.",
        ),
    ],
    user: Annotated[
        str,
        typer.Option("--user", help="Usuario que corre la corrida (queda en la auditoría)."),
    ],
    k: Annotated[int, typer.Option("--k", min=1, max=10, help="Máximo de ofertas por hogar.")] = 3,
    name: Annotated[str, typer.Option("--name", help="Nombre de la corrida.")] = "",
) -> None:
    """Run eligibility, allocation (vs greedy) and verification over the households and offers
    of the database, with a progress bar, and propose the referrals; the same run as the page
    «Focalización y asignación de cupos», with the default priority policy."""
    from oferta.cli import django_setup

    django_setup()
    from django.contrib.auth import get_user_model

    from oferta.core.progress import progress_bar
    from oferta.insights.services import insights_refresh
    from oferta.referrals.models import RunStatus
    from oferta.referrals.routing import (
        routing_departments_for,
        routing_run_create,
        routing_run_execute,
        user_can_route,
    )

    codes = sorted({code.strip() for code in territory})
    for code in codes:
        if not _CODE.match(code):
            raise typer.BadParameter(
                f"{code!r} no es un código DIVIPOLA de departamento o municipio",
                param_hint="--territory",
            )
    actor = get_user_model().objects.filter(username=user).first()
    if actor is None or not user_can_route(user=actor):
        raise typer.BadParameter(
            f"el usuario {user!r} no existe o no puede correr focalizaciones", param_hint="--user"
        )
    allowed = routing_departments_for(user=actor)
    outside = [code for code in codes if allowed is not None and code[:2] not in allowed]
    if outside:
        raise typer.BadParameter(
            f"fuera del alcance de {user!r}: {', '.join(outside)}", param_hint="--territory"
        )

    run = routing_run_create(actor=actor, scope=codes, k_max=k, name=name)
    with progress_bar("Focalizando") as progress:
        run = routing_run_execute(run=run, actor=actor, progress=progress)

    typer.echo(f"Corrida {run.uuid}: {run.get_status_display()}")
    if run.status != RunStatus.SUCCEEDED:
        typer.echo(run.error_message, err=True)
        raise typer.Exit(code=1)
    summary = run.inputs_summary or {}
    typer.echo(
        f"Óptimo (flujo de costo mínimo): valor {run.objective:,.2f}, "
        f"{run.places_filled:,} cupos asignados, {run.households_reached:,} hogares alcanzados"
    )
    typer.echo(
        f"Voraz: valor {run.greedy_objective:,.2f}, "
        f"{summary.get('greedy_places_filled', 0):,} cupos, "
        f"{summary.get('greedy_households_reached', 0):,} hogares"
    )
    typer.echo(
        f"Verificador: {'sin incumplimientos' if run.verifier_result.get('ok') else 'FALLÓ'}"
    )
    insights_refresh(municipality_codes=codes, actor=actor)
