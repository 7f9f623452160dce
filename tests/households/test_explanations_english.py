"""Explanations of IPM indicators follow the active language: with English, no Spanish is left."""

from __future__ import annotations

import pytest
from django.template import loader
from django.utils import translation

from oferta.engine.diagnostics.methods import METHODS
from oferta.households.explanations import (
    HousingFacts,
    MemberFacts,
    dimension_names,
    explain_household,
    method_name,
)

ECV = "dane-ecv-2018"


@pytest.fixture
def household() -> dict:
    members = [
        MemberFacts(name="Luis", age=34, sex="male", activity="unemployed", unemployed_months=3),
        MemberFacts(
            name="Marta",
            age=31,
            sex="female",
            health_insured=False,
            health_need_last_30_days=True,
            health_need_attended=False,
        ),
        *[MemberFacts(name=f"Child {i}", age=8, sex="male", attends_school=True) for i in range(5)],
    ]
    housing = HousingFacts(zone="urban", sleeping_rooms=2, water_source="river_or_spring")
    deprived = {spec.code: True for spec in METHODS[ECV].indicators}
    return {"housing": housing, "members": members, "deprived": deprived}


def explained(household: dict) -> dict[str, str]:
    return {e.code: e.summary for e in explain_household(method_code=ECV, **household)}


def test_explanations_are_fully_english_when_english_is_active(household):
    # given a household with an unemployed man, an uninsured woman and crowded rooms
    # when its explanations are built with English active
    with translation.override("en"):
        text = explained(household)
    # then the names and facts are in English, with English numbers
    assert text["informal_work"] == "Informal work: Luis, aged 34, is unemployed"
    assert (
        text["no_health_insurance"]
        == "No health insurance: Marta, aged 31, has no health insurance"
    )
    assert text["health_access_barriers"] == (
        "Barriers to access to health services: Marta, aged 31, needed health care in the last "
        "30 days and did not receive it"
    )
    assert text["no_improved_water"].startswith("No access to an improved water source: river")
    assert "7 people in 2 rooms for sleeping: 3.5 per room" in text["critical_overcrowding"]
    assert "urban area: deprived with 3 or more per room" in text["critical_overcrowding"]
    # and none of the Spanish fragments is left
    everything = " ".join(text.values())
    for spanish in (
        "desocupad",
        "afiliad",
        "atendid",
        "zona urbana",
        "quebrada",
        "años",
        "3,5",
    ):
        assert spanish not in everything


def test_explanations_stay_spanish_by_default(household):
    # when the explanations are built with no language activated
    text = explained(household)
    # then they are the Spanish text, as before the catalogue covered them
    assert text["informal_work"] == "Trabajo informal: Luis, 34 años, está desocupado"
    assert (
        text["no_health_insurance"]
        == "Sin aseguramiento en salud: Marta, 31 años, no está afiliada"
    )
    assert "3,5 por cuarto" in text["critical_overcrowding"]
    assert "zona urbana: privado con 3 o más por cuarto" in text["critical_overcrowding"]


def test_indicator_dimension_and_method_names_follow_the_language():
    with translation.override("en"):
        assert dimension_names(ECV)["health"] == "Health"
        assert method_name(ECV).startswith("DANE MPI")
    assert dimension_names(ECV)["health"] == "Salud"
    assert method_name(ECV) == METHODS[ECV].name_es


def test_spanish_labels_match_the_engine_names():
    # the households tables repeat the engine's Spanish names as msgids; they must not drift
    for method in METHODS.values():
        assert dimension_names(method.code) == {d.code: d.name_es for d in method.dimensions}
        assert method_name(method.code) == method.name_es
        household = {"housing": HousingFacts(), "members": [], "deprived": {}}
        for explanation, spec in zip(
            explain_household(method_code=method.code, **household), method.indicators, strict=True
        ):
            assert explanation.name == spec.name_es


def test_server_error_page_follows_the_language():
    with translation.override("en"):
        html = loader.get_template("500.html").render()
    assert '<html lang="en">' in html
    assert "An error occurred" in html
    assert "Ocurrió un error" not in html
    spanish = loader.get_template("500.html").render()
    assert '<html lang="es-co">' in spanish
    assert "Ocurrió un error" in spanish
