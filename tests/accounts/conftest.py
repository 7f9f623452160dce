"""Fixtures for account tests: users of each role and a partner entity."""

from __future__ import annotations

import itertools

import pytest

from oferta.accounts.models import Role, User

STRONG_PASSWORD = "Cafetal-Verde-2024!"
_sequence = itertools.count(1)


@pytest.fixture
def user_factory(db):
    def make(role: str = Role.NATIONAL_ANALYST, *, username: str | None = None, **extra) -> User:
        departments = extra.pop("departments", ())
        user = User.objects.create_user(
            username=username or f"persona{next(_sequence)}",
            password=extra.pop("password", STRONG_PASSWORD),
            role=role,
            **extra,
        )
        user.departments.set(departments)
        return user

    return make


@pytest.fixture
def admin_user(user_factory) -> User:
    return user_factory(Role.NATIONAL_ADMIN, username="admin.nacional")


@pytest.fixture
def organization(db):
    from oferta.offers.models import EntityLevel, Organization

    return Organization.objects.create(
        name="Alcaldía de Uribia",
        description="",
        level=EntityLevel.MUNICIPAL,
        territory_code="44847",
    )
