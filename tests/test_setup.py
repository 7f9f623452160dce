"""`oferta setup [--demo]`: reference and demo data load idempotently; demo users can sign in."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from oferta.accounts.demo_users import DEMO_USERS
from oferta.accounts.models import AuditEvent, User
from oferta.core.setup import run_setup
from oferta.households.models import Household
from oferta.households.services import AUDIT_OBJECT_TYPE
from oferta.offers.models import Organization, Service, Slot
from oferta.territories.models import Municipality


def _run(demo: bool) -> list[str]:
    lines: list[str] = []
    run_setup(demo=demo, echo=lambda text: lines.append(str(text)))
    return lines


def _totals() -> dict[str, int]:
    return {
        "municipalities": Municipality.objects.count(),
        "organizations": Organization.objects.count(),
        "services": Service.objects.count(),
        "slots": Slot.objects.count(),
        "users": User.objects.count(),
        "households": Household.objects.count(),
    }


@pytest.mark.django_db
def test_demo_setup_twice_gives_the_same_data_and_no_new_catalogue_events():
    _run(demo=True)
    first = _totals()
    # Reloading reference data and re-importing the demo registry are real, audited runs;
    # the catalogue, partners and users must not change.
    reruns = ("data_source", AUDIT_OBJECT_TYPE)
    events = AuditEvent.objects.exclude(object_type__in=reruns).count()
    imports = AuditEvent.objects.filter(action="registry.imported").count()

    _run(demo=True)

    assert _totals() == first
    assert first["services"] >= 40
    assert first["municipalities"] > 1000
    assert first["users"] == len(DEMO_USERS)
    assert AuditEvent.objects.exclude(object_type__in=reruns).count() == events
    assert AuditEvent.objects.filter(action="registry.imported").count() == imports + 1
    assert first["households"] > 1000


@pytest.mark.django_db
def test_demo_credentials_authenticate_with_their_role_and_scope():
    lines = _run(demo=True)
    output = "\n".join(lines)
    request = RequestFactory().post("/cuentas/entrar/")
    for spec in DEMO_USERS:
        assert spec.password in output
        user = authenticate(request=request, username=spec.username, password=spec.password)
        assert user is not None, spec.username
        assert user.role == spec.role
    assert User.objects.get(username="admin").is_superuser
    assert sorted(
        User.objects.get(username="regional").departments.values_list("code", flat=True)
    ) == [
        "27",
        "44",
    ]
    assert User.objects.get(username="entidad").organization.alternate_name == "SENA"
    assert User.objects.get(username="entidad2").organization.alternate_name == "ICBF"
    assert User.objects.get(username="municipal").municipality_id == "44847"


@pytest.mark.django_db
def test_demo_setup_restores_a_changed_demo_password():
    _run(demo=True)
    user = User.objects.get(username="analista")
    user.set_password("otra-clave-cualquiera-123")
    user.save()

    _run(demo=True)

    request = RequestFactory().post("/cuentas/entrar/")
    assert authenticate(request=request, username="analista", password="Demo-Oferta-Analista-26")
    reset = AuditEvent.objects.filter(action="user.demo_reset", object_id="analista").get()
    assert "Demo-Oferta" not in str(reset.after) + str(reset.before)


@pytest.mark.django_db
def test_setup_without_demo_loads_reference_data_only():
    lines = _run(demo=False)
    assert Organization.objects.filter(is_demo=False).count() >= 20
    assert not Organization.objects.filter(is_demo=True).exists()
    assert not Service.objects.exists()
    assert not User.objects.exists()
    assert not any("Contraseña" in line for line in lines)
