"""Places (cupos) in the filtered territory on the catalogue cards."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from oferta.accounts.models import Role
from oferta.offers.selectors import service_search

from .factories import service_make, territories_make, user_make

URL = reverse("offers:catalogue")


@pytest.fixture
def offers(db):
    territories_make()
    return {
        # La Guajira-wide offer: 4.000 in Uribia, 200 department-wide, 9.000 in Riohacha,
        # and 200 in Antioquia (outside the filter): 13.400 in all.
        "guajira": service_make(
            name="Empleo Guajira",
            areas=("44", "05"),
            slots=(("44847", 4000), ("44", 200), ("44001", 9000), ("05", 200)),
        ),
        "nacional": service_make(name="Nacional con cupos en Antioquia", slots=(("05", 10),)),
        "sin_cupos": service_make(name="Nacional sin cupos"),
    }


def _places(body: str, name: str) -> str:
    """The text of the "Cupos" value on the card of offer ``name``."""
    card = body[body.index(f">{name}</a>") :]
    return re.search(r'<dd class="places">(.*?)</dd>', card, re.S).group(1)


@pytest.fixture
def analyst_client(client, offers):
    client.force_login(user_make(role=Role.NATIONAL_ANALYST))
    return client


def test_municipality_filter_counts_its_places_and_its_departments(offers):
    rows = {s.name: s for s in service_search(municipality_code="44847")}
    assert rows["Empleo Guajira"].places_in_territory == 4200
    assert rows["Empleo Guajira"].places_total == 13400
    assert rows["Nacional con cupos en Antioquia"].places_in_territory == 0
    assert rows["Nacional sin cupos"].places_total is None


def test_department_filter_counts_its_places_and_its_municipalities(offers):
    rows = {s.name: s for s in service_search(department_code="44")}
    assert rows["Empleo Guajira"].places_in_territory == 13200


def test_without_a_territory_filter_there_is_no_territory_figure(offers):
    assert not hasattr(service_search().get(name="Empleo Guajira"), "places_in_territory")


def test_catalogue_card_labels_the_places_of_the_municipality_and_department(analyst_client):
    body = analyst_client.get(URL, {"department": "44", "municipality": "44847"}).content.decode()
    assert _places(body, "Empleo Guajira") == "En Uribia y La Guajira: 4.200 · total: 13.400"
    assert (
        _places(body, "Nacional con cupos en Antioquia") == "En Uribia y La Guajira: 0 · total: 10"
    )
    assert "sin registrar" in _places(body, "Nacional sin cupos")


def test_catalogue_card_labels_the_places_of_the_department(analyst_client):
    body = analyst_client.get(URL, {"department": "44"}).content.decode()
    assert _places(body, "Empleo Guajira") == "En La Guajira: 13.200 · total: 13.400"


def test_catalogue_card_shows_only_the_total_without_a_territory_filter(analyst_client):
    body = analyst_client.get(URL).content.decode()
    assert _places(body, "Empleo Guajira") == "13.400"


def test_territory_places_do_not_add_queries_per_offer(
    analyst_client, django_assert_max_num_queries
):
    def count() -> int:
        with django_assert_max_num_queries(25) as captured:
            response = analyst_client.get(URL, {"department": "44", "municipality": "44847"})
        assert response.status_code == 200
        return len(captured)

    few = count()
    for i in range(15):
        service_make(name=f"Oferta {i}", areas=("44",), slots=(("44847", 5), ("44", 1)))
    assert count() == few
