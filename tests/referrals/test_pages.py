"""Referral pages: the review page with bulk actions, the detail with its timeline and actions,
and the partner inbox (minimised, own referrals only, every household read logged)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from oferta.households.models import HouseholdAccessLog
from oferta.referrals.models import Referral

from .conftest import propose, referral_in_state

pytestmark = pytest.mark.django_db

REVIEW = reverse("referrals:review")
INBOX = reverse("referrals:inbox")
BULK = reverse("referrals:bulk_action")


def _detail(referral):
    return reverse("referrals:detail", kwargs={"referral_id": referral.uuid})


def _act(referral):
    return reverse("referrals:act", kwargs={"referral_id": referral.uuid})


def test_review_page_lists_referrals_without_names(client, world):
    propose(world, [(world.uribia, world.offer_a1), (world.quibdo, world.offer_b)])
    client.force_login(world.national)
    response = client.get(REVIEW, {"run": str(world.run.uuid)})
    assert response.status_code == 200
    body = response.content.decode()
    assert "2 remisiones" in body
    assert "Oferta A1" in body
    assert "Oferta B" in body
    assert "Yolanda" not in body
    assert "Propuestas con consentimiento: 0 · sin consentimiento: 2" in body


def test_review_page_filters_by_municipality_for_a_municipal_user(client, world):
    propose(world, [(world.uribia, world.offer_a1), (world.quibdo, world.offer_b)])
    client.force_login(world.municipal)
    body = client.get(REVIEW).content.decode()
    assert "1 remisión" in body
    assert "Oferta B" not in body.split("<table>")[-1]


def test_partners_are_sent_to_their_inbox_and_fair_operators_are_refused(client, world):
    client.force_login(world.partner_a)
    assert client.get(REVIEW).url == INBOX
    client.force_login(world.fair)
    assert client.get(REVIEW).status_code == 403
    assert client.get(INBOX).status_code == 403


def test_bulk_consent_then_approval_of_the_matching_proposals(client, world):
    propose(
        world,
        [
            (world.uribia, world.offer_a1),
            (world.riohacha, world.offer_a1),
            (world.quibdo, world.offer_b),
        ],
    )
    client.force_login(world.national)
    form = {"run": str(world.run.uuid), "offer": str(world.offer_a1.pk), "query": ""}
    # approving before consent is refused with a message and sends nothing
    response = client.post(BULK, {**form, "action": "approve_matching"}, follow=True)
    assert "consentimiento" in response.content.decode()
    assert not Referral.objects.filter(state="requested").exists()
    client.post(BULK, {**form, "action": "consent_matching", "method": "written"})
    response = client.post(BULK, {**form, "action": "approve_matching"}, follow=True)
    assert "2 remisiones aprobadas" in response.content.decode()
    assert set(Referral.objects.filter(state="requested").values_list("offer", flat=True)) == {
        world.offer_a1.pk
    }


def test_bulk_approval_of_selected_proposals(client, world):
    first, second = propose(world, [(world.uribia, world.offer_a1), (world.quibdo, world.offer_b)])
    client.force_login(world.national)
    client.post(BULK, {"action": "consent_selected", "method": "verbal", "referrals": [first.uuid]})
    client.post(BULK, {"action": "approve_selected", "referrals": [first.uuid]})
    assert Referral.objects.get(pk=first.pk).state == "requested"
    assert Referral.objects.get(pk=second.pk).state == "proposed"


def test_detail_shows_the_timeline_and_the_partner_accepts_and_confirms_enrolment(client, world):
    referral = referral_in_state(world, "requested")
    client.force_login(world.partner_a)
    page = client.get(_detail(referral)).content.decode()
    assert "Aceptar" in page
    assert "Yolanda" in page  # the partner sees the contact person…
    assert "Luisa" not in page  # …and not the other members
    assert "Privación" not in page
    client.post(_act(referral), {"action": "accept"})
    today = timezone.localdate().isoformat()
    client.post(_act(referral), {"action": "complete", "enrolled_on": today})
    referral.refresh_from_db()
    assert (referral.state, referral.enrolled_on.isoformat()) == ("completed", today)
    page = client.get(_detail(referral)).content.decode()
    assert "Confirmar inscripción" in page  # the timeline names the step
    assert "Registrar atención" in page  # and service can still be recorded


def test_a_rejection_without_reason_is_refused_with_a_message(client, world):
    referral = referral_in_state(world, "requested")
    client.force_login(world.partner_a)
    response = client.post(_act(referral), {"action": "reject"}, follow=True)
    assert "Indique un motivo" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).state == "requested"


def test_another_partner_gets_404_on_the_detail_and_the_action(client, world):
    referral = referral_in_state(world, "requested")
    client.force_login(world.partner_b)
    assert client.get(_detail(referral)).status_code == 404
    assert client.post(_act(referral), {"action": "accept"}).status_code == 404
    assert Referral.objects.get(pk=referral.pk).state == "requested"


def test_partner_inbox_shows_own_sent_referrals_minimised_and_logs_the_reads(client, world):
    mine = referral_in_state(world, "requested")
    referral_in_state(world, "proposed", offer=world.offer_a2, household=world.riohacha)
    referral_in_state(world, "requested", household=world.quibdo, offer=world.offer_b)
    Referral.objects.filter(pk=mine.pk).update(due_at=timezone.now() - timedelta(days=1))
    client.force_login(world.partner_a)
    body = client.get(INBOX).content.decode()
    assert "Yolanda" in body
    assert "11111111" in body
    assert "Uribia" in body
    assert "Vencida" in body
    assert "Oferta A2" not in body  # proposed: not sent yet
    assert "Oferta B" not in body  # another entity's
    assert "Luisa" not in body
    assert "123456" not in body
    logged = HouseholdAccessLog.objects.filter(user=world.partner_a)
    assert list(logged.values_list("household_uuid", flat=True)) == [world.uribia.uuid]


def test_reviewer_detail_links_the_household_and_offers_review_actions(client, world):
    (referral,) = propose(world, [(world.uribia, world.offer_a1)])
    client.force_login(world.regional)
    page = client.get(_detail(referral)).content.decode()
    assert reverse("households:detail", kwargs={"household_id": world.uribia.uuid}) in page
    assert "Registrar consentimiento" in page
    assert "Propuesta por la corrida" in page  # the first timeline entry
    client.post(_act(referral), {"action": "consent", "method": "written"})
    page = client.get(_detail(referral)).content.decode()
    assert "Aprobar y enviar" in page
    assert "Aceptar" not in page  # answering is for the entity
