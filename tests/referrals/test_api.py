"""JSON API /api/referrals/: partners list and read only their referrals with the minimised
fields and move them along; another partner gets 404; reviewers get no names."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from oferta.accounts.services import api_token_create
from oferta.referrals.models import Referral
from oferta.referrals.partner import partner_referral_fields

from .conftest import referral_in_state

pytestmark = pytest.mark.django_db

BASE = "/api/referrals/"


def _auth(user) -> dict[str, str]:
    _token, key = api_token_create(actor=user, user=user, name="prueba", expires_in_days=30)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def sent(world):
    return {
        "a": referral_in_state(world, "requested"),
        "a_proposed": referral_in_state(world, "proposed", offer=world.offer_a2),
        "b": referral_in_state(world, "requested", household=world.quibdo, offer=world.offer_b),
    }


def test_a_partner_lists_only_its_sent_referrals_with_minimised_fields(client, world, sent):
    response = client.get(BASE, **_auth(world.partner_a))
    assert response.status_code == 200
    data = response.json()
    assert data["total_items"] == 1
    (row,) = data["contents"]
    assert tuple(row) == partner_referral_fields
    assert row["remision"] == str(sent["a"].uuid)
    assert row["nombres"] == "Yolanda"
    assert "Luisa" not in response.content.decode()


def test_the_list_is_paginated(client, world, sent):
    for offer in (world.offer_a1, world.offer_a2):
        referral_in_state(world, "received", household=world.riohacha, offer=offer)
    data = client.get(BASE, {"per_page": 2, "page": 2}, **_auth(world.partner_a)).json()
    assert (data["total_items"], data["total_pages"], data["size"]) == (3, 2, 1)


def test_a_partner_reads_one_and_another_partner_gets_404(client, world, sent):
    url = f"{BASE}{sent['a'].uuid}"
    assert client.get(url, **_auth(world.partner_a)).json()["estado_actual"] == "requested"
    other = _auth(world.partner_b)
    assert client.get(url, **other).status_code == 404
    assert (
        client.get(f"{BASE}{sent['a_proposed'].uuid}", **_auth(world.partner_a)).status_code == 404
    )
    missing = client.get(f"{BASE}{uuid.uuid4()}", **other)
    assert missing.status_code == 404
    assert missing.json() == client.get(url, **other).json()
    post = client.post(
        f"{url}/transition", {"action": "accept"}, content_type="application/json", **other
    )
    assert post.status_code == 404
    assert Referral.objects.get(pk=sent["a"].pk).state == "requested"


def test_a_partner_accepts_and_confirms_enrolment(client, world, sent):
    headers = _auth(world.partner_a)
    url = f"{BASE}{sent['a'].uuid}/transition"
    accepted = client.post(url, {"action": "accept"}, content_type="application/json", **headers)
    assert accepted.status_code == 200
    assert accepted.json()["estado_actual"] == "accepted"
    today = timezone.localdate().isoformat()
    done = client.post(
        url,
        {"action": "complete", "enrolled_on": today},
        content_type="application/json",
        **headers,
    )
    assert done.status_code == 200
    assert done.json()["fecha_inscripcion_registrada"] == today
    assert Referral.objects.get(pk=sent["a"].pk).state == "completed"


def test_an_illegal_move_is_400_in_spanish_and_a_forbidden_action_403(client, world, sent):
    headers = _auth(world.partner_a)
    url = f"{BASE}{sent['a'].uuid}/transition"
    illegal = client.post(url, {"action": "start"}, content_type="application/json", **headers)
    assert illegal.status_code == 400
    assert "No se puede pasar" in illegal.json()["detail"]
    cancel = client.post(
        url,
        {"action": "cancel", "reason": "other", "note": "x"},
        content_type="application/json",
        **headers,
    )
    assert cancel.status_code == 403


def test_reviewers_list_without_names_and_only_their_territory(client, world, sent):
    data = client.get(BASE, **_auth(world.municipal)).json()
    assert {row["remision"] for row in data["contents"]} == {
        str(sent["a"].uuid),
        str(sent["a_proposed"].uuid),
    }
    text = str(data)
    assert "Yolanda" not in text
    assert "11111111" not in text


def test_fair_operators_and_anonymous_callers_get_nothing(client, world, sent):
    assert client.get(BASE, **_auth(world.fair)).json()["total_items"] == 0
    assert client.get(BASE).status_code == 401
