"""Fixtures for household tests: users of each role, territories, a private VAR_DIR."""

from __future__ import annotations

import itertools

import pytest

from oferta.accounts.models import Role, User

_sequence = itertools.count(1)

TERRITORIES = {
    "44": ("La Guajira", {"44847": "Uribia", "44001": "Riohacha"}),
    "27": ("Chocó", {"27001": "Quibdó"}),
}


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    """Imports write rejects and uploads under VAR_DIR: keep each test's apart."""
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


@pytest.fixture
def territories(db):
    from oferta.territories.models import Department, Municipality

    for code, (name, municipalities) in TERRITORIES.items():
        department = Department.objects.get_or_create(code=code, defaults={"name": name})[0]
        for m_code, m_name in municipalities.items():
            Municipality.objects.get_or_create(
                code=m_code, defaults={"name": m_name, "department": department}
            )


@pytest.fixture
def make_user(db, territories):
    def make(role: str, *, departments=(), municipality=None, **extra) -> User:
        user = User.objects.create_user(
            username=f"usuario{next(_sequence)}",
            password="x",
            role=role,
            municipality_id=municipality,
            **extra,
        )
        user.departments.set(departments)
        return user

    return make


@pytest.fixture
def users(make_user):
    """One user per role; the territorial ones scoped to La Guajira (44) / Uribia (44847)."""
    return {
        "national_admin": make_user(Role.NATIONAL_ADMIN),
        "national_analyst": make_user(Role.NATIONAL_ANALYST),
        "regional_analyst": make_user(Role.REGIONAL_ANALYST, departments=["44"]),
        "municipal_user": make_user(Role.MUNICIPAL_USER, municipality="44847"),
        "partner_user": make_user(Role.PARTNER_USER),
        "fair_operator": make_user(Role.FAIR_OPERATOR),
    }
