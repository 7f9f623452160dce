"""Lifecycle services: proposals from a run, consent before approval, bulk approval by
municipality / offer / entity, closure data, who may act, audit and timeline, overdue."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from oferta.accounts.models import AuditEvent
from oferta.core.errors import ObjectNotFound, PermissionDenied, ValidationFailed
from oferta.referrals.models import Referral, ReferralEvent
from oferta.referrals.selectors import referrals_overdue
from oferta.referrals.services import (
    referral_accept,
    referral_approve,
    referral_cancel,
    referral_complete,
    referral_record_consent,
    referral_record_service,
    referral_reject,
    referrals_approve,
    referrals_approve_matching,
    referrals_propose_from_assignments,
    referrals_record_consent_matching,
)

from .conftest import propose, referral_in_state, send

pytestmark = pytest.mark.django_db


def _row(household, offer, **extra):
    return {
        "household_id": str(household.uuid),
        "offer_id": str(offer.pk),
        "territory_code": household.municipality_code,
        "value": "2.25",
        **extra,
    }


# --------------------------------------------------------------------------- proposals


def test_assignments_become_proposed_referrals_once_per_run(world):
    # given two assignment rows (one by registry id) of a run
    rows = [
        _row(world.uribia, world.offer_a1),
        {**_row(world.riohacha, world.offer_b), "household_id": world.riohacha.registry_id},
    ]
    # when they are proposed twice
    first = referrals_propose_from_assignments(run=world.run, rows=rows, actor=world.national)
    second = referrals_propose_from_assignments(run=world.run, rows=rows, actor=world.national)
    # then two proposed referrals exist, each with its timeline entry, and the rerun added none
    assert (first.created, first.already_present) == (2, 0)
    assert (second.created, second.already_present) == (0, 2)
    referrals = Referral.objects.filter(routing_run=world.run)
    assert referrals.count() == 2
    assert set(referrals.values_list("state", flat=True)) == {"proposed"}
    assert ReferralEvent.objects.filter(action="propose").count() == 2
    audit = AuditEvent.objects.filter(action="referrals.propose", object_id=str(world.run.uuid))
    assert audit.count() == 2


def test_a_person_level_assignment_names_a_member_of_the_household(world):
    member = world.uribia.members.order_by("pk").last()
    rows = [_row(world.uribia, world.offer_a1, person_id=member.registry_id)]
    referrals_propose_from_assignments(run=world.run, rows=rows, actor=None)
    assert Referral.objects.get().person == member


def test_a_bad_assignment_row_is_named_and_nothing_is_proposed(world):
    stranger = world.quibdo.members.get()
    rows = [
        _row(world.uribia, world.offer_a1),
        _row(world.uribia, world.offer_a2, person_id=str(stranger.uuid)),
        {**_row(world.riohacha, world.offer_b), "offer_id": "no-existe"},
    ]
    with pytest.raises(ValidationFailed) as info:
        referrals_propose_from_assignments(run=world.run, rows=rows, actor=None)
    messages = info.value.errors["rows"]
    assert messages[0].startswith("Asignación 2:")
    assert "no es integrante" in messages[0]
    assert messages[1].startswith("Asignación 3:")
    assert "oferta desconocida" in messages[1]
    assert not Referral.objects.exists()


# --------------------------------------------------------------------------- consent, approval


def test_approval_requires_consent(world):
    # given a proposed referral without consent
    (referral,) = propose(world, [(world.uribia, world.offer_a1)])
    # when it is approved, then it is refused in Spanish and stays proposed
    with pytest.raises(ValidationFailed) as info:
        referral_approve(referral=referral, actor=world.national)
    assert "consentimiento" in info.value.errors["consent"][0]
    referral.refresh_from_db()
    assert referral.state == "proposed"
    assert referral.approved_at is None


def test_approval_after_consent_sends_with_a_due_date(world, settings):
    settings.OFERTA_REFERRAL_DUE_DAYS = 10
    (referral,) = propose(world, [(world.uribia, world.offer_a1)])
    referral_record_consent(referral=referral, actor=world.municipal, method="verbal")
    referral_approve(referral=referral, actor=world.municipal)
    referral.refresh_from_db()
    assert referral.state == "requested"
    assert referral.approved_by == world.municipal
    assert referral.consent_method == "verbal"
    assert referral.consent_recorded_by == world.municipal
    expected = referral.approved_at + timedelta(days=10)
    assert abs((referral.due_at - expected).total_seconds()) < 1


def test_consent_is_recorded_only_before_sending(world):
    referral = send(world, propose(world, [(world.uribia, world.offer_a1)])[0])
    with pytest.raises(ValidationFailed):
        referral_record_consent(referral=referral, actor=world.national, method="written")


def test_a_bulk_approval_is_all_or_nothing(world):
    first, second = propose(world, [(world.uribia, world.offer_a1), (world.quibdo, world.offer_b)])
    referral_record_consent(referral=first, actor=world.national, method="written")
    with pytest.raises(ValidationFailed) as info:
        referrals_approve(actor=world.national, referrals=[first, second])
    assert "consentimiento" in info.value.errors["consent"][0]
    assert set(Referral.objects.values_list("state", flat=True)) == {"proposed"}


@pytest.fixture
def proposals(world):
    """Five proposals: Uribia→A1, Uribia→B, Riohacha→A1, Riohacha→A2, Quibdó→B."""
    return propose(
        world,
        [
            (world.uribia, world.offer_a1),
            (world.uribia, world.offer_b),
            (world.riohacha, world.offer_a1),
            (world.riohacha, world.offer_a2),
            (world.quibdo, world.offer_b),
        ],
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"municipality_code": "44847"}, {0, 1}),
        ({"offer_id": "offer_a1"}, {0, 2}),
        ({"organization_id": "org_a"}, {0, 2, 3}),
        ({"organization_id": "org_b", "municipality_code": "27001"}, {4}),
        ({}, {0, 1, 2, 3, 4}),
    ],
)
def test_bulk_consent_and_approval_by_municipality_offer_and_entity(
    world, proposals, filters, expected
):
    # given the five proposals and a filter (by municipality, offer and/or entity)
    filters = {
        k: getattr(world, v).pk if v in ("offer_a1", "org_a", "org_b") else v
        for k, v in filters.items()
    }
    # when consent is recorded and the matching proposals are approved
    recorded = referrals_record_consent_matching(
        actor=world.national, run=world.run, method="written", **filters
    )
    approved = referrals_approve_matching(actor=world.national, run=world.run, **filters)
    # then exactly the matching ones were sent, one audit event and one timeline entry each
    assert recorded == approved == len(expected)
    sent = {
        i for i, r in enumerate(proposals) if Referral.objects.get(pk=r.pk).state == "requested"
    }
    assert sent == expected
    for index in expected:
        uuid = str(proposals[index].uuid)
        actions = set(AuditEvent.objects.filter(object_id=uuid).values_list("action", flat=True))
        assert actions == {"referral.consent", "referral.approve"}
        assert ReferralEvent.objects.filter(referral=proposals[index]).count() == 3


def test_bulk_approval_by_a_municipal_user_stays_in_their_municipality(world, proposals):
    referrals_record_consent_matching(actor=world.national, run=world.run, method="written")
    assert referrals_approve_matching(actor=world.municipal, run=world.run) == 2
    assert Referral.objects.filter(state="requested").count() == 2
    assert set(
        Referral.objects.filter(state="requested").values_list(
            "household__municipality_code", flat=True
        )
    ) == {"44847"}


def test_bulk_approval_refuses_when_any_matching_lacks_consent(world, proposals):
    referral_record_consent(referral=proposals[0], actor=world.national, method="written")
    with pytest.raises(ValidationFailed) as info:
        referrals_approve_matching(actor=world.national, run=world.run, municipality_code="44847")
    assert info.value.errors["consent"][0].startswith("La remisión no tiene registrado")
    assert not Referral.objects.filter(state="requested").exists()


# --------------------------------------------------------------------------- who may act


def test_partners_cannot_approve_and_reviewers_cannot_answer_for_the_entity(world):
    referral = referral_in_state(world, "proposed")
    with pytest.raises(PermissionDenied):
        referral_approve(referral=referral, actor=world.partner_a)
    sent = referral_in_state(world, "requested")
    with pytest.raises(PermissionDenied):
        referral_accept(referral=sent, actor=world.municipal)
    with pytest.raises(PermissionDenied):
        referral_cancel(referral=sent, actor=world.partner_a, reason="other", note="x")
    with pytest.raises(ObjectNotFound):
        referral_accept(referral=sent, actor=world.partner_b)
    referral_accept(referral=sent, actor=world.partner_a)
    assert Referral.objects.get(pk=sent.pk).state == "accepted"


# --------------------------------------------------------------------------- closure data


def test_reject_needs_a_known_reason_and_a_note_for_other(world):
    referral = referral_in_state(world, "requested")
    with pytest.raises(ValidationFailed) as info:
        referral_reject(referral=referral, actor=world.partner_a, reason="")
    assert "reason" in info.value.errors
    with pytest.raises(ValidationFailed) as info:
        referral_reject(referral=referral, actor=world.partner_a, reason="other")
    assert "note" in info.value.errors
    referral_reject(referral=referral, actor=world.partner_a, reason="other", note="Se mudó")
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.state, stored.closure_success, stored.closure_reason) == (
        "rejected",
        False,
        "other",
    )
    assert stored.closure_note == "Se mudó"


def test_completion_records_effective_linkage_with_checked_dates(world):
    referral = referral_in_state(world, "accepted")
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as info:
        referral_complete(referral=referral, actor=world.partner_a, enrolled_on=None)
    assert "enrolled_on" in info.value.errors
    with pytest.raises(ValidationFailed) as info:
        referral_complete(
            referral=referral, actor=world.partner_a, enrolled_on=today + timedelta(days=1)
        )
    assert "posterior a hoy" in info.value.errors["enrolled_on"][0]
    with pytest.raises(ValidationFailed) as info:
        referral_complete(
            referral=referral, actor=world.partner_a, enrolled_on=today - timedelta(days=30)
        )
    assert "anterior al envío" in info.value.errors["enrolled_on"][0]
    referral_complete(referral=referral, actor=world.partner_a, enrolled_on=today)
    with pytest.raises(ValidationFailed):
        referral_record_service(
            referral=referral, actor=world.partner_a, served_on=today - timedelta(days=1)
        )
    referral_record_service(referral=referral, actor=world.partner_a, served_on=today)
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.state, stored.closure_success) == ("completed", True)
    assert (stored.enrolled_on, stored.served_on) == (today, today)
    last = ReferralEvent.objects.filter(referral=referral).latest("pk")
    assert (last.action, last.from_state, last.to_state) == ("serve", "completed", "completed")


def test_audit_events_carry_states_and_no_personal_data(world):
    referral = send(world, propose(world, [(world.uribia, world.offer_a1)])[0])
    referral_accept(referral=referral, actor=world.partner_a)
    events = AuditEvent.objects.filter(object_type="referral", object_id=str(referral.uuid))
    assert [e.action for e in events.order_by("pk")] == [
        "referral.consent",
        "referral.approve",
        "referral.accept",
    ]
    accept = events.get(action="referral.accept")
    assert (accept.before["state"], accept.after["state"]) == ("requested", "accepted")
    assert accept.actor == world.partner_a
    dumped = json.dumps([[e.before, e.after, e.message] for e in events])
    for secret in ("Yolanda", "Quiñones", "11111111", world.uribia.registry_id):
        assert secret not in dumped
    timeline = list(referral.events.values_list("from_state", "to_state"))
    assert timeline == [
        ("", "proposed"),
        ("proposed", "proposed"),
        ("proposed", "requested"),
        ("requested", "accepted"),
    ]


# --------------------------------------------------------------------------- overdue


def test_overdue_lists_open_referrals_past_their_due_date(world):
    late = referral_in_state(world, "requested")
    late_closed = referral_in_state(world, "rejected", offer=world.offer_a2)
    on_time = referral_in_state(world, "accepted", household=world.riohacha)
    Referral.objects.filter(pk__in=[late.pk, late_closed.pk]).update(
        due_at=timezone.now() - timedelta(days=1)
    )
    assert list(referrals_overdue(user=world.national)) == [late]
    assert list(referrals_overdue(user=world.partner_a)) == [late]
    assert list(referrals_overdue(user=world.partner_b)) == []
    assert on_time not in referrals_overdue(user=world.national)
