"""Referral scope (oferta.referrals.access) for every role, and the partner's minimised view."""

from __future__ import annotations

import uuid

import pytest

from oferta.core.errors import ObjectNotFound
from oferta.referrals.access import access_referral_by_id, referrals_visible_to
from oferta.referrals.partner import partner_referral_fields, partner_referral_rows

from .conftest import propose, referral_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def referrals(world):
    return {
        "uribia_a_sent": referral_in_state(world, "requested"),
        "uribia_a_proposed": referral_in_state(world, "proposed", offer=world.offer_a2),
        "riohacha_b_sent": referral_in_state(
            world, "accepted", household=world.riohacha, offer=world.offer_b
        ),
        "quibdo_a_sent": referral_in_state(world, "completed", household=world.quibdo),
    }


EXPECTED = {
    "national": {"uribia_a_sent", "uribia_a_proposed", "riohacha_b_sent", "quibdo_a_sent"},
    "admin": {"uribia_a_sent", "uribia_a_proposed", "riohacha_b_sent", "quibdo_a_sent"},
    "regional": {"uribia_a_sent", "uribia_a_proposed", "riohacha_b_sent"},
    "municipal": {"uribia_a_sent", "uribia_a_proposed"},
    "partner_a": {"uribia_a_sent", "quibdo_a_sent"},
    "partner_b": {"riohacha_b_sent"},
    "fair": set(),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_reads_exactly_its_referrals(world, referrals, role):
    user = getattr(world, role)
    readable = set()
    for key, referral in referrals.items():
        try:
            assert access_referral_by_id(user=user, referral_id=referral.uuid) == referral
            readable.add(key)
        except ObjectNotFound:
            pass
    assert readable == EXPECTED[role]
    assert set(referrals_visible_to(user=user)) == {referrals[k] for k in EXPECTED[role]}


def test_not_yours_and_not_found_raise_the_same_error(world, referrals):
    with pytest.raises(ObjectNotFound) as not_yours:
        access_referral_by_id(user=world.partner_b, referral_id=referrals["uribia_a_sent"].uuid)
    with pytest.raises(ObjectNotFound) as not_found:
        access_referral_by_id(user=world.partner_b, referral_id=uuid.uuid4())
    with pytest.raises(ObjectNotFound) as malformed:
        access_referral_by_id(user=world.partner_b, referral_id="1")
    assert str(not_yours.value) == str(not_found.value) == str(malformed.value)


def test_a_partner_user_without_entity_sees_nothing(world, referrals):
    world.partner_a.organization = None
    world.partner_a.save()
    assert not referrals_visible_to(user=world.partner_a).exists()


def test_the_minimised_row_holds_only_the_partner_fields(world, referrals):
    (row,) = partner_referral_rows([referrals["uribia_a_sent"]])
    assert tuple(row) == partner_referral_fields
    # the household head is the contact; nothing about deprivations, income or other members
    assert (row["nombres"], row["apellidos"], row["numero_documento"]) == (
        "Yolanda",
        "Quiñones",
        "11111111",
    )
    assert row["municipio"] == "Uribia"
    text = " ".join(row.values())
    assert "Luisa" not in text
    assert "123456" not in text
    forbidden = {"ingreso", "privacion", "sisben", "integrantes", "puntaje", "hogar"}
    assert not forbidden & {key.split("_")[0] for key in row}


def test_a_proposal_cancelled_before_sending_is_not_shown_to_the_partner(world):
    # given a proposal to entity A's offer, cancelled by the analyst before it was ever sent
    from oferta.referrals.services import referral_cancel

    referral = propose(world, [(world.uribia, world.offer_a1)])[0]
    referral_cancel(referral=referral, actor=world.national, reason="no_longer_needed")
    referral.refresh_from_db()
    assert referral.state == "cancelled"

    # when entity A's user looks for it, then it does not exist for them
    with pytest.raises(ObjectNotFound):
        access_referral_by_id(user=world.partner_a, referral_id=referral.uuid)
    assert referral not in referrals_visible_to(user=world.partner_a)
    # while the analyst still reads it
    assert access_referral_by_id(user=world.national, referral_id=referral.uuid) == referral
