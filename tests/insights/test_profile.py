"""The territorial profile (selector and the /territorios/<code>/ page)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oferta.insights.selectors import territory_profile
from oferta.insights.services import insights_refresh

pytestmark = pytest.mark.django_db


def test_profile_of_a_municipality_has_figures_registry_needs_offer_and_funnel(world):
    insights_refresh()
    profile = territory_profile(code="44847", user=world.national)
    assert profile.registry.households == 4
    assert profile.registry.persons_poor == 3
    needs = {n.indicator: n for n in profile.needs}
    assert needs["illiteracy"].households_deprived == 3
    assert str(needs["illiteracy"].percent_of_households) == "75.0"
    offer = {o.indicator: (o.offers, o.places) for o in profile.offer_by_indicator}
    assert offer == {"illiteracy": (1, 4)}
    assert [(e.name, e.places) for e in profile.offer_by_entity] == [
        ("Ministerio de Educación Nacional", 4)
    ]
    assert (profile.funnel.identified, profile.funnel.referred, profile.funnel.served) == (5, 4, 1)


def test_department_profile_sums_the_registry_of_its_municipalities(world):
    insights_refresh()
    profile = territory_profile(code="44", user=world.regional)
    assert profile.registry.households == 5
    assert profile.registry.municipalities == 2
    assert profile.offers_total == 2  # literacy (Uribia and the pool) and water (Riohacha)
    assert profile.places_total == 9


def test_profile_hides_registry_figures_outside_the_users_scope(world):
    insights_refresh()
    for user, code in (
        (world.municipal, "44001"),
        (world.municipal, "44"),
        (world.regional, "CO"),
        (world.regional_choco, "44847"),
        (world.partner, "44847"),
    ):
        profile = territory_profile(code=code, user=user)
        assert not profile.registry_visible
        assert profile.registry is None
        assert profile.needs == []
        assert profile.funnel is None
        # the catalogue is public
        assert profile.offer_by_indicator


def test_profile_without_a_registry_has_no_summary(world):
    profile = territory_profile(code="44847", user=world.national)
    assert profile.registry_visible
    assert profile.registry is None


def test_profile_page_keeps_the_census_figures_and_adds_the_new_sections(
    client, world, reference_data
):
    insights_refresh()
    client.force_login(world.national)
    response = client.get(reverse("territories:detail", args=["44847"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "92,2" in html
    assert "Puesto nacional: 1 de 1102" in html
    assert "Registro de hogares" in html
    assert "Hogares y personas con cada privación" in html
    assert "Oferta disponible" in html
    assert "Ministerio de Educación Nacional" in html
    assert "Remisiones y vinculación efectiva" in html
    assert reverse("insights:gaps", args=["44847"]) in html
    # charts are SVG with a title, drawn with classes (no inline style: CSP)
    assert '<svg class="chart chart-line"' in html
    assert '<svg class="chart chart-bars"' in html
    assert "<title id=" in html
    assert "style=" not in html.split("<main", 1)[-1]


def test_profile_page_of_a_partner_shows_public_figures_only(client, world, reference_data):
    insights_refresh()
    client.force_login(world.partner)
    html = client.get(reverse("territories:detail", args=["44847"])).content.decode()
    assert "92,2" in html
    assert "Oferta disponible" in html
    assert "Registro de hogares" not in html
    assert reverse("insights:gaps", args=["44847"]) not in html


def test_nation_and_department_profile_pages_answer(client, world, reference_data):
    insights_refresh()
    client.force_login(world.national)
    for code in ("CO", "44"):
        response = client.get(reverse("territories:detail", args=[code]))
        assert response.status_code == 200
        assert "Registro de hogares" in response.content.decode()
