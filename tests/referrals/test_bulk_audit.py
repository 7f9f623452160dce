"""Bulk consent and approval write one audit event and one timeline entry per referral, plus
one summary event, in a number of queries that does not grow with the number of referrals."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from households.factories import household_make
from oferta.accounts.models import AuditEvent
from oferta.referrals.models import Referral, ReferralEvent, RoutingRun
from oferta.referrals.services import (
    referrals_approve,
    referrals_approve_matching,
    referrals_propose_from_assignments,
    referrals_record_consent_matching,
)
from offers.factories import service_make

pytestmark = pytest.mark.django_db

OFFERS = 5


def _proposals(world, households: int) -> RoutingRun:
    """A run proposing ``households`` × 5 referrals (Uribia), with consent recorded."""
    run = RoutingRun.objects.create(name=f"Corrida {households}", scope=["44847"])
    offers = [service_make(organization=world.org_a) for _ in range(OFFERS)]
    rows = [
        {
            "household_id": str(household.uuid),
            "offer_id": str(offer.pk),
            "territory_code": "44847",
            "value": "1",
        }
        for household in (household_make(municipality_code="44847") for _ in range(households))
        for offer in offers
    ]
    referrals_propose_from_assignments(run=run, rows=rows, actor=None)
    referrals_record_consent_matching(actor=world.national, run=run, method="written")
    return run


def _approval_queries(world, run: RoutingRun) -> int:
    with CaptureQueriesContext(connection) as queries:
        referrals_approve_matching(actor=world.national, run=run)
    return len(queries)


def test_bulk_approval_of_200_referrals_runs_in_a_bounded_number_of_queries(
    world, django_assert_max_num_queries
):
    # given 200 proposed referrals with consent
    run = _proposals(world, 40)
    # when the analyst approves all of them at once
    with django_assert_max_num_queries(20):
        approved = referrals_approve_matching(actor=world.national, run=run)
    # then all were sent
    assert approved == 200
    assert Referral.objects.filter(routing_run=run, state="requested").count() == 200


def test_bulk_approval_queries_do_not_grow_with_the_number_of_referrals(world):
    small = _approval_queries(world, _proposals(world, 4))  # 20 referrals
    large = _approval_queries(world, _proposals(world, 40))  # 200 referrals
    # Only the insert batches may add a query (SQLite binds at most 999 values per statement:
    # about 100 audit events per INSERT); per-referral writes would add hundreds.
    assert large <= small + 3


def test_bulk_approval_audits_every_referral_and_the_bulk_action(world):
    run = _proposals(world, 40)
    referrals_approve_matching(actor=world.national, run=run, municipality_code="44847")

    uuids = {
        str(u) for u in Referral.objects.filter(routing_run=run).values_list("uuid", flat=True)
    }
    events = AuditEvent.objects.filter(action="referral.approve", object_id__in=uuids)
    assert events.count() == 200
    assert {e.object_id for e in events} == uuids
    one = events.first()
    assert one.before["state"] == "proposed"
    assert one.after["state"] == "requested"
    assert one.actor == world.national
    summary = AuditEvent.objects.get(action="referrals.approve_bulk")
    assert summary.after["count"] == 200
    assert summary.after["routing_runs"] == [str(run.uuid)]
    assert summary.after["filter_municipality_code"] == "44847"
    assert {e.after["batch"] for e in events} == {summary.object_id}
    timeline = ReferralEvent.objects.filter(referral__routing_run=run, action="approve")
    assert timeline.count() == 200


def test_bulk_consent_also_writes_a_summary_event(world):
    run = _proposals(world, 2)
    summary = AuditEvent.objects.get(action="referrals.consent_bulk")
    assert summary.after["count"] == 2 * OFFERS
    assert AuditEvent.objects.filter(action="referral.consent").count() == 2 * OFFERS
    assert summary.after["routing_runs"] == [str(run.uuid)]


def test_approving_one_referral_writes_no_summary_event(world):
    run = _proposals(world, 1)
    referrals_approve(actor=world.national, referrals=[Referral.objects.filter(routing_run=run)[0]])
    assert AuditEvent.objects.filter(action="referral.approve").count() == 1
    assert not AuditEvent.objects.filter(action="referrals.approve_bulk").exists()
