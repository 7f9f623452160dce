"""A registry re-import keeps households and persons that referrals point to."""

from __future__ import annotations

import pytest

from households.factories import AS_OF, household_row, person_row, write_registry
from oferta.households.models import Household, ImportStatus, Person
from oferta.households.services import registry_import_create, registry_import_run
from oferta.referrals.models import Referral
from offers.factories import organization_make, service_make

pytestmark = pytest.mark.django_db


def _import(paths):
    registry_import = registry_import_create(
        households_file_name=paths[0].name,
        persons_file_name=paths[1].name,
        as_of=AS_OF,
        method_code="dane-cnpv-2018",
        strict=False,
        actor=None,
    )
    return registry_import_run(
        registry_import=registry_import,
        households_path=paths[0],
        persons_path=paths[1],
        progress=lambda percent, stage: None,
    )


def test_reimport_without_a_referred_household_keeps_it_and_its_referral(tmp_path):
    from oferta.territories.models import Department, Municipality

    department = Department.objects.create(code="44", name="La Guajira")
    Municipality.objects.create(code="44847", name="Uribia", department=department)
    # given two households of Uribia, one of them (H9) referred to an offer for its member P9
    first = write_registry(
        tmp_path / "v1",
        [household_row("H1"), household_row("H9")],
        [person_row("P1", "H1"), person_row("P9", "H9")],
    )
    assert _import(first).status == ImportStatus.SUCCEEDED
    offer = service_make(organization=organization_make(name="Entidad A"))
    referral = Referral.objects.create(
        household=Household.objects.get(registry_id="H9"),
        person=Person.objects.get(registry_id="P9"),
        offer=offer,
        territory_code="44847",
    )

    # when a new extract of Uribia no longer lists H9
    second = write_registry(tmp_path / "v2", [household_row("H1")], [person_row("P1", "H1")])
    result = _import(second)

    # then the import succeeds and the referred household, its member and the referral remain
    assert result.status == ImportStatus.SUCCEEDED
    assert Household.objects.filter(registry_id="H9").exists()
    assert Person.objects.filter(registry_id="P9").exists()
    referral.refresh_from_db()
    assert referral.household.registry_id == "H9"
