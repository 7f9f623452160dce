"""The catalogue page: GET filters, htmx municipality options, pagination, bounded queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oferta.accounts.models import Role

from .factories import service_make, territories_make, user_make

URL = reverse("offers:catalogue")


@pytest.fixture
def analyst_client(client, db):
    territories_make()
    client.force_login(user_make(role=Role.NATIONAL_ANALYST))
    return client


def test_catalogue_requires_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_filters_by_municipality_and_indicator(analyst_client):
    # given offers in different places closing different deprivations
    service_make(name="Agua nacional", areas=("CO",), indicators=("no_improved_water",))
    service_make(name="Agua Antioquia", areas=("05",), indicators=("no_improved_water",))
    service_make(name="Agua Guajira", areas=("44",), indicators=("no_improved_water",))
    service_make(name="Salud Medellín", areas=("05001",), indicators=("no_health_insurance",))
    # when filtering Medellín and water, as the browser form sends it
    response = analyst_client.get(
        URL, {"department": "05", "municipality": "05001", "indicator": ["no_improved_water"]}
    )
    # then only available water offers are listed, with the count
    body = response.content.decode()
    assert response.status_code == 200
    assert "Agua nacional" in body
    assert "Agua Antioquia" in body
    assert "Agua Guajira" not in body
    assert "Salud Medellín" not in body
    assert "2 ofertas encontradas" in body


def test_filter_form_has_the_stable_ids_and_search_button(analyst_client):
    body = analyst_client.get(URL).content.decode()
    for element_id in ('id="id_department"', 'id="id_municipality"', 'id="id_indicator"'):
        assert element_id in body
    assert 'name="indicator"' in body
    assert "multiple" in body
    assert ">Buscar</button>" in body


def test_department_select_loads_municipalities_by_htmx(analyst_client):
    body = analyst_client.get(URL).content.decode()
    options_url = reverse("offers:municipality_options")
    assert f'hx-get="{options_url}"' in body
    assert 'hx-target="#id_municipality"' in body
    # when the department changes, the endpoint returns that department's municipalities
    response = analyst_client.get(options_url, {"department": "05"})
    options = response.content.decode()
    assert '<option value="05001">Medellín</option>' in options
    assert "44847" not in options


def test_selected_department_prefills_municipality_options_without_javascript(analyst_client):
    body = analyst_client.get(URL, {"department": "44", "municipality": "44847"}).content.decode()
    assert '<option value="44847" selected>Uribia</option>' in body
    assert "05001" not in body


def test_pagination_keeps_the_filters(analyst_client):
    for i in range(30):
        service_make(name=f"Oferta {i:02d}", areas=("05",))
    response = analyst_client.get(URL, {"department": "05"})
    body = response.content.decode()
    assert "30 ofertas encontradas" in body
    assert body.count('class="card offer-card"') == 25
    assert "?department=05&amp;page=2" in body
    page2 = analyst_client.get(URL, {"department": "05", "page": 2}).content.decode()
    assert page2.count('class="card offer-card"') == 5


def test_invalid_filter_values_are_ignored(analyst_client):
    service_make(name="Visible")
    response = analyst_client.get(URL, {"department": "99", "status": "nada", "organization": "x"})
    assert response.status_code == 200
    assert "Visible" in response.content.decode()


def _catalogue_queries(client, django_assert_max_num_queries, n_queries):
    with django_assert_max_num_queries(n_queries) as captured:
        response = client.get(
            URL, {"department": "05", "indicator": ["no_improved_water", "informal_work"]}
        )
    assert response.status_code == 200
    return len(captured)


def test_catalogue_query_count_does_not_grow_with_results(
    analyst_client, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            service_make(
                name=f"Oferta {i}",
                areas=("05",),
                indicators=("no_improved_water", "informal_work"),
                channels=("presencial", "virtual"),
                populations=("juventud",),
                slots=(("05", 10),),
            )

    add(2)
    few = _catalogue_queries(analyst_client, django_assert_max_num_queries, 25)
    add(20)
    many = _catalogue_queries(analyst_client, django_assert_max_num_queries, 25)
    assert many == few


def test_territory_filter_links_to_that_territorys_news(analyst_client):
    body = analyst_client.get(URL, {"department": "05", "municipality": "05001"}).content.decode()
    assert reverse("offers:territory_news", args=["05001"]) in body
