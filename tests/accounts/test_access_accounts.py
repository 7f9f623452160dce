"""Account chokepoints: only national administrators reach other accounts; only owners their
tokens; "not found" and "not yours" are the same error."""

from __future__ import annotations

import uuid

import pytest

from oferta.accounts.access import access_api_token_for_owner, access_user_for_admin
from oferta.accounts.models import Role
from oferta.accounts.services import api_token_create
from oferta.core.errors import ObjectNotFound


def _error(call) -> ObjectNotFound:
    with pytest.raises(ObjectNotFound) as info:
        call()
    return info.value


def test_national_admin_reaches_any_account(admin_user, user_factory):
    target = user_factory(Role.PARTNER_USER)
    assert access_user_for_admin(user=admin_user, user_uuid=str(target.uuid)) == target


def test_superuser_reaches_any_account(user_factory):
    superuser = user_factory(Role.FAIR_OPERATOR, is_superuser=True)
    target = user_factory()
    assert access_user_for_admin(user=superuser, user_uuid=target.uuid) == target


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.NATIONAL_ADMIN])
def test_other_roles_get_not_found_identical_to_a_missing_account(user_factory, role):
    # given a user of a non-admin role and an existing account
    caller = user_factory(role)
    target = user_factory()
    # when they open the existing account and a missing one
    not_yours = _error(lambda: access_user_for_admin(user=caller, user_uuid=target.uuid))
    missing = _error(lambda: access_user_for_admin(user=caller, user_uuid=uuid.uuid4()))
    # then the errors cannot be told apart
    assert type(not_yours) is type(missing)
    assert str(not_yours) == str(missing)


def test_inactive_admin_reaches_no_account(user_factory):
    admin = user_factory(Role.NATIONAL_ADMIN, is_active=False)
    target = user_factory()
    with pytest.raises(ObjectNotFound):
        access_user_for_admin(user=admin, user_uuid=target.uuid)


def test_malformed_account_id_is_not_found(admin_user):
    with pytest.raises(ObjectNotFound):
        access_user_for_admin(user=admin_user, user_uuid="../etc/passwd")


def test_owner_reaches_own_token_and_others_get_the_missing_token_error(user_factory):
    # given a token of one person
    owner = user_factory()
    token, _ = api_token_create(actor=owner, user=owner, name="t", expires_in_days=30)
    other = user_factory(Role.NATIONAL_ADMIN)
    # when the owner, another person and anyone with an unknown id look it up
    assert access_api_token_for_owner(user=owner, token_uuid=token.uuid) == token
    not_yours = _error(lambda: access_api_token_for_owner(user=other, token_uuid=token.uuid))
    missing = _error(lambda: access_api_token_for_owner(user=owner, token_uuid=uuid.uuid4()))
    # then only the owner gets it and the two refusals are identical
    assert type(not_yours) is type(missing)
    assert str(not_yours) == str(missing)
