"""Routing pages: the list of runs with the form to start one, and a run's status page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from households.factories import household_make
from oferta.referrals.models import Referral, RoutingRun, RunStatus
from oferta.referrals.routing import routing_run_create, routing_run_execute
from offers.factories import service_make

pytestmark = pytest.mark.django_db

RUNS = reverse("referrals:routing_runs")


def _page(run):
    return reverse("referrals:routing_run", kwargs={"run_id": run.uuid})


def _offer_in_uribia():
    household_make(municipality_code="44847", deprived_illiteracy=True)
    return service_make(
        name="Alfabetización Uribia",
        indicators=("illiteracy",),
        eligibility_rule="deprived_illiteracy",
        slots=(("44847", 5),),
    )


def test_a_national_analyst_starts_a_run_and_sees_its_figures(client, world):
    _offer_in_uribia()
    client.force_login(world.national)

    response = client.post(RUNS, {"territory": "44847", "k_max": "2", "name": "Uribia"})

    run = RoutingRun.objects.get(name="Uribia")
    assert response.status_code == 302
    assert response.url == _page(run)
    assert run.status == RunStatus.SUCCEEDED, run.error_message  # immediate backend in tests
    assert run.scope == ["44847"]
    assert run.created_by == world.national
    body = client.get(_page(run)).content.decode()
    assert "Asignación óptima (flujo de costo mínimo) frente a la voraz" in body
    assert "todas las restricciones se cumplen" in body
    assert f"?run={run.uuid}" in body
    assert "hx-get" not in body  # finished: no more polling
    assert Referral.objects.filter(routing_run=run).count() == run.places_filled == 2


def test_the_list_shows_runs_and_the_form(client, world):
    client.force_login(world.national)

    body = client.get(RUNS).content.decode()

    assert "Corrida de prueba" in body
    assert "Nueva corrida" in body
    assert "27001 · Quibdó" in body


def test_a_running_run_is_polled_with_htmx(client, world):
    run = routing_run_create(actor=world.national, scope=["44"], k_max=3)
    client.force_login(world.national)

    body = client.get(_page(run)).content.decode()
    fragment = client.get(_page(run), HTTP_HX_REQUEST="true").content.decode()

    assert 'hx-trigger="every 2s"' in body
    assert fragment.startswith("<section") or fragment.lstrip().startswith("<section")
    assert "En cola" in fragment


def test_a_regional_analyst_routes_only_within_their_departments(client, world):
    client.force_login(world.regional)  # department 44

    body = client.get(RUNS).content.decode()
    refused = client.post(RUNS, {"territory": "27001", "k_max": "3"})

    assert "44847 · Uribia" in body
    assert "27001 · Quibdó" not in body
    assert refused.status_code == 400
    assert not RoutingRun.objects.filter(scope=["27001"]).exists()


def test_a_regional_analyst_sees_runs_of_their_departments_only(client, world):
    own = routing_run_create(actor=None, scope=["44001"], k_max=3, name="Riohacha")
    other = routing_run_create(actor=None, scope=["27"], k_max=3, name="Chocó")
    client.force_login(world.regional)

    listing = client.get(RUNS).content.decode()

    assert "Riohacha" in listing
    assert "Chocó" not in listing
    assert client.get(_page(own)).status_code == 200
    assert client.get(_page(other)).status_code == 404


@pytest.mark.parametrize("who", ["municipal", "partner_a", "fair"])
def test_other_roles_cannot_see_or_start_runs(client, world, who):
    client.force_login(getattr(world, who))

    assert client.get(RUNS).status_code == 403
    assert client.post(RUNS, {"territory": "44", "k_max": "3"}).status_code == 403
    assert client.get(_page(world.run)).status_code == 403
    assert not RoutingRun.objects.exclude(pk=world.run.pk).exists()


def test_anonymous_users_are_sent_to_sign_in(client, world):
    response = client.get(RUNS)

    assert response.status_code == 302
    assert response.url.startswith("/cuentas/entrar/")


def test_a_failed_run_shows_its_message(client, world):
    run = RoutingRun.objects.create(scope=[], parameters={"k_max": 3})
    routing_run_execute(run=run, actor=None)
    client.force_login(world.national)

    body = client.get(_page(run)).content.decode()

    assert "La corrida no tiene territorios." in body
