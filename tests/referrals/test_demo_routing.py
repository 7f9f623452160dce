"""The routed demo: a real routing run over the demo registry and a sample of its referrals
moved through the lifecycle by the demo users, idempotently, every change audited."""

from __future__ import annotations

from collections import Counter

import pytest

from oferta.accounts.models import AuditEvent, User
from oferta.referrals.access import referrals_visible_to
from oferta.referrals.demo import DEMO_RUN_NAME, URIBIA, demo_referrals_load
from oferta.referrals.models import Referral, ReferralEvent, RoutingRun, RunStatus
from oferta.referrals.selectors import referrals_overdue
from oferta.referrals.services import referral_cancel

pytestmark = pytest.mark.django_db

EVERY_STATE = {
    "proposed",
    "requested",
    "received",
    "accepted",
    "rejected",
    "in-progress",
    "on-hold",
    "completed",
    "failed",
    "cancelled",
}


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo steps before this one (territories, partners, catalogue, users, registry), then
    this one: loaded once for the module (several seconds), flushed afterwards so that other
    modules start from empty tables. Each test runs in a transaction rolled back after it."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings

    from database_guard import assert_test_database
    from oferta.accounts.demo_users import demo_users_ensure
    from oferta.households.demo import demo_registry_load
    from oferta.offers.demo import demo_catalogue_load
    from oferta.offers.partners import partners_ensure
    from oferta.offers.taxonomies import taxonomies_ensure
    from oferta.territories.services import reference_data_load

    var = tmp_path_factory.mktemp("var")
    # One transaction: on a file database every autocommitted write would wait for the disk.
    with django_db_blocker.unblock(), override_settings(VAR_DIR=var), transaction.atomic():
        assert_test_database()
        reference_data_load()
        taxonomies_ensure()
        partners_ensure()
        demo_catalogue_load()
        demo_users_ensure()
        demo_registry_load()
        result = demo_referrals_load()
    yield result
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()


@pytest.fixture
def demo(demo_loaded, db):
    return demo_loaded


def _states(queryset) -> Counter:
    return Counter(queryset.values_list("state", flat=True))


def test_the_demo_routes_the_registry_and_shows_referrals_in_every_state(demo):
    # given the demo step ran after the demo registry, catalogue and users
    run = RoutingRun.objects.get(name=DEMO_RUN_NAME)
    # then the run succeeded, verified, and proposed referrals in La Guajira and Chocó
    assert run.status == RunStatus.SUCCEEDED
    assert run.verifier_result["ok"] is True
    assert run.created_by.username == "analista"
    referrals = Referral.objects.filter(routing_run=run)
    assert referrals.count() == run.places_filled == demo.referrals > 1000
    assert set(_states(referrals)) == EVERY_STATE
    assert referrals.exclude(served_on=None).exists()
    assert referrals_overdue(user=User.objects.get(username="analista")).count() == demo.overdue > 0
    # and Uribia has referrals in every state, which its municipal user sees
    municipal = referrals_visible_to(user=User.objects.get(username="municipal"))
    assert set(_states(municipal)) == EVERY_STATE
    assert set(municipal.values_list("household__municipality_code", flat=True)) == {URIBIA}


@pytest.mark.parametrize(("username", "entity"), [("entidad", "SENA"), ("entidad2", "ICBF")])
def test_partner_demo_users_see_answered_referrals_of_their_entity(demo, username, entity):
    seen = referrals_visible_to(user=User.objects.get(username=username))
    states = _states(seen)
    assert {"requested", "accepted", "rejected", "completed"} <= set(states)
    assert "proposed" not in states
    assert set(seen.values_list("offer__organization__alternate_name", flat=True)) == {entity}
    # and their own user recorded the answers
    answers = ReferralEvent.objects.filter(referral__in=seen, action__in=["accept", "reject"])
    assert set(answers.values_list("actor__username", flat=True)) == {username}


def test_running_the_demo_again_changes_nothing(demo):
    before = (
        AuditEvent.objects.count(),
        ReferralEvent.objects.count(),
        dict(Referral.objects.values_list("uuid", "updated_at")),
        RoutingRun.objects.count(),
    )

    again = demo_referrals_load()

    assert again.steps_taken == 0
    assert not again.run_created
    assert again.by_state == demo.by_state
    after = (
        AuditEvent.objects.count(),
        ReferralEvent.objects.count(),
        dict(Referral.objects.values_list("uuid", "updated_at")),
        RoutingRun.objects.count(),
    )
    assert after == before


def test_every_referral_change_is_audited_and_the_timeline_ends_in_the_state(demo):
    changes = ReferralEvent.objects.exclude(action="propose").select_related("referral")
    assert changes.count() == demo.steps_taken > 100
    audited = Counter(
        AuditEvent.objects.filter(object_type="referral").values_list("object_id", "action")
    )
    timeline = Counter((str(e.referral.uuid), f"referral.{e.action}") for e in changes)
    assert audited == timeline
    last = {}
    for event in ReferralEvent.objects.order_by("occurred_at", "id"):
        last[event.referral_id] = event.to_state
    assert all(last[pk] == state for pk, state in Referral.objects.values_list("pk", "state"))
    # the run and the proposals have their own events
    assert AuditEvent.objects.filter(action="routing_run.execute").count() == 1
    assert AuditEvent.objects.filter(action="referrals.propose").count() == 1


def test_a_demo_referral_changed_by_hand_is_left_alone(demo):
    # given a referral of the demo sample that someone cancels before the next setup
    sent = Referral.objects.filter(state="requested").order_by("pk").first()
    referral_cancel(
        referral=sent, actor=User.objects.get(username="analista"), reason="no_longer_needed"
    )
    events = ReferralEvent.objects.count()
    # when the demo step runs again
    again = demo_referrals_load()
    # then it stays cancelled and nothing else changes
    sent.refresh_from_db()
    assert sent.state == "cancelled"
    assert again.left_alone == 1
    assert (again.steps_taken, ReferralEvent.objects.count()) == (0, events)
