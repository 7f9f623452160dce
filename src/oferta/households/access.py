"""Who may see which registry households: the one place where household scope is decided.

Every protected read of a household goes through :func:`access_household_by_id`, which raises
the same :class:`~oferta.core.errors.ObjectNotFound`, with the same message, whether the
household does not exist or lies outside the user's scope (the pattern of Zulip's
``access_stream_by_id``). Lists go through :func:`households_visible_to`.

Scope by role (least privilege, Ley 1581 de 2012):

- national administrator / analyst (and superusers): every household;
- regional analyst: households of municipalities in one of their departments;
- municipal user: households of their municipality;
- partner-entity users, fair operators, inactive or anonymous users, unknown roles: none (for
  now: partners will see the households referred to their offers through the referrals app).

Importing a registry (and reading its rejects file) is for national roles only:
:func:`user_can_import_registry`.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from oferta.accounts.models import Role
from oferta.core.errors import ObjectNotFound
from oferta.core.identifiers import as_uuid, is_active_user

from .models import Household, HouseholdAccessLog, Person, RegistryImport


def _household_not_found() -> ObjectNotFound:
    return ObjectNotFound(_("El hogar no existe o no tiene acceso a él."))


def _import_not_found() -> ObjectNotFound:
    return ObjectNotFound(_("La importación no existe o no tiene acceso a ella."))


def household_scope(user: Any, *, prefix: str = "") -> Q | None:
    """The households ``user`` may read, as a filter on Household fields behind ``prefix``.

    ``Q()`` means every row; ``None`` means none (callers return an empty queryset).
    """
    if not is_active_user(user):
        return None
    if user.is_national:
        return Q()
    if user.role == Role.REGIONAL_ANALYST:
        department_codes = list(user.departments.values_list("code", flat=True))
        if not department_codes:
            return None
        return Q(**{f"{prefix}department_code__in": department_codes})
    if user.role == Role.MUNICIPAL_USER:
        if user.municipality_id is None:
            return None
        return Q(**{f"{prefix}municipality_code": user.municipality_id})
    return None


def households_visible_to(*, user: Any) -> QuerySet[Household]:
    """The households ``user`` may read (see the module docstring for the rules)."""
    scope = household_scope(user)
    if scope is None:
        return Household.objects.none()
    return Household.objects.filter(scope)


def persons_visible_to(*, user: Any) -> QuerySet[Person]:
    """The registry persons ``user`` may read: members of households in their scope."""
    scope = household_scope(user, prefix="household__")
    if scope is None:
        return Person.objects.none()
    return Person.objects.filter(scope)


def user_can_search_households(*, user: Any) -> bool:
    """Whether ``user`` has any household scope at all (to show the search page and menu)."""
    return household_scope(user) is not None


def access_household_by_id(*, user: Any, household_id: Any) -> Household:
    """The household with uuid ``household_id`` if ``user`` may read it; otherwise
    ObjectNotFound, the same error as for a household that does not exist.

    Callers that show the household to a person must then call :func:`household_read_log`.
    """
    pk = as_uuid(household_id)
    if pk is None:
        raise _household_not_found()
    household = households_visible_to(user=user).filter(uuid=pk).first()
    if household is None:
        raise _household_not_found()
    return household


def household_read_log(*, user: Any, household_uuids: list[uuid.UUID], purpose: str) -> None:
    """Record that ``user`` read these households (ids only; never names or documents)."""
    if not household_uuids:
        return
    username = user.get_username() if getattr(user, "is_authenticated", False) else ""
    HouseholdAccessLog.objects.bulk_create(
        HouseholdAccessLog(
            user=user if username else None,
            username=username,
            household_uuid=household_uuid,
            purpose=purpose,
        )
        for household_uuid in household_uuids
    )


def user_can_import_registry(*, user: Any) -> bool:
    """Only national administrators and analysts load registries (they hold every territory)."""
    return is_active_user(user) and bool(user.is_national)


def access_registry_import_by_id(*, user: Any, import_id: Any) -> RegistryImport:
    """The registry import ``import_id`` if ``user`` may import registries; otherwise
    ObjectNotFound, the same error as for an import that does not exist."""
    pk = as_uuid(import_id)
    if pk is None or not user_can_import_registry(user=user):
        raise _import_not_found()
    registry_import = RegistryImport.objects.filter(uuid=pk).first()
    if registry_import is None:
        raise _import_not_found()
    return registry_import
