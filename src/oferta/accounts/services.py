"""Writes for accounts: create and change users, API tokens, and the sign-in audit trail.

Every function writes exactly one audit event in the same transaction as its change (none when
nothing changed). Passwords and token keys never reach the audit trail or the logs.
``actor=None`` means the system (the ``oferta`` command); otherwise the actor must be allowed.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oferta.core.errors import PermissionDenied, ValidationFailed
from oferta.offers.models import Organization
from oferta.territories.models import Department, Municipality

from .access import user_is_account_admin
from .audit import audit_event_record
from .models import ApiToken, Role, User

API_TOKEN_MAX_DAYS = 365
"""Tokens always expire; a year at most, so that a forgotten token does not live for ever."""


# --- users --------------------------------------------------------------------------------


def _require_account_admin(actor: Any | None) -> None:
    if actor is not None and not user_is_account_admin(user=actor):
        raise PermissionDenied(_("Solo un administrador nacional puede gestionar cuentas."))


def _scope_errors(
    *,
    role: str,
    departments: list[Department],
    organization: Organization | None,
    municipality: Municipality | None,
) -> dict[str, list[str]]:
    """Each role carries exactly the scope it needs and nothing more (least privilege)."""
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = [_("Rol no válido.")]
        return errors
    if role == Role.REGIONAL_ANALYST and not departments:
        errors["departments"] = [_("Un analista regional necesita al menos un departamento.")]
    if role != Role.REGIONAL_ANALYST and departments:
        errors["departments"] = [_("Este rol no lleva departamentos.")]
    if role == Role.PARTNER_USER and organization is None:
        errors["organization"] = [_("Un usuario de entidad aliada necesita su entidad.")]
    if role != Role.PARTNER_USER and organization is not None:
        errors["organization"] = [_("Este rol no lleva entidad.")]
    if role == Role.MUNICIPAL_USER and municipality is None:
        errors["municipality"] = [_("Un usuario municipal necesita su municipio.")]
    if role != Role.MUNICIPAL_USER and municipality is not None:
        errors["municipality"] = [_("Este rol no lleva municipio.")]
    return errors


def _user_snapshot(user: User) -> dict[str, Any]:
    """The audited fields of an account (never the password)."""
    return {
        "username": user.username,
        "email": user.email,
        "role": user.role,
        "departments": sorted(user.departments.values_list("code", flat=True)),
        "organization": str(user.organization_id) if user.organization_id else None,
        "municipality": user.municipality_id,
        "is_active": user.is_active,
    }


def _changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    keys = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def user_create(
    *,
    actor: Any | None,
    username: str,
    email: str,
    role: str,
    password: str,
    departments: Iterable[Department] = (),
    organization: Organization | None = None,
    municipality: Municipality | None = None,
) -> User:
    """Create an account with a role and the scope that role needs.

    Raises ValidationFailed (Spanish messages per field) for a taken or malformed user name, a bad
    e-mail, a weak password, or a scope that does not fit the role; PermissionDenied when
    ``actor`` is not a national administrator.
    """
    _require_account_admin(actor)
    departments = list(departments)
    username = User.normalize_username((username or "").strip())
    email = (email or "").strip()
    errors = _scope_errors(
        role=role, departments=departments, organization=organization, municipality=municipality
    )
    if not username:
        errors["username"] = [_("Escriba un nombre de usuario.")]
    else:
        try:
            User.username_validator(username)
        except ValidationError:
            errors["username"] = [
                _("Use solo letras, números y los signos @ . + - _ (máximo 150 caracteres).")
            ]
        else:
            if User.objects.filter(username__iexact=username).exists():
                errors["username"] = [_("Ya existe una cuenta con ese nombre de usuario.")]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Escriba un correo válido.")]
    candidate = User(username=username, email=email, role=role)
    try:
        password_validation.validate_password(password or "", user=candidate)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationFailed(errors)

    with transaction.atomic():
        candidate.organization = organization
        candidate.municipality = municipality
        candidate.set_password(password)
        candidate.save()
        candidate.departments.set(departments)
        audit_event_record(
            actor=actor,
            action="user.create",
            object_type="user",
            object_id=candidate.username,
            before=None,
            after=_user_snapshot(candidate),
        )
    return candidate


def user_update_role_scope(
    *,
    actor: Any | None,
    user: User,
    role: str,
    departments: Iterable[Department] = (),
    organization: Organization | None = None,
    municipality: Municipality | None = None,
) -> User:
    """Change an account's role and scope together (they are validated as a pair).

    Writes one event with the changed fields only; nothing changes, no event. An administrator
    cannot change their own role, so that the last administrator cannot lock everyone out.
    """
    _require_account_admin(actor)
    departments = list(departments)
    errors = _scope_errors(
        role=role, departments=departments, organization=organization, municipality=municipality
    )
    if actor is not None and actor.pk == user.pk:
        errors["role"] = [_("No puede cambiar su propio rol ni su alcance.")]
    if errors:
        raise ValidationFailed(errors)

    with transaction.atomic():
        before = _user_snapshot(user)
        user.role = role
        user.organization = organization
        user.municipality = municipality
        user.save(update_fields=["role", "organization", "municipality"])
        user.departments.set(departments)
        changed_before, changed_after = _changed(before, _user_snapshot(user))
        if changed_after:
            audit_event_record(
                actor=actor,
                action="user.update_role_scope",
                object_type="user",
                object_id=user.username,
                before=changed_before,
                after=changed_after,
            )
    return user


def user_deactivate(*, actor: Any | None, user: User) -> User:
    """Deactivate an account: its sessions and API tokens stop working at once (both check
    ``is_active``). Already inactive: no change, no event."""
    _require_account_admin(actor)
    if actor is not None and actor.pk == user.pk:
        raise ValidationFailed({"__all__": [_("No puede desactivar su propia cuenta.")]})
    if not user.is_active:
        return user
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_event_record(
            actor=actor,
            action="user.deactivate",
            object_type="user",
            object_id=user.username,
            before={"is_active": True},
            after={"is_active": False},
        )
    return user


# --- API tokens ---------------------------------------------------------------------------


def _require_token_manager(actor: Any | None, owner: User) -> None:
    if actor is None or user_is_account_admin(user=actor):
        return
    if getattr(actor, "is_authenticated", False) and actor.pk == owner.pk:
        return
    raise PermissionDenied(_("Solo puede gestionar sus propios tokens de API."))


def api_token_create(
    *, actor: Any | None, user: User, name: str, expires_in_days: int
) -> tuple[ApiToken, str]:
    """Create an API token for ``user`` and return it with its key.

    The key (``secrets.token_urlsafe(32)``) is returned once and never stored: only its SHA-256
    digest is. Tokens always expire, after 1 to ``API_TOKEN_MAX_DAYS`` days.
    """
    _require_token_manager(actor, user)
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Escriba un nombre para el token.")]
    elif len(name) > 100:
        errors["name"] = [_("El nombre del token admite como máximo 100 caracteres.")]
    if not isinstance(expires_in_days, int) or not 1 <= expires_in_days <= API_TOKEN_MAX_DAYS:
        errors["expires_in_days"] = [
            _("La vigencia debe estar entre 1 y %(max)d días.") % {"max": API_TOKEN_MAX_DAYS}
        ]
    if not user.is_active:
        errors["__all__"] = [_("La cuenta está desactivada.")]
    if errors:
        raise ValidationFailed(errors)

    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            digest=ApiToken.digest_of(key),
            prefix=key[:8],
            expires_at=timezone.now() + timedelta(days=expires_in_days),
        )
        audit_event_record(
            actor=actor,
            action="api_token.create",
            object_type="api_token",
            object_id=str(token.uuid),
            before=None,
            # No key, digest or prefix: nothing derived from the secret.
            after={"user": user.username, "name": token.name, "expires_at": token.expires_at},
        )
    return token, key


def api_token_revoke(*, actor: Any | None, token: ApiToken) -> ApiToken:
    """Revoke a token: it is refused from now on. Already revoked: no change, no event."""
    _require_token_manager(actor, token.user)
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_event_record(
            actor=actor,
            action="api_token.revoke",
            object_type="api_token",
            object_id=str(token.uuid),
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at},
        )
    return token


# --- sign-in trail (called from the auth signal receivers) --------------------------------


def auth_login_record(*, user: User) -> None:
    """A successful sign-in."""
    audit_event_record(
        actor=user, action="auth.login", object_type="user", object_id=user.get_username()
    )


def auth_login_failed_record(*, username: str) -> None:
    """A failed sign-in: the user name typed, never the password (it may not be an account)."""
    attempted = (username or "")[:150]
    audit_event_record(
        actor=None,
        action="auth.login_failed",
        object_type="user",
        object_id=attempted[:64],
        after={"username": attempted},
    )


def auth_locked_out_record(*, username: str) -> None:
    """Sign-in blocked after too many failures (django-axes)."""
    attempted = (username or "")[:150]
    audit_event_record(
        actor=None,
        action="auth.locked_out",
        object_type="user",
        object_id=attempted[:64],
        after={"username": attempted},
    )
