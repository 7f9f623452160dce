"""`oferta territories …`: reference territory data and DANE annexes."""

from pathlib import Path
from typing import Annotated

import typer

territories_app = typer.Typer(
    help="Territorios (DIVIPOLA) y cifras oficiales del DANE.", no_args_is_help=True
)

_COUNT_LABELS = {
    "departments": "departamentos",
    "municipalities": "unidades municipales",
    "pdet": "municipios PDET",
    "ipm_census": "cifras de IPM censal 2018",
    "ipm_survey": "cifras de IPM (ECV) por departamento",
    "ipm_survey_regions": "cifras de IPM (ECV) por región",
    "deprivation": "tasas de privación por departamento",
    "monetary_poverty": "cifras de pobreza monetaria",
    "extreme_monetary_poverty": "cifras de pobreza monetaria extrema",
    "poverty_line": "líneas de pobreza",
    "extreme_poverty_line": "líneas de pobreza extrema",
}


def _count_line(key: str, value: int) -> str:
    label = _COUNT_LABELS.get(key, f"cifras de la fuente {key}")
    return f"  {value:>6} {label}"


@territories_app.command("import-dane-annex")
def import_dane_annex(
    file: Annotated[Path, typer.Argument(help="Anexo departamental del DANE (.xlsx).")],
) -> None:
    """Import a DANE departmental annex (multidimensional or monetary poverty)."""
    from oferta.cli import django_setup

    django_setup()
    from .dane_annex import DaneAnnexError
    from .services import dane_annex_import

    try:
        result = dane_annex_import(path=file)
    except DaneAnnexError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    kind = "pobreza multidimensional" if result.kind == "multidimensional" else "pobreza monetaria"
    typer.echo(
        f"Anexo de {kind} importado (fuente {result.source_code}, "
        f"publicado el {result.release_date:%d/%m/%Y}):"
    )
    for key, value in result.counts.items():
        typer.echo(_count_line(key, value))
    typer.echo(f"  {result.total:>6} cifras en total.")


@territories_app.command("load-reference")
def load_reference() -> None:
    """Load DIVIPOLA 2018, PDET, census IPM 2018 and the shipped DANE annexes (idempotent)."""
    from oferta.cli import django_setup

    django_setup()
    from .services import reference_data_load

    counts = reference_data_load()
    typer.echo("Datos territoriales de referencia cargados (Fuente: DANE):")
    for key, value in counts.items():
        typer.echo(_count_line(key, value))
