"""A small world for the insights tests: six households in three municipalities, offers with
slots covering today (and some that must not count), referrals in several states and one
succeeded routing run over La Guajira.

Expected figures (worked out by hand in tests/insights/test_refresh.py).
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from households.factories import household_make
from oferta.accounts.models import Role
from oferta.offers.models import ServiceStatus, Slot
from oferta.referrals.models import Referral, RoutingRun, RunStatus
from offers.factories import organization_make, service_make, territories_make, user_make
from territories.conftest import reference_data  # noqa: F401 - the shipped DANE figures

_seq = itertools.count(1)

TERRITORIES = {
    "44": ("La Guajira", {"44847": "Uribia", "44001": "Riohacha"}),
    "27": ("Chocó", {"27001": "Quibdó"}),
}


def slot_make(
    service, territory_code: str, places: int, *, days_from: int = -30, days_to: int = 60
):
    today = timezone.localdate()
    return Slot.objects.create(
        service=service,
        territory_code=territory_code,
        period_start=today + timedelta(days=days_from),
        period_end=today + timedelta(days=days_to),
        places=places,
    )


def referral_make(
    household, offer, *, run=None, stage: str = "proposed", state: str = ""
) -> Referral:
    """A referral that reached ``stage`` (proposed, referred, accepted, enrolled, served)."""
    now = timezone.now()
    order = ["proposed", "referred", "accepted", "enrolled", "served"]
    reached = order.index(stage)
    fields: dict[str, Any] = {}
    if reached >= 1:
        fields["approved_at"] = now - timedelta(days=10)
    if reached >= 2:
        fields["accepted_at"] = now - timedelta(days=8)
    if reached >= 3:
        fields["enrolled_on"] = timezone.localdate() - timedelta(days=5)
    if reached >= 4:
        fields["served_on"] = timezone.localdate() - timedelta(days=2)
    default_state = {
        "proposed": "proposed",
        "referred": "requested",
        "accepted": "accepted",
        "enrolled": "in-progress",
        "served": "completed",
    }[stage]
    return Referral.objects.create(
        household=household,
        offer=offer,
        routing_run=run,
        territory_code=household.municipality_code,
        state=state or default_state,
        **fields,
    )


def _hh(
    municipality_code: str, *, poor: bool, illiteracy: bool, water: bool, members: int = 1, **extra
):
    return household_make(
        municipality_code=municipality_code,
        members=[{} for _ in range(members)],
        poor=poor,
        deprived_illiteracy=illiteracy,
        deprived_no_improved_water=water,
        **extra,
    )


@pytest.fixture
def world(db):
    territories_make(TERRITORIES)
    uribia_1 = _hh(
        "44847", poor=True, illiteracy=True, water=True, members=2,
        monetary_status="extreme_poor", quadrant="both",
    )  # fmt: skip
    uribia_2 = _hh("44847", poor=True, illiteracy=True, water=False, monetary_status="poor")
    uribia_3 = _hh("44847", poor=False, illiteracy=True, water=True)
    uribia_4 = _hh("44847", poor=False, illiteracy=False, water=False)
    riohacha = _hh("44001", poor=True, illiteracy=False, water=True)
    quibdo = _hh("27001", poor=True, illiteracy=True, water=False)

    literacy_org = organization_make(name="Ministerio de Educación Nacional")
    water_org = organization_make(name="Alcaldía de Riohacha", level="municipal")
    literacy = service_make(
        organization=literacy_org, name="Alfabetización de adultos", indicators=("illiteracy",)
    )
    slot_make(literacy, "44847", 1)
    slot_make(literacy, "44", 3)  # department pool: Uribia and Riohacha draw from it
    water = service_make(
        organization=water_org, name="Agua potable rural", indicators=("no_improved_water",)
    )
    slot_make(water, "44001", 5)
    inactive = service_make(
        name="Oferta inactiva", indicators=("illiteracy",), status=ServiceStatus.INACTIVE
    )
    slot_make(inactive, "44847", 100)
    expired = service_make(name="Oferta vencida", indicators=("illiteracy",))
    slot_make(expired, "44847", 50, days_from=-400, days_to=-200)

    run = RoutingRun.objects.create(
        name="Corrida La Guajira",
        scope=["44"],
        status=RunStatus.SUCCEEDED,
        finished_at=timezone.now(),
    )
    referral_make(uribia_1, literacy, run=run, stage="served")
    referral_make(uribia_2, literacy, run=run, stage="referred", state="cancelled")
    referral_make(uribia_3, literacy, run=run, stage="proposed")
    referral_make(uribia_1, water, run=run, stage="accepted")
    referral_make(uribia_4, literacy, run=run, stage="accepted")  # not deprived: no uptake
    return SimpleNamespace(
        uribia=[uribia_1, uribia_2, uribia_3, uribia_4],
        riohacha=riohacha,
        quibdo=quibdo,
        literacy=literacy,
        water=water,
        run=run,
        national=user_make(Role.NATIONAL_ANALYST),
        regional=user_make(Role.REGIONAL_ANALYST, departments=["44"]),
        regional_choco=user_make(Role.REGIONAL_ANALYST, departments=["27"]),
        municipal=user_make(Role.MUNICIPAL_USER, municipality_id="44847"),
        partner=user_make(Role.PARTNER_USER, organization=literacy_org),
    )


@pytest.fixture
def analyst(django_user_model):
    """A national analyst on their own, for the pages over the shipped reference data."""
    return django_user_model.objects.create_user(
        username="analista_nacional", password="x", role=Role.NATIONAL_ANALYST
    )


@pytest.fixture
def national(client, analyst):
    """The test client logged in as the national analyst."""
    client.force_login(analyst)
    return client


def registry_rows_make() -> None:
    """Stored municipal aggregates for map tests (Uribia 8/10 poor, Riohacha 2/10, Quibdó
    5/20), without a registry behind them."""
    from oferta.insights.models import MunicipalIndicatorGap, MunicipalRegistrySummary

    now = timezone.now()
    for code, households, poor in (("44847", 10, 8), ("44001", 10, 2), ("27001", 20, 5)):
        MunicipalRegistrySummary.objects.create(
            municipality_code=code,
            department_code=code[:2],
            households=households,
            persons=households * 3,
            households_poor=poor,
            persons_poor=poor * 3,
            refreshed_at=now,
        )
        MunicipalIndicatorGap.objects.create(
            municipality_code=code,
            department_code=code[:2],
            indicator="illiteracy",
            households_deprived=poor,
            refreshed_at=now,
        )
