"""«¿Por qué no esta oferta?»: for a household of a routing run, the offers it got and why it
did not get each other one, reached by searching a document number or registry id."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse

from households.factories import household_make
from oferta.households.models import HouseholdAccessLog
from oferta.referrals.models import Referral, RunStatus
from oferta.referrals.routing import routing_run_create, routing_run_execute
from oferta.referrals.run_explanations import routing_run_household_explain
from offers.factories import service_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world):
    """K = 1 in Uribia. «Empleo» (open, informal work, 5 places) goes to the target household;
    the only place of «Alfabetización» goes to the accompanied household (higher priority);
    a third household is left without a place; «Jóvenes» is for people up to 28."""
    target = household_make(
        municipality_code="44847",
        members=[{"document_number": "55500011", "birth_date": date(1985, 3, 10)}],
        registry_id="REG-OBJ-1",
        deprived_illiteracy=True,
        deprived_informal_work=True,
        accompaniment=False,
    )
    accompanied = household_make(
        municipality_code="44847", deprived_illiteracy=True, accompaniment=True
    )
    left_out = household_make(
        municipality_code="44847",
        members=[{"document_number": "55500033"}],
        deprived_illiteracy=True,
        accompaniment=False,
    )
    jobs = service_make(
        name="Empleo",
        indicators=("informal_work",),
        slots=(("44847", 5),),
    )
    literacy = service_make(
        name="Alfabetización",
        indicators=("illiteracy",),
        eligibility_rule="deprived_illiteracy",
        slots=(("44847", 1),),
    )
    young = service_make(
        name="Jóvenes",
        indicators=("informal_work",),
        eligibility_rule="person.age <= 28",
        eligibility_scope="person",
        slots=(("44847", 5),),
    )
    broken = service_make(
        name="Regla rota",
        indicators=("illiteracy",),
        eligibility_rule="edad >",
        slots=(("44847", 5),),
    )
    run = routing_run_create(actor=world.national, scope=["44847"], k_max=1, name="Uribia K1")
    routing_run_execute(run=run, actor=world.national)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error_message
    return SimpleNamespace(
        run=run,
        target=target,
        accompanied=accompanied,
        left_out=left_out,
        jobs=jobs,
        literacy=literacy,
        young=young,
        broken=broken,
    )


def _page(run, household):
    return reverse(
        "referrals:routing_run_household",
        kwargs={"run_id": run.uuid, "household_id": household.uuid},
    )


def _search(run):
    return reverse("referrals:routing_run_household_search", kwargs={"run_id": run.uuid})


def _reasons(explanation):
    return {o.offer_name: (o.reason, o.text) for o in explanation.not_assigned}


def test_the_household_at_its_limit_is_told_k_and_the_age_rule(world, scene):
    explanation = routing_run_household_explain(run=scene.run, household=scene.target)

    assert [o.offer_name for o in explanation.assigned] == ["Empleo"]
    reasons = _reasons(explanation)
    assert reasons["Alfabetización"] == ("k_limit", "límite de 1 ofertas")
    assert reasons["Jóvenes"] == ("not_eligible", "no cumple: edad 40 > 28")
    assert reasons["Regla rota"][0] == "invalid_rule"


def test_a_household_outbid_for_the_last_place_is_told_there_are_no_places(world, scene):
    assert Referral.objects.filter(
        routing_run=scene.run, household=scene.accompanied, offer=scene.literacy
    ).exists()

    explanation = routing_run_household_explain(run=scene.run, household=scene.left_out)

    assert explanation.assigned == []
    reasons = _reasons(explanation)
    assert reasons["Alfabetización"] == ("no_places", "sin cupos en el municipio")
    assert reasons["Empleo"] == ("no_value", "no atiende sus privaciones")


def test_the_page_lists_assigned_offers_and_reasons_and_logs_the_read(client, world, scene):
    client.force_login(world.national)

    response = client.get(_page(scene.run, scene.target))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Hogar REG-OBJ-1" in body
    assert "Empleo" in body
    assert "límite de 1 ofertas" in body
    assert "no cumple: edad 40 &gt; 28" in body
    assert "55500011" not in body  # no document numbers on this page
    assert (
        HouseholdAccessLog.objects.filter(
            user=world.national, household_uuid=scene.target.uuid, purpose="routing_run_household"
        ).count()
        == 1
    )


def test_a_document_number_leads_to_the_household_page(client, world, scene):
    client.force_login(world.national)

    by_document = client.post(_search(scene.run), {"q": "55.500.033"})
    by_registry_id = client.post(_search(scene.run), {"q": "REG-OBJ-1"})

    assert by_document.status_code == 302
    assert by_document.url == _page(scene.run, scene.left_out)
    assert by_registry_id.url == _page(scene.run, scene.target)


def test_the_search_does_not_list_households_without_a_query(client, world, scene):
    client.force_login(world.national)

    empty = client.get(_search(scene.run))
    blank = client.post(_search(scene.run), {"q": ""})
    unknown = client.post(_search(scene.run), {"q": "99999999"})

    assert empty.status_code == 200
    assert "REG-OBJ-1" not in empty.content.decode()
    assert blank.status_code == 400
    assert "Escriba un número de documento" in blank.content.decode()
    assert "No se encontró ningún hogar" in unknown.content.decode()


def test_the_run_page_offers_the_household_search(client, world, scene):
    client.force_login(world.national)

    body = client.get(reverse("referrals:routing_run", kwargs={"run_id": scene.run.uuid}))

    assert _search(scene.run) in body.content.decode()


def test_a_household_outside_the_runs_territories_is_not_found(client, world, scene):
    client.force_login(world.national)

    response = client.get(_page(scene.run, world.quibdo))
    search = client.post(_search(scene.run), {"q": world.quibdo.registry_id})

    assert response.status_code == 404
    assert "No se encontró ningún hogar" in search.content.decode()


def test_a_regional_analyst_of_another_department_cannot_reach_the_run(client, world, scene):
    from .conftest import user_make

    chocó = user_make("regional_analyst", departments=["27"])
    client.force_login(chocó)

    assert client.get(_page(scene.run, scene.target)).status_code == 404
    assert client.post(_search(scene.run), {"q": "55500011"}).status_code == 404
    assert not HouseholdAccessLog.objects.filter(user=chocó).exists()


def test_the_regional_analyst_of_the_department_sees_the_explanation(client, world, scene):
    client.force_login(world.regional)  # department 44

    response = client.get(_page(scene.run, scene.target))

    assert response.status_code == 200
    assert "límite de 1 ofertas" in response.content.decode()


@pytest.mark.parametrize("who", ["municipal", "partner_a", "fair"])
def test_roles_that_do_not_route_are_refused(client, world, scene, who):
    client.force_login(getattr(world, who))

    assert client.get(_page(scene.run, scene.target)).status_code == 403
    assert client.post(_search(scene.run), {"q": "55500011"}).status_code == 403


def test_a_run_that_did_not_finish_has_nothing_to_explain(client, world):
    household = household_make(municipality_code="44847")
    run = routing_run_create(actor=None, scope=["44847"], k_max=2)
    client.force_login(world.national)

    body = client.get(_page(run, household)).content.decode()

    assert "La corrida no terminó con éxito" in body


def test_a_rule_changed_after_the_run_is_flagged(client, world, scene):
    scene.young.eligibility_rule = "person.age <= 45"
    scene.young.save(update_fields=["eligibility_rule"])
    client.force_login(world.national)

    body = client.get(_page(scene.run, scene.target)).content.decode()

    assert "Las reglas o las ofertas con cupos cambiaron desde la corrida." in body


def test_a_person_offer_names_every_members_failure(world, scene):
    family = household_make(
        municipality_code="44847",
        members=[{"birth_date": date(1980, 1, 1)}, {"birth_date": date(1990, 1, 1)}],
    )

    explanation = routing_run_household_explain(run=scene.run, household=family)

    reason, text = _reasons(explanation)["Jóvenes"]
    assert reason == "not_eligible"
    assert text == "ningún integrante cumple: edad 45 > 28; edad 35 > 28"


def test_a_run_search_in_the_url_is_ignored(client, world, scene):
    # given a national analyst with a document number in the address
    client.force_login(world.national)

    # when the run's household search is requested with ?q=
    response = client.get(_search(scene.run), {"q": "55.500.033"})

    # then nothing is searched: no redirect to a household, and the form posts its query
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
