"""Demo users, one per role, with fixed passwords printed by ``oferta setup --demo``.

Only for demonstration installations: the passwords are public. Each run makes the printed
credentials work again (password, active flag, role and scope reset, login lock-out cleared).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from .audit import audit_event_record
from .models import Role, User


@dataclass(frozen=True)
class DemoCredential:
    username: str
    password: str
    role_label: str
    scope_label: str


@dataclass(frozen=True)
class _DemoUser:
    username: str
    password: str
    role: str
    first_name: str
    last_name: str
    departments: tuple[str, ...] = ()
    organization: str = ""  # partner key (oferta.offers.partners)
    municipality: str = ""
    superuser: bool = False


DEMO_USERS: tuple[_DemoUser, ...] = (
    _DemoUser(
        "admin",
        "Demo-Oferta-Admin-26",
        Role.NATIONAL_ADMIN,
        "Ana",
        "Administradora",
        superuser=True,
    ),
    _DemoUser("analista", "Demo-Oferta-Analista-26", Role.NATIONAL_ANALYST, "Andrés", "Analista"),
    _DemoUser(
        "regional",
        "Demo-Oferta-Regional-26",
        Role.REGIONAL_ANALYST,
        "Rosa",
        "Regional",
        departments=("44", "27"),
    ),
    _DemoUser(
        "entidad", "Demo-Oferta-Sena-26", Role.PARTNER_USER, "Sergio", "Enlace", organization="sena"
    ),
    _DemoUser(
        "entidad2", "Demo-Oferta-Icbf-26", Role.PARTNER_USER, "Inés", "Enlace", organization="icbf"
    ),
    _DemoUser(
        "municipal",
        "Demo-Oferta-Uribia-26",
        Role.MUNICIPAL_USER,
        "Mauricio",
        "Municipal",
        municipality="44847",
    ),
    _DemoUser("feria", "Demo-Oferta-Feria-26", Role.FAIR_OPERATOR, "Fernanda", "Operadora"),
)


def _scope_of(spec: _DemoUser) -> tuple[list[Any], Any, Any, str]:
    """Resolve the territorial or organisational scope; fail clearly if reference data is absent."""
    from oferta.offers.models import Organization
    from oferta.offers.partners import PARTNER_BY_KEY
    from oferta.territories.models import Department, Municipality

    departments = list(Department.objects.filter(code__in=spec.departments).order_by("code"))
    if len(departments) != len(spec.departments):
        raise RuntimeError(
            "Faltan departamentos de referencia para los usuarios de demostración "
            f"({', '.join(spec.departments)}); cargue primero los datos territoriales."
        )
    organization = None
    if spec.organization:
        partner = PARTNER_BY_KEY[spec.organization]
        organization = Organization.objects.filter(id=partner.id).first()
        if organization is None:
            raise RuntimeError(
                f"Falta la entidad aliada {partner.acronym}; ejecute partners_ensure() antes."
            )
    municipality = None
    if spec.municipality:
        municipality = Municipality.objects.filter(code=spec.municipality).first()
        if municipality is None:
            raise RuntimeError(
                f"Falta el municipio {spec.municipality}; cargue primero los datos territoriales."
            )

    if departments:
        label = "Departamentos: " + ", ".join(f"{d.name} ({d.code})" for d in departments)
    elif organization is not None:
        label = f"Entidad: {organization.alternate_name or organization.name}"
    elif municipality is not None:
        label = f"Municipio: {municipality.name} ({municipality.code})"
    else:
        label = "Nacional"
    return departments, organization, municipality, label


def _unlock(username: str) -> None:
    try:
        from axes.utils import reset
    except ImportError:  # pragma: no cover - axes is a dependency; tolerate its absence
        return
    reset(username=username)


@transaction.atomic
def demo_users_ensure() -> list[DemoCredential]:
    """Create or reset one demo user per role and return their credentials.

    Idempotent: an existing user keeps its id; its role, scope, flags and password are put back
    to the demo values. Audit events are written for creations and for real changes only, and
    never contain passwords.
    """
    credentials: list[DemoCredential] = []
    for spec in DEMO_USERS:
        departments, organization, municipality, scope_label = _scope_of(spec)
        fields: dict[str, Any] = {
            "role": str(spec.role),
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "email": "",
            "is_active": True,
            "is_staff": spec.superuser,
            "is_superuser": spec.superuser,
            "organization_id": organization.pk if organization else None,
            "municipality_id": municipality.pk if municipality else None,
        }
        user = User.objects.filter(username=spec.username).first()
        created = user is None
        if user is None:
            user = User(username=spec.username, **fields)
            validate_password(spec.password, user)
            user.set_password(spec.password)
            user.save()
            user.departments.set(departments)
            audit_event_record(
                actor=None,
                action="user.created",
                object_type="user",
                object_id=spec.username,
                after={
                    **fields,
                    "departments": [d.code for d in departments],
                    "is_demo": True,
                },
                message=f"Usuario de demostración creado ({scope_label})",
            )
        else:
            before: dict[str, Any] = {}
            after: dict[str, Any] = {}
            for name, value in fields.items():
                if getattr(user, name) != value:
                    before[name], after[name] = getattr(user, name), value
                    setattr(user, name, value)
            password_reset = not user.check_password(spec.password)
            if password_reset:
                validate_password(spec.password, user)
                user.set_password(spec.password)
            if after or password_reset:
                user.save()
            current = sorted(user.departments.values_list("code", flat=True))
            wanted = [d.code for d in departments]
            if current != wanted:
                before["departments"], after["departments"] = current, wanted
                user.departments.set(departments)
            if password_reset:
                after["password_reset"] = True  # a marker, never the password
            if after:
                audit_event_record(
                    actor=None,
                    action="user.demo_reset",
                    object_type="user",
                    object_id=spec.username,
                    before=before,
                    after=after,
                    message="Usuario de demostración restablecido",
                )
        if not created:
            _unlock(spec.username)
        credentials.append(
            DemoCredential(
                username=spec.username,
                password=spec.password,
                role_label=str(Role(spec.role).label),
                scope_label=scope_label,
            )
        )
    return credentials
