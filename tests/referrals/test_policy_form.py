"""The priority policy per routing run: weights edited in the start form (defaults prefilled,
Spanish errors, nothing lost), stored in ``parameters.policy``, used by the run and shown."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.urls import reverse

from households.factories import household_make
from oferta.engine.allocation import DEFAULT_POLICY
from oferta.referrals.models import Referral, RoutingRun, RunStatus
from oferta.referrals.policies import policy_from_percentages
from oferta.referrals.routing import _policy_for, routing_run_create, routing_run_execute
from offers.factories import service_make

pytestmark = pytest.mark.django_db

RUNS = reverse("referrals:routing_runs")
DEFAULT_WEIGHTS = {
    "weight_accompaniment": "30",
    "weight_extreme_monetary_poverty": "30",
    "weight_double_condition": "20",
    "weight_intensity": "30",
    "weight_ethnic": "10",
    "weight_victim": "10",
    "weight_disability": "10",
    "weight_female_head": "10",
}


def _page(run):
    return reverse("referrals:routing_run", kwargs={"run_id": run.uuid})


def _one_place_two_candidates():
    """One literacy place in Uribia; an accompanied household and a victim's household."""
    accompanied = household_make(
        municipality_code="44847", deprived_illiteracy=True, accompaniment=True
    )
    victim = household_make(
        municipality_code="44847",
        members=[{"victim": True}],
        deprived_illiteracy=True,
        accompaniment=False,
    )
    service_make(
        name="Alfabetización",
        indicators=("illiteracy",),
        eligibility_rule="deprived_illiteracy",
        slots=(("44847", 1),),
    )
    return accompanied, victim


def test_the_form_shows_every_weight_prefilled_with_the_default(client, world):
    client.force_login(world.national)

    body = client.get(RUNS).content.decode()

    assert "Política de prioridad" in body
    for label in (
        "Acompañamiento familiar (Unidos)",
        "Pobreza monetaria extrema",
        "Doble condición de pobreza",
        "Intensidad de la privación",
        "Enfoque étnico",
        "Víctimas del conflicto armado",
        "Discapacidad",
        "Jefatura femenina",
    ):
        assert label in body
    assert 'name="weight_accompaniment" value="30"' in body
    assert 'name="weight_double_condition" value="20"' in body
    assert "Una mujer encabeza el hogar." in body


def test_edited_weights_are_stored_with_the_run_and_used(client, world):
    client.force_login(world.national)
    weights = {**DEFAULT_WEIGHTS, "weight_accompaniment": "50", "weight_victim": "12.5"}

    response = client.post(
        RUNS, {"territory": "44847", "k_max": "2", "name": "Ajustada", **weights}
    )

    run = RoutingRun.objects.get(name="Ajustada")
    assert response.status_code == 302
    assert run.parameters["policy"]["accompaniment"] == "1/2"
    assert run.parameters["policy"]["victim"] == "1/8"
    assert run.parameters["policy"]["female_head"] == "1/10"
    assert run.parameters["policy"]["code"] == "ps-default-2025-ajustada"
    assert run.status == RunStatus.SUCCEEDED, run.error_message  # immediate backend in tests
    assert run.inputs_summary["policy"] == run.parameters["policy"]


def test_unchanged_weights_keep_the_default_policy(client, world):
    client.force_login(world.national)

    client.post(
        RUNS, {"territory": "44847", "k_max": "2", "name": "Por defecto", **DEFAULT_WEIGHTS}
    )

    run = RoutingRun.objects.get(name="Por defecto")
    assert run.parameters["policy"] == DEFAULT_POLICY.to_dict()


def test_the_weights_decide_who_gets_the_last_place(world):
    accompanied, victim = _one_place_two_candidates()
    default_run = routing_run_create(actor=None, scope=["44847"], k_max=1, name="defecto")
    victims_first = routing_run_create(
        actor=None,
        scope=["44847"],
        k_max=1,
        name="víctimas",
        policy=policy_from_percentages({"accompaniment": 0, "victim": 100}),
    )

    routing_run_execute(run=default_run, actor=None)
    routing_run_execute(run=victims_first, actor=None)

    def winner(run):
        return {
            r.household_id
            for r in Referral.objects.filter(routing_run=run, offer__name="Alfabetización")
        }

    assert winner(default_run) == {accompanied.pk}
    assert winner(victims_first) == {victim.pk}


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("-5", "El peso no puede ser negativo."),
        ("150", "El peso no puede pasar de 100 %."),
        ("mucho", "Escriba un número, por ejemplo 30 o 12.5."),
        ("", "Escriba el peso (0 si no quiere dar esta prioridad)."),
        ("12.25", "Use como máximo un decimal."),
    ],
)
def test_a_bad_weight_is_refused_in_spanish_and_nothing_is_lost(client, world, value, error):
    client.force_login(world.national)
    weights = {**DEFAULT_WEIGHTS, "weight_ethnic": value, "weight_victim": "25"}

    response = client.post(
        RUNS, {"territory": "44001", "k_max": "4", "name": "Con error", **weights}
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert error in body
    assert not RoutingRun.objects.filter(name="Con error").exists()
    assert 'value="Con error"' in body
    assert 'name="weight_victim" value="25"' in body
    assert 'name="k_max" value="4"' in body
    assert '<option value="44001" selected>' in body


def test_the_run_page_shows_the_policy_used(client, world):
    run = routing_run_create(
        actor=None,
        scope=["44"],
        k_max=3,
        policy=policy_from_percentages({"female_head": 25}),
    )
    client.force_login(world.national)

    body = client.get(_page(run)).content.decode()

    assert "Política de prioridad de la corrida" in body
    assert "ps-default-2025-ajustada" in body
    assert "Jefatura femenina" in body
    assert "+25 %" in body
    assert "+30 %" in body  # accompaniment, unchanged
    assert "dane-ecv-2018" in body


def test_policy_for_rebuilds_the_stored_policy(world):
    run = routing_run_create(
        actor=None, scope=["44"], k_max=3, policy=policy_from_percentages({"intensity": 45})
    )

    policy = _policy_for(RoutingRun.objects.get(pk=run.pk))

    assert policy.intensity == Fraction(9, 20)
    assert policy.accompaniment == DEFAULT_POLICY.accompaniment
    assert policy.code == "ps-default-2025-ajustada"


def test_runs_without_a_readable_policy_use_the_default(world):
    legacy = RoutingRun.objects.create(scope=["44"], parameters={"k_max": 3})
    tampered = RoutingRun.objects.create(
        scope=["44"], parameters={"k_max": 3, "policy": {"accompaniment": "-1"}}
    )

    assert _policy_for(legacy) == DEFAULT_POLICY
    assert _policy_for(tampered) == DEFAULT_POLICY


def test_creating_a_run_with_an_invalid_policy_dict_fails(world):
    with pytest.raises(ValueError, match="no puede ser negativo"):
        routing_run_create(actor=None, scope=["44"], k_max=3, policy={"victim": "-1/10"})

    assert not RoutingRun.objects.exclude(pk=world.run.pk).exists()


def test_weights_out_of_range_are_refused_by_the_service_too():
    with pytest.raises(ValueError, match="out of range"):
        policy_from_percentages({"victim": 101})
    with pytest.raises(ValueError, match="unknown policy weights"):
        policy_from_percentages({"scale": 1})
