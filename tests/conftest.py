"""Shared fixtures: users for each role, and a territory skeleton for scoping tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def department_factory(db):
    from oferta.territories.models import Department

    def make(code: str = "05", name: str = "Antioquia") -> Department:
        return Department.objects.get_or_create(code=code, defaults={"name": name})[0]

    return make


@pytest.fixture
def municipality_factory(db, department_factory):
    from oferta.territories.models import Municipality

    def make(code: str = "05001", name: str = "Medellín") -> Municipality:
        department = department_factory(code=code[:2], name=f"Departamento {code[:2]}")
        return Municipality.objects.get_or_create(
            code=code, defaults={"name": name, "department": department}
        )[0]

    return make
