"""Who may see and edit which offers and entities: the one place where catalogue scope is decided.

Every protected read of an offer or entity goes through an ``access_*`` function here. They raise
the same :class:`~oferta.core.errors.ObjectNotFound`, with the same message, whether the object
does not exist or lies outside the user's scope, so that nobody can probe for objects they may
not touch (the pattern of Zulip's ``access_stream_by_id``).

Edit scope by role:

- national administrator / analyst (and superusers): every entity and offer;
- regional analyst: territorial entities (departmental or municipal) in one of their departments;
- partner-entity user: their own entity;
- municipal user: municipal entities of their municipality;
- fair operator, inactive or anonymous users, unknown roles: nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from oferta.accounts.models import Role
from oferta.core.errors import ObjectNotFound
from oferta.core.identifiers import as_uuid, is_active_user

from .models import EntityLevel, Organization, Service


def _service_not_found() -> ObjectNotFound:
    return ObjectNotFound(_("La oferta no existe o no tiene acceso a ella."))


def _organization_not_found() -> ObjectNotFound:
    return ObjectNotFound(_("La entidad no existe o no tiene acceso a ella."))


def _organization_scope(user: Any, *, prefix: str = "") -> Q | None:
    """The entities ``user`` may edit, as a filter on Organization fields behind ``prefix``.

    ``Q()`` means every row; ``None`` means none (callers then return an empty queryset, which
    is cheaper and clearer than an impossible filter).
    """
    if not is_active_user(user):
        return None
    if user.is_national:
        return Q()
    level = f"{prefix}level"
    code = f"{prefix}territory_code"
    if user.role == Role.REGIONAL_ANALYST:
        department_codes = list(user.departments.values_list("code", flat=True))
        if not department_codes:
            return None
        # Municipal DIVIPOLA codes start with their department's two digits.
        in_department = Q()
        for department_code in department_codes:
            in_department |= Q(**{f"{code}__startswith": department_code})
        return Q(**{level: EntityLevel.DEPARTMENTAL, f"{code}__in": department_codes}) | Q(
            Q(**{level: EntityLevel.MUNICIPAL}), in_department
        )
    if user.role == Role.PARTNER_USER:
        if user.organization_id is None:
            return None
        return Q(**{f"{prefix}pk": user.organization_id})
    if user.role == Role.MUNICIPAL_USER:
        if user.municipality_id is None:
            return None
        return Q(**{level: EntityLevel.MUNICIPAL, code: user.municipality_id})
    return None


def organizations_editable_by(*, user: Any) -> QuerySet[Organization]:
    """The entities ``user`` may edit (and whose offers they may edit)."""
    scope = _organization_scope(user)
    if scope is None:
        return Organization.objects.none()
    return Organization.objects.filter(scope)


def services_editable_by(*, user: Any) -> QuerySet[Service]:
    """The offers ``user`` may edit. Offers without an entity are editable at national level only.

    For an "Editar" link on each row of a list, fetch
    ``services_editable_by(user=...).values_list("id", flat=True)`` once instead of calling
    :func:`user_can_edit_service` per row.
    """
    scope = _organization_scope(user, prefix="organization__")
    if scope is None:
        return Service.objects.none()
    return Service.objects.filter(scope).select_related("organization")


def access_service_for_view(*, user: Any, service_id: Any) -> Service:
    """The offer with ``service_id`` for reading. The catalogue is public offer information, so
    any active signed-in user may read any offer; unknown or malformed ids raise ObjectNotFound."""
    pk = as_uuid(service_id)
    if pk is None or not is_active_user(user):
        raise _service_not_found()
    service = Service.objects.select_related("organization").filter(pk=pk).first()
    if service is None:
        raise _service_not_found()
    return service


def access_service_for_edit(*, user: Any, service_id: Any) -> Service:
    """The offer with ``service_id`` if ``user`` may edit it; otherwise ObjectNotFound, the same
    error as for an offer that does not exist."""
    pk = as_uuid(service_id)
    if pk is None:
        raise _service_not_found()
    service = services_editable_by(user=user).filter(pk=pk).first()
    if service is None:
        raise _service_not_found()
    return service


def access_organization_for_edit(*, user: Any, organization_id: Any) -> Organization:
    """The entity with ``organization_id`` if ``user`` may edit it; otherwise ObjectNotFound, the
    same error as for an entity that does not exist."""
    pk = as_uuid(organization_id)
    if pk is None:
        raise _organization_not_found()
    organization = organizations_editable_by(user=user).filter(pk=pk).first()
    if organization is None:
        raise _organization_not_found()
    return organization


def user_can_edit_service(*, user: Any, service: Service) -> bool:
    """Whether ``user`` may edit ``service`` (to show an "Editar" link). One query; decided by
    the same filter as :func:`access_service_for_edit`, so the link and the page never disagree."""
    return services_editable_by(user=user).filter(pk=service.pk).exists()
