"""The national map page /territorios/mapa/: layers, levels, legend, links, registry scope."""

from __future__ import annotations

import re

import pytest
from django.urls import resolve, reverse

from oferta.accounts.models import Role

from .conftest import registry_rows_make

pytestmark = pytest.mark.django_db


def test_map_url_is_not_swallowed_by_the_territory_profile():
    assert resolve("/territorios/mapa/").view_name == "insights:map"
    assert resolve("/territorios/44847/").view_name == "territories:detail"
    assert reverse("insights:map") == "/territorios/mapa/"


def test_national_map_shows_census_ipm_with_legend_and_uribias_title(national, reference_data):
    response = national.get(reverse("insights:map"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Uribia (La Guajira): 92,2 %</title>" in html
    assert '<a href="/territorios/44847/"><path data-code="44847" class="q4"' in html
    assert 'class="map-legend"' in html
    assert "Sin dato" in html
    assert html.count('<span class="swatch q') == 5
    assert "territories/maps.js" in html
    assert "territories/maps.css" in html
    # the page is reachable from the navigation
    assert 'href="/territorios/mapa/"' in html.split("</nav>")[0]


def test_no_inline_style_or_script_in_the_map_page(national, reference_data):
    html = national.get(reverse("insights:map")).content.decode()
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_departmental_layer_paints_the_departments_with_the_latest_year(national, reference_data):
    html = national.get(reverse("insights:map"), {"indicator": "survey:ipm"}).content.decode()
    assert html.count("<path data-code=") == 33
    assert "· 2024" in html
    assert re.search(r"<title>La Guajira: \d+,\d %</title>", html)
    assert "solo está disponible por departamentos" in html


def test_every_survey_deprivation_is_offered_by_department(national, reference_data):
    html = national.get(reverse("insights:map")).content.decode()
    offered = set(re.findall(r'value="deprivation:([a-z_]+)"', html))
    assert len(offered) == 15
    assert "long_term_unemployment" in offered


def test_monetary_poverty_leaves_departments_without_geih_figures_as_no_data(
    national, reference_data
):
    html = national.get(
        reverse("insights:map"), {"indicator": "monetary:monetary_poverty", "level": "department"}
    ).content.decode()
    assert "<title>Vaupés: sin dato</title>" in html
    assert re.search(r"<title>Chocó: \d+,\d %</title>", html)


def test_htmx_request_returns_only_the_panel(national, reference_data):
    response = national.get(
        reverse("insights:map"), {"indicator": "census:rural"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.startswith('<div id="map-panel">')
    assert "<html" not in html


def test_unknown_indicator_falls_back_to_the_census_ipm_with_a_message(national, reference_data):
    html = national.get(reverse("insights:map"), {"indicator": "nope"}).content.decode()
    assert "no existe" in html
    assert "Uribia (La Guajira): 92,2 %" in html


def test_priority_index_layer_paints_municipalities(national, reference_data):
    html = national.get(
        reverse("insights:map"), {"indicator": "priority:asistencia_tecnica"}
    ).content.decode()
    assert re.search(r"<title>Uribia \(La Guajira\): \d+,\d</title>", html)


def test_registry_layers_appear_once_the_registry_is_loaded(national, reference_data):
    assert "registry:poor" not in national.get(reverse("insights:map")).content.decode()
    registry_rows_make()
    html = national.get(reverse("insights:map"), {"indicator": "registry:poor"}).content.decode()
    assert "<title>Uribia (La Guajira): 80,0 %</title>" in html
    departments = national.get(
        reverse("insights:map"), {"indicator": "registry:poor", "level": "department"}
    ).content.decode()
    assert "<title>La Guajira: 50,0 %</title>" in departments  # (8 + 2) / (10 + 10)
    deprivation = national.get(
        reverse("insights:map"), {"indicator": "registry_deprivation:illiteracy"}
    ).content.decode()
    assert "<title>Quibdó (Chocó): 25,0 %</title>" in deprivation


def test_regional_analyst_sees_registry_values_of_their_departments_only(
    client, django_user_model, reference_data
):
    registry_rows_make()
    user = django_user_model.objects.create_user(
        username="regional_guajira", password="x", role=Role.REGIONAL_ANALYST
    )
    user.departments.set(["44"])
    client.force_login(user)
    html = client.get(reverse("insights:map"), {"indicator": "registry:poor"}).content.decode()
    assert "<title>Uribia (La Guajira): 80,0 %</title>" in html
    assert "<title>Quibdó (Chocó): sin dato</title>" in html


def test_map_requires_sign_in(client):
    response = client.get(reverse("insights:map"))
    assert response.status_code == 302
