"""Fixtures for referral tests: two partner entities with offers, households in three
municipalities, a routing run, and a user of each role."""

from __future__ import annotations

import itertools
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from households.factories import household_make
from oferta.accounts.models import Role
from oferta.referrals.models import Referral, RoutingRun
from oferta.referrals.services import (
    referral_record_consent,
    referrals_approve,
    referrals_propose_from_assignments,
)
from oferta.referrals.states import ReferralState
from offers.factories import organization_make, service_make, territories_make, user_make

_seq = itertools.count(1)

TERRITORIES = {
    "44": ("La Guajira", {"44847": "Uribia", "44001": "Riohacha"}),
    "27": ("Chocó", {"27001": "Quibdó"}),
}


@pytest.fixture
def world(db):
    """Entity A (offers a1, a2), entity B (offer b); households in Uribia (two members),
    Riohacha and Quibdó; one routing run; one user per role."""
    territories_make(TERRITORIES)
    org_a = organization_make(name="Entidad A")
    org_b = organization_make(name="Entidad B")
    uribia = household_make(
        municipality_code="44847",
        members=[
            {"first_names": "Yolanda", "last_names": "Quiñones", "document_number": "11111111"},
            {"first_names": "Luisa", "last_names": "Hermana", "relationship": "child"},
        ],
        monthly_income=123456,
        deprived_illiteracy=True,
    )
    return SimpleNamespace(
        org_a=org_a,
        org_b=org_b,
        offer_a1=service_make(organization=org_a, name="Oferta A1"),
        offer_a2=service_make(organization=org_a, name="Oferta A2"),
        offer_b=service_make(organization=org_b, name="Oferta B"),
        uribia=uribia,
        riohacha=household_make(municipality_code="44001"),
        quibdo=household_make(municipality_code="27001"),
        run=RoutingRun.objects.create(name="Corrida de prueba", scope=["44", "27"]),
        national=user_make(Role.NATIONAL_ANALYST),
        admin=user_make(Role.NATIONAL_ADMIN),
        regional=user_make(Role.REGIONAL_ANALYST, departments=["44"]),
        municipal=user_make(Role.MUNICIPAL_USER, municipality_id="44847"),
        partner_a=user_make(Role.PARTNER_USER, organization=org_a),
        partner_b=user_make(Role.PARTNER_USER, organization=org_b),
        fair=user_make(Role.FAIR_OPERATOR),
    )


def propose(world, pairs) -> list[Referral]:
    """Propose (household, offer) pairs through the service; returns them in order."""
    rows = [
        {
            "household_id": str(household.uuid),
            "offer_id": str(offer.pk),
            "territory_code": household.municipality_code,
            "value": "1.5",
        }
        for household, offer in pairs
    ]
    referrals_propose_from_assignments(run=world.run, rows=rows, actor=None)
    return [
        Referral.objects.get(routing_run=world.run, household=h, offer=o, person__isnull=True)
        for h, o in pairs
    ]


def send(world, referral: Referral) -> Referral:
    """Consent and approval by the national analyst: the referral reaches the entity."""
    referral_record_consent(referral=referral, actor=world.national, method="written")
    referrals_approve(actor=world.national, referrals=[referral])
    referral.refresh_from_db()
    return referral


def referral_in_state(world, state: str, *, household=None, offer=None, run=None) -> Referral:
    """A referral put straight into ``state`` with the data that state implies."""
    now = timezone.now()
    fields: dict[str, Any] = {}
    if state != ReferralState.PROPOSED:
        fields |= {
            "consent_recorded_at": now - timedelta(days=3),
            "consent_method": "written",
            "approved_at": now - timedelta(days=2),
            "due_at": now + timedelta(days=28),
        }
    else:
        fields |= {"consent_recorded_at": now, "consent_method": "written"}
    if state in ("accepted", "in-progress", "on-hold", "completed", "failed"):
        fields["accepted_at"] = now - timedelta(days=1)
    if state == "completed":
        fields |= {"closure_success": True, "enrolled_on": timezone.localdate()}
    return Referral.objects.create(
        household=household or world.uribia,
        offer=offer or world.offer_a1,
        routing_run=run,
        territory_code=(household or world.uribia).municipality_code,
        state=state,
        **fields,
    )


@pytest.fixture
def funnel_referrals(world):
    """Eight referrals sent 20 days ago (one still proposed): Uribia 3, Riohacha 3, Quibdó 2;
    offer A1 (entity A) 5, offer B (entity B) 3."""
    approved_at = timezone.now() - timedelta(days=20)
    sent_on = timezone.localdate(approved_at)

    def make(household, offer, state, *, accepted=False, enrolled=None, served=None, reason=""):
        return Referral.objects.create(
            household=household,
            offer=offer,
            territory_code=household.municipality_code,
            state=state,
            approved_at=None if state == "proposed" else approved_at,
            accepted_at=approved_at + timedelta(days=1) if accepted else None,
            enrolled_on=sent_on + timedelta(days=enrolled) if enrolled is not None else None,
            served_on=sent_on + timedelta(days=served) if served is not None else None,
            closure_reason=reason,
        )

    a1, b = world.offer_a1, world.offer_b
    return [
        make(world.uribia, a1, "proposed"),
        make(world.riohacha, a1, "requested"),
        make(world.quibdo, a1, "rejected", reason="no_capacity"),
        make(world.uribia, a1, "completed", accepted=True, enrolled=4, served=6),
        make(world.riohacha, a1, "completed", accepted=True, enrolled=10),
        make(world.quibdo, b, "accepted", accepted=True),
        make(world.uribia, b, "rejected", reason="client_refused"),
        make(world.riohacha, b, "rejected", reason="client_refused"),
    ]
