"""Household scope (oferta.households.access), checked from both sides for every role."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser

from oferta.core.errors import ObjectNotFound
from oferta.households.access import (
    access_household_by_id,
    households_visible_to,
    persons_visible_to,
    user_can_import_registry,
)

from .factories import household_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(territories):
    return {
        "uribia": household_make(municipality_code="44847"),
        "riohacha": household_make(municipality_code="44001"),
        "quibdo": household_make(municipality_code="27001"),
    }


EXPECTED = {
    "national_admin": {"uribia", "riohacha", "quibdo"},
    "national_analyst": {"uribia", "riohacha", "quibdo"},
    "regional_analyst": {"uribia", "riohacha"},
    "municipal_user": {"uribia"},
    "partner_user": set(),
    "fair_operator": set(),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_reads_exactly_its_territory(role, users, households):
    # given one household in each of three municipalities of two departments
    user = users[role]
    # when the user asks for each household by id
    readable = set()
    for key, household in households.items():
        try:
            assert access_household_by_id(user=user, household_id=household.uuid) == household
            readable.add(key)
        except ObjectNotFound:
            pass
    # then exactly the households of their scope are readable, and the list agrees
    assert readable == EXPECTED[role]
    visible = {h.municipality_code for h in households_visible_to(user=user)}
    assert visible == {households[k].municipality_code for k in EXPECTED[role]}
    assert persons_visible_to(user=user).count() == len(EXPECTED[role])


def test_not_yours_and_not_found_raise_the_same_error(users, households):
    user = users["municipal_user"]
    with pytest.raises(ObjectNotFound) as not_yours:
        access_household_by_id(user=user, household_id=households["quibdo"].uuid)
    with pytest.raises(ObjectNotFound) as not_found:
        access_household_by_id(user=user, household_id=uuid.uuid4())
    assert str(not_yours.value) == str(not_found.value)


@pytest.mark.parametrize("bad_id", ["", "42", "not-a-uuid", None])
def test_malformed_ids_are_not_found(bad_id, users, households):
    with pytest.raises(ObjectNotFound):
        access_household_by_id(user=users["national_admin"], household_id=bad_id)


def test_anonymous_and_inactive_users_read_nothing(users, households):
    inactive = users["national_admin"]
    inactive.is_active = False
    inactive.save()
    for user in (AnonymousUser(), inactive):
        assert not households_visible_to(user=user).exists()
        with pytest.raises(ObjectNotFound):
            access_household_by_id(user=user, household_id=households["uribia"].uuid)


def test_regional_analyst_without_departments_reads_nothing(make_user, households):
    user = make_user("regional_analyst")
    assert not households_visible_to(user=user).exists()


def test_municipal_user_without_municipality_reads_nothing(make_user, households):
    user = make_user("municipal_user")
    assert not households_visible_to(user=user).exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("national_admin", True),
        ("national_analyst", True),
        ("regional_analyst", False),
        ("municipal_user", False),
        ("partner_user", False),
        ("fair_operator", False),
    ],
)
def test_only_national_roles_import_the_registry(role, allowed, users):
    assert user_can_import_registry(user=users[role]) is allowed
