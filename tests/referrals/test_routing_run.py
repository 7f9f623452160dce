"""Routing runs from the database: eligibility, allocation, verification and proposals."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from households.factories import household_make
from oferta.accounts.models import AuditEvent
from oferta.referrals.models import Referral, RoutingRun, RunStatus
from oferta.referrals.routing import routing_run_create, routing_run_execute
from oferta.referrals.tasks import routing_run_task
from offers.factories import service_make


def _world():
    """Two municipalities of La Guajira, 30 households, three offers with rules and places."""
    households = []
    for i in range(30):
        municipality = "44847" if i % 2 else "44001"
        members = [{"sex": "female" if i % 3 else "male"}]
        if i % 4 == 0:
            members.append({"relationship": "child", "birth_date": date(2015, 1, 1)})
        households.append(
            household_make(
                municipality_code=municipality,
                members=members,
                deprived_illiteracy=i % 2 == 0,
                deprived_informal_work=i % 3 != 0,
                deprived_school_lag=i % 4 == 0,
                monetary_status="extreme_poor" if i % 5 == 0 else "poor",
            )
        )
    literacy = service_make(
        name="Alfabetización",
        indicators=("illiteracy",),
        eligibility_rule="deprived_illiteracy",
        slots=(("44847", 3), ("44001", 4)),
    )
    jobs = service_make(
        name="Empleo",
        indicators=("informal_work",),
        eligibility_rule="members.exists(m, m.age >= 18)",
        slots=(("44", 6),),
    )
    school = service_make(
        name="Nivelación escolar",
        indicators=("school_lag",),
        eligibility_rule="person.age < 18",
        eligibility_scope="person",
        slots=(("44001", 2), ("44847", 2)),
    )
    return households, (literacy, jobs, school)


@pytest.mark.django_db
def test_a_run_proposes_referrals_within_places_and_k():
    _households, offers = _world()
    run = routing_run_create(actor=None, scope=["44001", "44847"], k_max=1)

    routing_run_execute(run=run, actor=None)

    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error_message
    assert run.verifier_result["ok"] is True
    assert run.progress == 100
    referrals = list(Referral.objects.filter(routing_run=run))
    assert len(referrals) == run.places_filled > 0
    per_household = Counter(r.household_id for r in referrals)
    assert max(per_household.values()) <= 1
    per_offer_municipality = Counter((r.offer_id, r.territory_code) for r in referrals)
    literacy, jobs, school = offers
    assert per_offer_municipality[(literacy.pk, "44847")] <= 3
    assert per_offer_municipality[(literacy.pk, "44001")] <= 4
    assert sum(n for (o, _), n in per_offer_municipality.items() if o == jobs.pk) <= 6
    assert all(r.person_id is not None for r in referrals if r.offer_id == school.pk)


@pytest.mark.django_db
def test_a_run_stores_figures_inputs_and_one_audit_event():
    _world()
    run = routing_run_create(actor=None, scope=["44"], k_max=3)

    routing_run_execute(run=run, actor=None)

    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error_message
    assert run.objective >= run.greedy_objective > 0
    assert run.solver_status == "OPTIMAL"
    assert run.inputs_summary["households"] == 30
    assert run.inputs_summary["offers"] == 3
    assert len(run.inputs_summary["rules_sha256"]) == 64
    assert run.parameters["policy"]["code"]
    assert run.parameters["k_max"] == 3
    assert (
        AuditEvent.objects.filter(action="routing_run.execute", object_id=str(run.uuid)).count()
        == 1
    )


@pytest.mark.django_db
def test_the_same_inputs_give_the_same_assignments():
    _world()
    first = routing_run_create(actor=None, scope=["44"], k_max=2)
    second = routing_run_create(actor=None, scope=["44"], k_max=2)

    routing_run_execute(run=first, actor=None)
    routing_run_execute(run=second, actor=None)

    def assigned(run):
        return sorted(
            Referral.objects.filter(routing_run=run).values_list(
                "household_id", "offer_id", "person_id", "value"
            )
        )

    assert assigned(first) == assigned(second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.inputs_summary["rules_sha256"] == second.inputs_summary["rules_sha256"]
    assert first.objective == second.objective


@pytest.mark.django_db
def test_a_run_without_territories_fails_with_a_spanish_message():
    run = RoutingRun.objects.create(scope=[], parameters={"k_max": 3})

    routing_run_execute(run=run, actor=None)

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.error_message == "La corrida no tiene territorios."


@pytest.mark.django_db
def test_the_task_runs_the_run():
    _world()
    run = routing_run_create(actor=None, scope=["44847"], k_max=3)

    routing_run_task.enqueue(str(run.uuid), None)

    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert Referral.objects.filter(routing_run=run).exists()
