"""coverage_gaps, missing_offer_ranking, the gaps page and its XLSX export."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oferta.core.errors import ObjectNotFound
from oferta.insights.selectors import coverage_gaps, missing_offer_ranking
from oferta.insights.services import insights_refresh

pytestmark = pytest.mark.django_db


def _by_indicator(rows):
    return {row.indicator: row for row in rows}


def test_gaps_of_a_municipality_give_each_step_of_the_bottleneck(world):
    insights_refresh()
    row = _by_indicator(coverage_gaps(code="44847", user=world.national))["illiteracy"]
    # need 3, supply 1 + 3, referred 2, accepted 1, served 1
    assert (row.need, row.supply, row.referred, row.accepted, row.served) == (3, 4, 2, 1, 1)
    assert (row.availability, row.access, row.contact, row.effectiveness) == (0, 1, 1, 0)
    assert row.bottleneck == "access"  # ties go to the earlier step


def test_an_indicator_without_places_shows_an_availability_gap(world):
    insights_refresh()
    row = _by_indicator(coverage_gaps(code="44847", user=world.national))["no_improved_water"]
    assert (row.need, row.supply, row.availability, row.access) == (2, 0, 2, 0)
    assert (row.contact, row.effectiveness) == (0, 1)
    assert row.bottleneck == "availability"


def test_gap_rows_are_ranked_by_the_largest_gap(world):
    insights_refresh()
    rows = coverage_gaps(code="44847", user=world.national)
    assert [r.largest_gap for r in rows] == sorted((r.largest_gap for r in rows), reverse=True)
    assert rows[0].indicator == "no_improved_water"


def test_department_sums_its_municipalities_and_counts_the_pool_once(world):
    insights_refresh()
    row = _by_indicator(coverage_gaps(code="44", user=world.national))["illiteracy"]
    # Uribia 3 + Riohacha 0 deprived; places: Uribia's 1 + the pool of 3 (not 3 twice)
    assert (row.need, row.places_municipal, row.places_department) == (3, 1, 3)
    assert row.unmet_need == 1
    water = _by_indicator(coverage_gaps(code="44", user=world.national))["no_improved_water"]
    assert (water.need, water.supply, water.offers) == (3, 5, 1)


def test_nation_sums_every_department(world):
    insights_refresh()
    row = _by_indicator(coverage_gaps(code="CO", user=world.national))["illiteracy"]
    assert row.need == 4  # Uribia 3 + Quibdó 1
    assert row.supply == 4
    assert row.unmet_need == 1  # Quibdó has no run: it adds nothing to the known unmet need


def test_missing_offer_ranking_puts_need_without_places_first(world):
    insights_refresh()
    ranking = missing_offer_ranking(code="CO", user=world.national, limit=10)
    first = [(r.municipality_code, r.indicator, r.need, r.supply) for r in ranking[:2]]
    assert first == [("44847", "no_improved_water", 2, 0), ("27001", "illiteracy", 1, 0)]
    assert ranking[0].municipality_name == "Uribia"
    assert len(missing_offer_ranking(code="CO", user=world.national, limit=1)) == 1


@pytest.mark.parametrize(
    ("who", "code", "allowed"),
    [
        ("national", "CO", True),
        ("regional", "44", True),
        ("regional", "44847", True),
        ("regional", "27001", False),
        ("regional", "CO", False),
        ("municipal", "44847", True),
        ("municipal", "44", False),
        ("municipal", "44001", False),
        ("partner", "44847", False),
    ],
)
def test_gaps_follow_the_users_territorial_scope(world, who, code, allowed):
    insights_refresh()
    user = getattr(world, who)
    if allowed:
        assert coverage_gaps(code=code, user=user)
    else:
        with pytest.raises(ObjectNotFound):
            coverage_gaps(code=code, user=user)


def test_gaps_page_shows_need_supply_and_uptake_per_indicator(client, world):
    insights_refresh()
    client.force_login(world.regional)
    response = client.get(reverse("insights:gaps", args=["44847"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Brechas de cobertura: Uribia" in html
    row = html.split('data-indicator="illiteracy"')[1].split("</tr>")[0]
    cells = [c.split(">", 1)[1].split("<", 1)[0].strip() for c in row.split('<td class="num')[1:]]
    # need, supply, referred, accepted, enrolled, served, unmet, four gaps
    assert cells == ["3", "4", "2", "1", "1", "1", "1", "0", "1", "1", "0"]
    assert reverse("insights:gaps_xlsx", args=["44847"]) in html


def test_gaps_page_of_a_territory_outside_the_scope_is_not_found(client, world):
    insights_refresh()
    client.force_login(world.municipal)
    assert client.get(reverse("insights:gaps", args=["44001"])).status_code == 404
    assert client.get(reverse("insights:gaps", args=["99999"])).status_code == 404
    assert client.get(reverse("insights:gaps_xlsx", args=["44"])).status_code == 404


def test_gaps_page_of_a_department_lists_where_offer_is_missing(client, world):
    insights_refresh()
    client.force_login(world.national)
    html = client.get(reverse("insights:gaps", args=["44"])).content.decode()
    assert "Dónde falta oferta" in html
    assert reverse("insights:gaps", args=["44847"]) in html


def test_gaps_xlsx_has_the_rows_codes_as_text_and_a_sources_sheet(client, world):
    insights_refresh()
    client.force_login(world.national)
    response = client.get(reverse("insights:gaps_xlsx", args=["44"]))
    assert response.status_code == 200
    assert "brechas-44-" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Brechas", "Oferta faltante", "Fuentes"]
    gaps = list(book["Brechas"].iter_rows(values_only=True))
    by_code = {row[0]: row for row in gaps[1:]}
    assert set(by_code) == {"illiteracy", "no_improved_water"}
    assert by_code["illiteracy"][2] == 3  # need
    assert by_code["illiteracy"][8] == 4  # supply
    missing = list(book["Oferta faltante"].iter_rows(values_only=True))
    assert missing[1][0] == "44847"
    assert book["Oferta faltante"]["A2"].number_format == "@"
    sources = {row[0]: row[1] for row in book["Fuentes"].iter_rows(values_only=True)}
    assert sources["Código DIVIPOLA"] == "44"
    assert sources["Generado el"]


def test_a_municipality_without_registry_shows_a_message(client, world):
    client.force_login(world.national)
    response = client.get(reverse("insights:gaps", args=["44847"]))
    assert response.status_code == 200
    assert "No hay un registro de hogares cargado" in response.content.decode()
