"""`oferta catalogue …`: HSDS 3.0 export and import of the offer catalogue."""

import typer

catalogue_app = typer.Typer(
    help="Catálogo de oferta: exportar e importar en HSDS 3.0.", no_args_is_help=True
)
