"""`oferta territories …`: reference territory data and DANE annexes."""

import typer

territories_app = typer.Typer(
    help="Territorios (DIVIPOLA) y cifras oficiales del DANE.", no_args_is_help=True
)
