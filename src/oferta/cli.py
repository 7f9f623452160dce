"""The `oferta` command: set-up, serving, and the data commands of each app."""

from __future__ import annotations

import os
import subprocess
import sys

import typer

app = typer.Typer(
    help="oferta: gestión de la oferta social pública.",
    no_args_is_help=True,
    add_completion=False,
)


def django_setup() -> None:
    """Configure Django for a command (settings from DJANGO_SETTINGS_MODULE, default dev)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oferta.config.settings.dev")
    import django

    django.setup()


def _register_subcommands() -> None:
    from oferta.accounts.cli import accounts_app
    from oferta.commands.diagnose import diagnose_command
    from oferta.commands.route import route_command
    from oferta.commands.synth import synth_app
    from oferta.households.cli import registry_app
    from oferta.insights.cli import insights_app
    from oferta.offers.cli import catalogue_app
    from oferta.referrals.cli import routing_app
    from oferta.territories.cli import territories_app

    app.add_typer(territories_app, name="territories")
    app.add_typer(catalogue_app, name="catalogue")
    app.add_typer(accounts_app, name="accounts")
    app.command("diagnose")(diagnose_command)
    app.command("route")(route_command)
    app.add_typer(synth_app, name="synth")
    app.add_typer(registry_app, name="registry")
    app.add_typer(insights_app, name="insights")
    app.add_typer(routing_app, name="routing")


@app.command()
def setup(
    demo: bool = typer.Option(False, "--demo", help="Cargar datos y usuarios de demostración."),
) -> None:
    """Prepare the database: migrate, load reference data and, with --demo, demo data and users.

    Safe to run again: every step updates what exists instead of duplicating it.
    """
    from oferta.core.setup import run_setup

    run_setup(demo=demo, echo=typer.echo)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Dirección en la que escuchar."),
    port: int = typer.Option(8000, help="Puerto."),
    threads: int = typer.Option(8, help="Hilos del servidor."),
    worker: bool = typer.Option(
        True,
        help="Correr también el trabajador de tareas en segundo plano (importaciones, "
        "corridas, informes). Desactívelo si corre `oferta manage db_worker` aparte.",
    ),
) -> None:
    """Serve the web application (waitress), with the background-job worker beside it."""
    django_setup()
    from waitress import serve as waitress_serve

    from oferta.config.wsgi import application

    # Without a worker, imports, routing runs and reports would stay queued forever.
    background = (
        subprocess.Popen(
            [sys.executable, "-m", "django", "db_worker", "--no-reload"],
            env={**os.environ},
        )
        if worker
        else None
    )
    typer.echo(f"oferta en http://{host}:{port}/  (Ctrl+C para detener)")
    try:
        waitress_serve(application, host=host, port=port, threads=threads)
    finally:
        if background is not None:
            background.terminate()
            background.wait(timeout=30)


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def manage(ctx: typer.Context) -> None:
    """Run a Django management command (for example: oferta manage createsuperuser)."""
    django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["oferta manage", *ctx.args])


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())


_register_subcommands()
