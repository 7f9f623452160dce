"""The transition table: every legal move succeeds through its service (with one audit event
and one timeline entry), every illegal move is refused in Spanish and changes nothing."""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from oferta.accounts.models import AuditEvent
from oferta.core.errors import ValidationFailed
from oferta.referrals.models import Referral, ReferralEvent
from oferta.referrals.services import TARGET_ACTION, referral_act
from oferta.referrals.states import (
    CLOSED_STATES,
    TRANSITIONS,
    ReferralState,
    transition_allowed,
)

from .conftest import referral_in_state

pytestmark = pytest.mark.django_db

STATES = list(ReferralState.values)
# Every state a referral can be moved to by an action (nothing moves back to "proposed").
TARGETS = [s for s in STATES if s != ReferralState.PROPOSED]

LEGAL = {
    ("proposed", "requested"),
    ("proposed", "cancelled"),
    ("requested", "received"),
    ("requested", "accepted"),
    ("requested", "rejected"),
    ("requested", "cancelled"),
    ("received", "accepted"),
    ("received", "rejected"),
    ("received", "cancelled"),
    ("accepted", "in-progress"),
    ("accepted", "on-hold"),
    ("accepted", "completed"),
    ("accepted", "failed"),
    ("accepted", "cancelled"),
    ("in-progress", "on-hold"),
    ("in-progress", "completed"),
    ("in-progress", "failed"),
    ("in-progress", "cancelled"),
    ("on-hold", "in-progress"),
    ("on-hold", "completed"),
    ("on-hold", "failed"),
    ("on-hold", "cancelled"),
}


def _data_for(target: str) -> dict:
    return {
        "reason": "no_capacity",
        "note": "",
        "enrolled_on": timezone.localdate(),
        "served_on": None,
        "method": "written",
    }


def test_the_table_is_exactly_the_documented_lifecycle():
    table = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert table == LEGAL
    assert {"rejected", "completed", "failed", "cancelled"} == CLOSED_STATES


@pytest.mark.parametrize(("from_state", "to_state"), list(itertools.product(STATES, TARGETS)))
def test_each_move_is_allowed_exactly_when_the_table_says(world, from_state, to_state):
    # given a referral in from_state and a national user (who may act on both sides)
    referral = referral_in_state(world, from_state)
    audits, events = AuditEvent.objects.count(), ReferralEvent.objects.count()
    action = TARGET_ACTION[to_state]
    # when the action that leads to to_state is attempted
    if (from_state, to_state) in LEGAL:
        referral_act(referral=referral, actor=world.national, action=action, **_data_for(to_state))
        # then the referral moved, with one audit event and one timeline entry
        stored = Referral.objects.get(pk=referral.pk)
        assert stored.state == to_state
        assert AuditEvent.objects.count() == audits + 1
        event = ReferralEvent.objects.filter(referral=referral).latest("pk")
        assert (event.from_state, event.to_state, event.action) == (from_state, to_state, action)
        assert (stored.closed_at is not None) == (to_state in CLOSED_STATES)
    else:
        assert not transition_allowed(from_state, to_state)
        with pytest.raises(ValidationFailed) as info:
            referral_act(
                referral=referral, actor=world.national, action=action, **_data_for(to_state)
            )
        # then it is refused in Spanish and nothing changed
        message = " ".join(m for ms in info.value.errors.values() for m in ms)
        assert "No se puede pasar" in message
        assert Referral.objects.get(pk=referral.pk).state == from_state
        assert AuditEvent.objects.count() == audits
        assert ReferralEvent.objects.count() == events


def test_a_closed_referral_says_it_is_closed(world):
    referral = referral_in_state(world, "completed")
    with pytest.raises(ValidationFailed) as info:
        referral_act(referral=referral, actor=world.national, action="accept")
    assert "ya está cerrada" in info.value.errors["state"][0]
