"""`oferta setup`: migrate and load reference (and optionally demo) data, idempotently."""

from __future__ import annotations

from collections.abc import Callable


def run_setup(*, demo: bool, echo: Callable[[str], object] = print) -> None:
    from oferta.cli import django_setup

    django_setup()
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        from pathlib import Path

        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    echo("» Migrando la base de datos…")
    call_command("migrate", interactive=False, verbosity=0)
    for step_name, step in _steps(demo=demo):
        echo(f"» {step_name}…")
        result = step()
        if result:
            echo(f"  {result}")


def _steps(*, demo: bool) -> list[tuple[str, Callable[[], object]]]:
    steps: list[tuple[str, Callable[[], object]]] = []
    return steps
