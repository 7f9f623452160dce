"""Households kept only because referrals point to them are flagged as out of the registry:
the import sets the flag, the pages show it and new routing runs leave them out."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from households.factories import AS_OF, household_make, household_row, person_row, write_registry
from oferta.accounts.models import AuditEvent
from oferta.households.models import Household, ImportStatus
from oferta.households.services import registry_import_create, registry_import_run
from oferta.referrals.models import Referral
from oferta.referrals.routing import routing_run_create, routing_run_execute
from offers.factories import service_make

from .conftest import propose, referral_in_state

pytestmark = pytest.mark.django_db

LATER = date(2025, 12, 31)


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def _import(directory, households, persons, *, as_of=AS_OF):
    paths = write_registry(directory, households, persons)
    registry_import = registry_import_create(
        households_file_name=paths[0].name,
        persons_file_name=paths[1].name,
        as_of=as_of,
        actor=None,
    )
    result = registry_import_run(
        registry_import=registry_import, households_path=paths[0], persons_path=paths[1]
    )
    assert result.status == ImportStatus.SUCCEEDED, result.error_message
    return result


@pytest.fixture
def referred(world, tmp_path):
    """Uribia's extract v1 lists H1 and H9; H9 is referred to offer A1."""
    _import(
        tmp_path / "v1",
        [household_row("H1"), household_row("H9")],
        [person_row("P1", "H1"), person_row("P9", "H9")],
    )
    h9 = Household.objects.get(registry_id="H9")
    return propose(world, [(h9, world.offer_a1)])[0]


def test_an_import_that_no_longer_lists_a_referred_household_flags_it(world, referred, tmp_path):
    # when Uribia's next extract (reference date LATER) lists only H1
    result = _import(tmp_path / "v2", [household_row("H1")], [person_row("P1", "H1")], as_of=LATER)
    # then H9 is kept, flagged out of the registry since that extract's date; H1 is not
    h9 = Household.objects.get(registry_id="H9")
    assert (h9.in_registry, h9.left_registry_on) == (False, LATER)
    assert Household.objects.get(registry_id="H1").in_registry is True
    assert result.households_kept == 1
    audit = AuditEvent.objects.get(action="registry.imported", object_id=str(result.uuid))
    assert audit.after["households_kept_out_of_registry"] == 1


def test_a_later_extract_that_still_misses_it_keeps_the_first_date(world, referred, tmp_path):
    _import(tmp_path / "v2", [household_row("H1")], [person_row("P1", "H1")], as_of=LATER)
    result = _import(
        tmp_path / "v3", [household_row("H1")], [person_row("P1", "H1")], as_of=date(2026, 3, 31)
    )
    assert Household.objects.get(registry_id="H9").left_registry_on == LATER
    assert result.households_kept == 0


def test_an_extract_that_lists_it_again_puts_it_back_in_the_registry(world, referred, tmp_path):
    _import(tmp_path / "v2", [household_row("H1")], [person_row("P1", "H1")], as_of=LATER)
    _import(
        tmp_path / "v3",
        [household_row("H1"), household_row("H9")],
        [person_row("P1", "H1"), person_row("P9", "H9")],
    )
    h9 = Household.objects.get(registry_id="H9")
    assert (h9.in_registry, h9.left_registry_on) == (True, None)


def test_an_extract_of_another_municipality_does_not_flag_it(world, referred, tmp_path):
    _import(
        tmp_path / "v2",
        [household_row("Q1", municipality_code="27001")],
        [person_row("Q1P", "Q1")],
    )
    assert Household.objects.get(registry_id="H9").in_registry is True


def test_new_routing_runs_leave_out_households_no_longer_in_the_registry(world):
    # given two households of Uribia open to an offer, one of them out of the registry
    deprived = {"deprived_illiteracy": True, "monetary_status": "extreme_poor"}
    gone = household_make(in_registry=False, left_registry_on=LATER, **deprived)
    present = household_make(**deprived)
    offer = service_make(
        name="Alfabetización",
        indicators=("illiteracy",),
        eligibility_rule="deprived_illiteracy",
        slots=(("44847", 10),),
    )
    run = routing_run_create(actor=None, scope=["44847"], k_max=1)
    # when a run routes Uribia
    routing_run_execute(run=run, actor=None)
    assert run.status == "succeeded", run.error_message
    # then only the household still in the registry is proposed
    referred = set(
        Referral.objects.filter(routing_run=run, offer=offer).values_list("household_id", flat=True)
    )
    assert present.pk in referred
    assert gone.pk not in referred


def _flag(household):
    household.in_registry = False
    household.left_registry_on = LATER
    household.save(update_fields=["in_registry", "left_registry_on"])


def test_the_household_page_says_since_when_it_is_out_of_the_registry(client, world):
    _flag(world.uribia)
    client.force_login(world.national)
    body = client.get(reverse("households:detail", kwargs={"household_id": world.uribia.uuid}))
    assert "Ya no está en el registro desde 2025-12-31" in body.content.decode()


def test_a_household_in_the_registry_shows_no_badge(client, world):
    client.force_login(world.national)
    body = client.get(reverse("households:detail", kwargs={"household_id": world.uribia.uuid}))
    assert "Ya no está en el registro" not in body.content.decode()


def test_referral_pages_show_the_badge_to_reviewers_and_partners(client, world):
    referral = referral_in_state(world, "requested")
    other = referral_in_state(world, "requested", household=world.riohacha)
    _flag(world.uribia)
    detail = reverse("referrals:detail", kwargs={"referral_id": referral.uuid})

    client.force_login(world.national)
    assert "Ya no está en el registro desde 2025-12-31" in client.get(detail).content.decode()
    review = client.get(reverse("referrals:review")).content.decode()
    assert review.count("left-registry") == 1

    client.force_login(world.partner_a)
    assert "Ya no está en el registro" in client.get(detail).content.decode()
    inbox = client.get(reverse("referrals:inbox")).content.decode()
    assert inbox.count("left-registry") == 1
    assert str(other.uuid) in inbox
