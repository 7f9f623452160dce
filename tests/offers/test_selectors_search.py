"""service_search: territorial availability, deprivation, free-text and other filters."""

from __future__ import annotations

import pytest

from oferta.offers.models import EntityLevel, ServiceStatus
from oferta.offers.selectors import service_search

from .factories import organization_make, service_make, territories_make


@pytest.fixture
def offers(db):
    """One offer per kind of area, keyed by what it covers."""
    territories_make()
    return {
        "nation": service_make(name="Nacional", areas=("CO",)),
        "antioquia": service_make(name="Departamental Antioquia", areas=("05",)),
        "medellin": service_make(name="Municipal Medellín", areas=("05001",)),
        "abejorral": service_make(name="Municipal Abejorral", areas=("05002",)),
        "guajira": service_make(name="Departamental Guajira", areas=("44",)),
        "uribia": service_make(name="Municipal Uribia", areas=("44847",)),
        "nowhere": service_make(name="Sin área", areas=()),
    }


def names(qs) -> set[str]:
    return {s.name for s in qs}


def test_municipality_filter_includes_nation_and_department_wide_offers(offers):
    # given offers for the nation, Antioquia, Medellín and elsewhere
    # when searching in Medellín
    found = names(service_search(municipality_code="05001"))
    # then nation-wide, Antioquia-wide and Medellín offers are there, the rest are not
    assert found == {"Nacional", "Departamental Antioquia", "Municipal Medellín"}


def test_department_filter_includes_nation_department_and_its_municipalities(offers):
    found = names(service_search(department_code="05"))
    assert found == {
        "Nacional",
        "Departamental Antioquia",
        "Municipal Medellín",
        "Municipal Abejorral",
    }


def test_municipality_filter_wins_over_department_filter(offers):
    found = names(service_search(department_code="05", municipality_code="44847"))
    assert found == {"Nacional", "Departamental Guajira", "Municipal Uribia"}


def test_offer_with_several_areas_appears_once(offers):
    service_make(name="Dos municipios", areas=("05001", "05002", "05"))
    results = list(service_search(department_code="05"))
    assert [s.name for s in results].count("Dos municipios") == 1


def test_indicator_filter_matches_any_of_the_given_deprivations(db):
    service_make(name="Agua", indicators=("no_improved_water",))
    service_make(name="Pisos", indicators=("inadequate_floors",))
    service_make(name="Salud", indicators=("no_health_insurance",))
    found = names(service_search(indicator_codes=["no_improved_water", "inadequate_floors"]))
    assert found == {"Agua", "Pisos"}


def test_free_text_ignores_accents_and_case(db):
    service_make(name="Educación inicial en Nariño")
    service_make(name="Vivienda rural")
    assert names(service_search(query="EDUCACION narino")) == {"Educación inicial en Nariño"}
    assert names(service_search(query="educación")) == {"Educación inicial en Nariño"}


def test_free_text_matches_entity_name_and_description(db):
    sena = organization_make(name="Servicio Nacional de Aprendizaje", alternate_name="SENA")
    service_make(name="Formación complementaria", organization=sena)
    service_make(name="Otra", description="Incluye acompañamiento psicosocial")
    service_make(name="Nada que ver")
    assert names(service_search(query="sena")) == {"Formación complementaria"}
    assert names(service_search(query="psicosocial")) == {"Otra"}


def test_every_word_must_match(db):
    service_make(name="Crédito agropecuario", description="Banco Agrario")
    service_make(name="Crédito educativo")
    assert names(service_search(query="crédito agrario")) == {"Crédito agropecuario"}


def test_organization_population_channel_status_and_level_filters(db):
    entity = organization_make(level=EntityLevel.MUNICIPAL)
    target = service_make(
        name="Objetivo",
        organization=entity,
        populations=("juventud",),
        channels=("virtual",),
        status=ServiceStatus.ACTIVE,
    )
    service_make(name="Otra entidad", populations=("juventud",), channels=("virtual",))
    service_make(name="Inactiva", organization=entity, status=ServiceStatus.INACTIVE)
    assert names(service_search(organization_id=entity.id)) == {"Objetivo", "Inactiva"}
    assert names(service_search(organization_id=entity.id, status="active")) == {"Objetivo"}
    assert names(service_search(population_code="juventud", level="municipal")) == {"Objetivo"}
    assert names(service_search(channel_code="virtual")) == {"Objetivo", "Otra entidad"}
    assert target.id in {s.id for s in service_search(level="municipal")}


def test_results_carry_the_total_of_places(db):
    service_make(name="Con cupos", slots=(("05001", 30), ("05", 70)))
    service_make(name="Sin cupos")
    totals = {s.name: s.places_total for s in service_search()}
    assert totals == {"Con cupos": 100, "Sin cupos": None}
