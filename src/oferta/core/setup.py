"""`oferta setup`: migrate and load reference (and optionally demo) data, idempotently."""

from __future__ import annotations

import time
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
    credentials = []
    for step_name, step in _steps(demo=demo):
        echo(f"» {step_name}…")
        started = time.perf_counter()
        result = step()
        elapsed = time.perf_counter() - started
        if isinstance(result, DemoUsersResult):
            credentials = result.credentials
        if result:
            echo(f"  {result} ({elapsed:.1f} s)")
    if credentials:
        echo("")
        echo("Usuarios de demostración (contraseñas públicas: solo para demostración):")
        echo(credentials_table(credentials))


def _steps(*, demo: bool) -> list[tuple[str, Callable[[], object]]]:
    steps: list[tuple[str, Callable[[], object]]] = [
        ("Cargando territorios y cifras oficiales (DIVIPOLA 2018, DANE)", _territories_step),
        ("Cargando taxonomías del perfil colombiano", _taxonomies_step),
        ("Cargando entidades aliadas nacionales", _partners_step),
    ]
    if demo:
        steps += [
            ("Cargando catálogo de oferta de demostración", _demo_catalogue_step),
            ("Creando usuarios de demostración", _demo_users_step),
            ("Cargando registro sintético de hogares (La Guajira y Chocó)", _demo_registry_step),
            (
                "Enrutando la población de demostración y respondiendo remisiones",
                _demo_referrals_step,
            ),
            ("Actualizando la lectura territorial (brechas por indicador)", _insights_step),
        ]
    return steps


_TERRITORY_LABELS = {
    "departments": "departamentos",
    "municipalities": "unidades municipales",
    "pdet": "municipios PDET",
    "non_municipalized": "áreas no municipalizadas",
    "ipm_census": "cifras de IPM censal 2018",
}


def _territories_step() -> str:
    # Imported here: the territories loader is owned by another module and may evolve apart.
    from oferta.territories.services import reference_data_load

    counts = reference_data_load()
    return ", ".join(
        f"{value} {_TERRITORY_LABELS.get(key, f'cifras de la fuente {key}')}"
        for key, value in counts.items()
    )


def _demo_registry_step() -> str:
    from oferta.households.demo import demo_registry_load

    result = demo_registry_load()
    rejected = result.households_rejected + result.persons_rejected
    return (
        f"{result.households_accepted} hogares y {result.persons_accepted} personas sintéticos"
        f" ({rejected} filas rechazadas)"
    )


def _demo_referrals_step() -> str:
    # After the registry, catalogue and users: a real routing run, then the demo users' answers.
    from oferta.referrals.demo import demo_referrals_load

    return str(demo_referrals_load())


def _insights_step() -> str:
    # Last demo step: it reads the registry, the catalogue and the referrals loaded before.
    from oferta.insights.services import insights_refresh

    outcome = insights_refresh()
    figures = f"{outcome.municipalities} municipios, {outcome.gap_rows} filas de brechas"
    return figures if outcome.changed else f"{figures} (sin cambios)"


def _taxonomies_step() -> str:
    from oferta.offers.taxonomies import taxonomies_ensure

    return f"{taxonomies_ensure()} términos de taxonomía"


def _partners_step() -> str:
    from oferta.offers.partners import partners_ensure

    return f"{partners_ensure()} entidades aliadas"


def _demo_catalogue_step() -> str:
    from oferta.offers.demo import demo_catalogue_load

    counts = demo_catalogue_load()
    return (
        f"{counts['organizations']} entidades territoriales, {counts['offers']} ofertas, "
        f"{counts['service_areas']} áreas de servicio, {counts['slots']} cupos por territorio "
        f"y periodo, {counts['enrolment_windows']} convocatorias, "
        f"{counts['required_documents']} documentos requeridos, {counts['contacts']} contactos "
        f"({counts['created']} objetos creados, {counts['updated']} actualizados, "
        f"{counts['removed']} retirados)"
    )


def _demo_users_step() -> DemoUsersResult:
    from oferta.accounts.demo_users import demo_users_ensure

    return DemoUsersResult(demo_users_ensure())


class DemoUsersResult:
    """The demo credentials; printed by ``run_setup`` as a table after the steps."""

    def __init__(self, credentials: list) -> None:
        self.credentials = credentials

    def __str__(self) -> str:
        return f"{len(self.credentials)} usuarios (uno por rol)"


def credentials_table(credentials: list) -> str:
    """A plain-text table of the demo credentials (Spanish headers)."""
    headers = ("Usuario", "Contraseña", "Rol", "Alcance")
    rows = [(c.username, c.password, c.role_label, c.scope_label) for c in credentials]
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(row: tuple[str, ...]) -> str:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])
