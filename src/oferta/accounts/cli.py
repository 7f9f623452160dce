"""`oferta accounts …`: create accounts and API tokens from the command line (as the system)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

accounts_app = typer.Typer(help="Cuentas: crear usuarios y tokens de API.", no_args_is_help=True)


def _fail(errors: dict[str, list[str]]) -> None:
    for field, messages in errors.items():
        for message in messages:
            typer.echo(f"Error ({field}): {message}", err=True)
    raise typer.Exit(code=1)


@accounts_app.command("create-user")
def create_user(
    username: Annotated[str, typer.Argument(help="Nombre de usuario.")],
    role: Annotated[
        str,
        typer.Option(
            "--role",
            help="national_admin, national_analyst, regional_analyst, partner_user, "
            "municipal_user o fair_operator.",
        ),
    ],
    department: Annotated[
        list[str] | None,
        typer.Option(
            "--department", help="Código DIVIPOLA de un departamento (repetible; regional)."
        ),
    ] = None,
    organization: Annotated[
        str | None,
        typer.Option("--organization", help="UUID de la entidad (usuario de entidad aliada)."),
    ] = None,
    municipality: Annotated[
        str | None,
        typer.Option("--municipality", help="Código DIVIPOLA del municipio (usuario municipal)."),
    ] = None,
    email: Annotated[str, typer.Option("--email", help="Correo.")] = "",
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Leer la contraseña de la entrada estándar."),
    ] = False,
) -> None:
    """Create an account with its role and scope; the password is read from stdin or prompted."""
    from oferta.cli import django_setup

    django_setup()
    from oferta.accounts import selectors, services
    from oferta.core.errors import ValidationFailed

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Contraseña", hide_input=True, confirmation_prompt=True)
    try:
        departments, org, muni = selectors.scope_objects_resolve(
            department_codes=department or (),
            organization_id=organization,
            municipality_code=municipality,
        )
        user = services.user_create(
            actor=None,
            username=username,
            email=email,
            role=role,
            password=password,
            departments=departments,
            organization=org,
            municipality=muni,
        )
    except ValidationFailed as error:
        _fail(error.errors)
        return
    typer.echo(f"Usuario {user.username} creado ({user.get_role_display()}).")


@accounts_app.command("create-token")
def create_token(
    username: Annotated[str, typer.Argument(help="Usuario dueño del token.")],
    name: Annotated[str, typer.Option("--name", help="Nombre para reconocer el token.")],
    expires_in_days: Annotated[
        int, typer.Option("--expires-in-days", help="Vigencia en días (1 a 365).")
    ] = 90,
) -> None:
    """Create an API token and print its key once (only a digest is stored)."""
    from oferta.cli import django_setup

    django_setup()
    from oferta.accounts import services
    from oferta.accounts.models import User
    from oferta.core.errors import ValidationFailed

    user = User.objects.filter(username=username).first()
    if user is None:
        _fail({"username": [f"No existe el usuario {username}."]})
        return
    try:
        token, key = services.api_token_create(
            actor=None, user=user, name=name, expires_in_days=expires_in_days
        )
    except ValidationFailed as error:
        _fail(error.errors)
        return
    typer.echo(f"Token «{token.name}» creado; vence el {token.expires_at:%Y-%m-%d}.", err=True)
    typer.echo("Copie la clave ahora: no se volverá a mostrar.", err=True)
    typer.echo(key)
