"""Reads for accounts: user lists, a person's API tokens, the audit trail, scope look-ups."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from oferta.core.errors import ValidationFailed
from oferta.offers.models import Organization
from oferta.territories.models import Department, Municipality

from .models import ApiToken, AuditEvent, User


def users_list() -> QuerySet[User]:
    """Every account with its scope, for the national administrators' list (caller checks role)."""
    return (
        User.objects.select_related("organization", "municipality")
        .prefetch_related("departments")
        .order_by("username")
    )


def api_tokens_of(*, user: Any) -> QuerySet[ApiToken]:
    """The API tokens of ``user``, newest first."""
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")


def audit_events_for(*, object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    """The audit trail of one object, newest first (``object_id`` is its external identifier)."""
    return AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)).order_by(
        "-occurred_at", "-id"
    )


def scope_objects_resolve(
    *,
    department_codes: Iterable[str] = (),
    organization_id: str | None = None,
    municipality_code: str | None = None,
) -> tuple[list[Department], Organization | None, Municipality | None]:
    """Turn external identifiers (DIVIPOLA codes, an entity UUID) into the scope objects a
    service takes; unknown identifiers raise ValidationFailed naming the field and the value."""
    errors: dict[str, list[str]] = {}
    codes = [code.strip() for code in department_codes if code and code.strip()]
    found = {d.code: d for d in Department.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        errors["departments"] = [
            _("No existe el departamento con código DIVIPOLA %(code)s.") % {"code": code}
            for code in missing
        ]
    organization = None
    if organization_id:
        try:
            organization = Organization.objects.filter(pk=uuid.UUID(str(organization_id))).first()
        except ValueError:
            organization = None
        if organization is None:
            errors["organization"] = [_("No existe la entidad %(id)s.") % {"id": organization_id}]
    municipality = None
    if municipality_code:
        municipality = Municipality.objects.filter(code=municipality_code.strip()).first()
        if municipality is None:
            errors["municipality"] = [
                _("No existe el municipio con código DIVIPOLA %(code)s.")
                % {"code": municipality_code}
            ]
    if errors:
        raise ValidationFailed(errors)
    return [found[code] for code in dict.fromkeys(codes)], organization, municipality
