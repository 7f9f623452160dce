"""Small factories for catalogue tests: territories, entities, offers, users and terms."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from oferta.accounts.models import Role, User
from oferta.offers.models import (
    AreaScope,
    EntityLevel,
    Organization,
    Service,
    ServiceArea,
    Slot,
    TaxonomyTerm,
)
from oferta.offers.taxonomies import taxonomies_ensure, terms_of
from oferta.territories.models import Department, Municipality

_seq = itertools.count(1)

TERRITORIES = {
    "05": ("Antioquia", {"05001": "Medellín", "05002": "Abejorral"}),
    "44": ("La Guajira", {"44847": "Uribia", "44001": "Riohacha"}),
    "52": ("Nariño", {"52001": "Pasto"}),
}


def territories_make(territories: dict[str, tuple[str, dict[str, str]]] = TERRITORIES) -> None:
    """Departments with a few municipalities (DIVIPOLA codes as text): by default three."""
    for dep_code, (dep_name, municipalities) in territories.items():
        department, _ = Department.objects.get_or_create(code=dep_code, defaults={"name": dep_name})
        for code, name in municipalities.items():
            Municipality.objects.get_or_create(
                code=code, defaults={"name": name, "department": department}
            )


def terms(key: str, *codes: str) -> list[TaxonomyTerm]:
    taxonomies_ensure()
    found = list(terms_of(key).filter(code__in=codes))
    assert len(found) == len(codes), f"unknown {key} codes: {codes}"
    return found


def organization_make(**kwargs: Any) -> Organization:
    defaults: dict[str, Any] = {
        "name": f"Entidad {next(_seq)}",
        "description": "",
        "level": EntityLevel.NATIONAL,
    }
    defaults.update(kwargs)
    return Organization.objects.create(**defaults)


def service_make(
    *,
    areas: tuple[str, ...] = ("CO",),
    indicators: tuple[str, ...] = (),
    channels: tuple[str, ...] = (),
    populations: tuple[str, ...] = (),
    slots: tuple[tuple[str, int], ...] = (),
    organization: Organization | None = None,
    **kwargs: Any,
) -> Service:
    """An offer written directly (no service call): areas by DIVIPOLA code ("CO" = nation)."""
    kwargs.setdefault("name", f"Oferta {next(_seq)}")
    service = Service.objects.create(organization=organization or organization_make(), **kwargs)
    for code in areas:
        scope = (
            AreaScope.NATION
            if code == "CO"
            else AreaScope.DEPARTMENT
            if len(code) == 2
            else AreaScope.MUNICIPALITY
        )
        ServiceArea.objects.create(
            service=service, scope=scope, divipola_code="" if code == "CO" else code
        )
    if indicators:
        service.ipm_indicators.set(terms("ipm_indicators", *indicators))
    if channels:
        service.channels.set(terms("channels", *channels))
    if populations:
        service.target_populations.set(terms("target_populations", *populations))
    for code, places in slots:
        Slot.objects.create(
            service=service,
            territory_code=code,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            places=places,
        )
    return service


def user_make(role: str = Role.NATIONAL_ANALYST, *, departments=(), **kwargs: Any) -> User:
    """A user of ``role`` (password "clave-de-prueba-123"), with ``departments`` in scope."""
    username = kwargs.pop("username", f"usuario{next(_seq)}")
    user = User.objects.create_user(
        username=username, password="clave-de-prueba-123", role=role, **kwargs
    )
    if departments:
        user.departments.set(departments)
    return user
