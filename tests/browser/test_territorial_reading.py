"""The territorial reading in a real browser: the national map leads to Uribia's profile, and
changing a prioritisation weight reorders the ranking."""

from __future__ import annotations

import re

import pytest

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_national_map_click_on_uribia_opens_its_profile(page, reference_platform):
    from playwright.sync_api import expect

    # given a national analyst, signed in
    log_in(page, "analista", reference_platform["analista"])

    # when they open the national map from the navigation
    page.click("nav.mainnav a:has-text('Mapa')")
    page.wait_for_url("**/territorios/mapa/")
    uribia = page.locator('.choropleth-map svg a[href="/territorios/44847/"]')

    # then the legend is there, and pointing at Uribia reads its census IPM
    expect(page.locator(".map-legend li")).to_have_count(6)
    uribia.hover()
    expect(page.locator("[data-map-readout]")).to_have_text("Uribia (La Guajira): 92,2 %")

    # when they click Uribia
    uribia.click()

    # then its profile shows the census IPM 92,2 % ranked first
    page.wait_for_url("**/territorios/44847/")
    main = page.inner_text("main")
    assert "Uribia" in main
    assert "92,2" in main
    assert "Puesto nacional: 1 de 1102" in main


def test_changing_a_prioritisation_weight_reorders_the_ranking(page, reference_platform):
    from playwright.sync_api import expect

    # given the technical-assistance ranking with its default weights
    log_in(page, "analista", reference_platform["analista"])
    page.goto("/territorios/prioridades/")
    first = page.locator(".priority-table tbody tr").first.locator("td").nth(1)
    before = first.inner_text()
    assert before

    # when the analyst gives all the weight to PDET and recalculates (htmx re-renders)
    page.fill("#id_w_ipm_census", "0")
    page.fill("#id_w_monetary_poverty_department", "0")
    page.fill("#id_w_pdet", "100")
    page.click("button:has-text('Calcular')")

    # then the first municipality changes: the PDET municipality with the lowest code
    expect(first).not_to_have_text(before)
    expect(first).to_contain_text("Amalfi")
    expect(page).to_have_url(re.compile(r"w_pdet=100"))
    expect(page.locator("#id_w_pdet")).to_have_value("100")

    # when a weight is not a number, the error is in Spanish and the typed value stays
    page.fill("#id_w_unmet_need", "mucho")
    page.locator("#id_w_unmet_need").press("Enter")
    expect(page.locator("#id_w_unmet_need-error")).to_have_text(
        "Escriba un número, por ejemplo 25 o 12,5."
    )
    expect(page.locator("#id_w_unmet_need")).to_have_value("mucho")
