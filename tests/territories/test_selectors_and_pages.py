"""Selectors over the loaded reference data, and the staff pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oferta.core.errors import ObjectNotFound
from oferta.territories import selectors

pytestmark = pytest.mark.django_db


def test_search_ignores_accents_and_case_and_puts_departments_first(reference_data):
    results = selectors.territory_search(query="BOGOTA", limit=5)
    assert results[0].code == "11"
    assert results[0].level == "department"
    assert "11001" in [t.code for t in results]


def test_search_by_code_finds_the_municipality(reference_data):
    results = selectors.territory_search(query="44847", limit=5)
    assert [t.label for t in results] == ["Uribia (La Guajira)"]


def test_search_respects_the_limit_and_an_empty_query_finds_nothing(reference_data):
    assert len(selectors.territory_search(query="san", limit=7)) == 7
    assert selectors.territory_search(query="  ", limit=7) == []


def test_territory_get_and_label(reference_data):
    assert selectors.territory_label("44847") == "Uribia (La Guajira)"
    assert selectors.territory_label("44") == "La Guajira"
    assert selectors.territory_get(code="CO").level == "nation"
    with pytest.raises(ObjectNotFound):
        selectors.territory_get(code="99999")


def test_options_for_filters(reference_data):
    departments = selectors.department_options()
    assert len(departments) == 33
    assert ("05", "Antioquia") in departments
    guajira = selectors.municipality_options("44")
    assert len(guajira) == 15
    assert ("44847", "Uribia") in guajira


def test_figures_for_a_municipality_include_census_rank_and_its_department_series(reference_data):
    figures = selectors.figures_for_territory(code="44847")
    assert str(figures.census.total) == "92.2000"
    # Uribia has the highest census IPM of the 1,102 municipalities (DANE, 2020); eight
    # áreas no municipalizadas are higher
    assert figures.census.rank == 1
    assert figures.census.of == 1102
    assert figures.census.rank_all == 9
    assert figures.census.of_all == 1122
    assert figures.figures_of.code == "44"
    assert [row.label for row in figures.survey_ipm][:1] == ["2018"]


def test_figures_for_a_department_have_15_deprivations_and_monetary_series(reference_data):
    figures = selectors.figures_for_territory(code="05")
    assert len(figures.deprivations) == 15
    assert figures.deprivation_years == list(range(2018, 2025))
    assert [row.year for row in figures.monetary] == [2021, 2022, 2023]
    assert figures.survey_source.release_date.isoformat() == "2025-04-22"


def test_pages_need_login(client, reference_data):
    response = client.get(reverse("territories:index"))
    assert response.status_code == 302
    assert "login" in response["Location"] or "cuentas" in response["Location"]


def test_index_lists_departments_and_search_results(staff_client, reference_data):
    response = staff_client.get(reverse("territories:index"), {"q": "uribia"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Uribia (La Guajira)" in html
    assert 'href="/territorios/44847/"' in html
    assert "Vichada" in html  # the departments table
    assert 'class="on"' in html  # PDET municipalities on the map


def test_municipality_page_shows_census_ipm_rank_pdet_and_map(staff_client, reference_data):
    response = staff_client.get(reverse("territories:detail", args=["44847"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Uribia" in html
    assert "92,2" in html
    assert "Puesto nacional: 1 de 1102 municipios" in html
    assert "Puesto en La Guajira: 1 de 15 unidades municipales." in html
    assert 'data-code="44847" class="on"' in html
    assert "<dd>No</dd>" in html  # Uribia is not a PDET municipality


def test_pdet_municipality_page_shows_its_subregion(staff_client, reference_data):
    html = staff_client.get(reverse("territories:detail", args=["44279"])).content.decode()
    assert "Fonseca" in html
    assert "Sierra Nevada-Perijá" in html


def test_department_page_shows_survey_ipm_deprivations_monetary_and_sources(
    staff_client, reference_data
):
    response = staff_client.get(reverse("territories:detail", args=["11"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "4,1" in html
    assert "Hacinamiento crítico" in html
    assert "477.004" in html  # Bogotá's poverty line 2021
    assert "22 de abril de 2025" in html
    assert "30 de agosto de 2024" in html


def test_nation_page_shows_national_monetary_figures(staff_client, reference_data):
    html = staff_client.get(reverse("territories:detail", args=["CO"])).content.decode()
    assert "39,7" in html
    assert "351.480" in html


def test_unknown_code_is_404(staff_client, reference_data):
    assert staff_client.get(reverse("territories:detail", args=["00000"])).status_code == 404


def test_departmental_rank_orders_the_departments_units_by_census_ipm(reference_data):
    # given the census IPM of La Guajira's 15 municipalities
    from oferta.territories.models import Figure

    values = dict(
        Figure.objects.filter(
            indicator="ipm_census", zone="total", territory_code__startswith="44"
        ).values_list("territory_code", "value")
    )
    riohacha = values["44001"]

    # when Riohacha's figures are read
    census = selectors.figures_for_territory(code="44001").census

    # then its departmental rank counts the units of the department with a higher IPM
    assert census.of_department == len(values) == 15
    assert census.rank_department == 1 + sum(1 for v in values.values() if v > riohacha)
    assert census.rank_department > 1
