"""Who may manage which accounts and API tokens: the one chokepoint per protected account read.

As in ``oferta.offers.access``, "does not exist" and "not yours" raise the same ObjectNotFound
with the same message.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from oferta.core.errors import ObjectNotFound
from oferta.core.identifiers import as_uuid

from .models import ApiToken, Role, User


def user_is_account_admin(*, user: Any) -> bool:
    """Only national administrators (and superusers) create and change accounts."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return False
    return bool(user.is_superuser or user.role == Role.NATIONAL_ADMIN)


def access_user_for_admin(*, user: Any, user_uuid: Any) -> User:
    """The account with ``user_uuid`` if ``user`` may manage accounts; otherwise ObjectNotFound,
    the same error as for an account that does not exist."""
    pk = as_uuid(user_uuid)
    if pk is None or not user_is_account_admin(user=user):
        raise ObjectNotFound(_("La cuenta no existe o no tiene acceso a ella."))
    target = User.objects.filter(uuid=pk).first()
    if target is None:
        raise ObjectNotFound(_("La cuenta no existe o no tiene acceso a ella."))
    return target


def access_api_token_for_owner(*, user: Any, token_uuid: Any) -> ApiToken:
    """The caller's own API token with ``token_uuid``; another person's token, or one that does
    not exist, raises the same ObjectNotFound."""
    pk = as_uuid(token_uuid)
    if pk is None or not getattr(user, "is_authenticated", False):
        raise ObjectNotFound(_("El token no existe o no tiene acceso a él."))
    token = ApiToken.objects.filter(uuid=pk, user_id=user.pk).select_related("user").first()
    if token is None:
        raise ObjectNotFound(_("El token no existe o no tiene acceso a él."))
    return token
