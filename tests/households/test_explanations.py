"""Spanish explanations of each IPM indicator (oferta.households.explanations): pure functions."""

from __future__ import annotations

import pytest

from oferta.engine.diagnostics.methods import METHODS, MethodOptions
from oferta.households.explanations import (
    HousingFacts,
    MemberFacts,
    explain_household,
    explain_indicator,
)

ECV = METHODS["dane-ecv-2018"]
CNPV = METHODS["dane-cnpv-2018"]


def facts(code: str, *, members, housing=None, method=ECV, options=None) -> str:
    spec = method.indicator(code)
    explanation = explain_indicator(
        spec,
        housing=housing or HousingFacts(),
        members=members,
        deprived=True,
        options=options or method.options,
    )
    assert explanation.name == spec.name_es
    return explanation.summary


def adult(name="Luis", age=34, **kw) -> MemberFacts:
    return MemberFacts(name=name, age=age, sex=kw.pop("sex", "male"), **kw)


def child(name="Ana", age=12, **kw) -> MemberFacts:
    kw.setdefault("years_of_schooling", max(age - 6, 0))
    kw.setdefault("attends_school", True)
    return MemberFacts(name=name, age=age, sex=kw.pop("sex", "female"), relationship="child", **kw)


def test_school_lag_names_the_child_the_years_and_the_expected_years():
    text = facts("school_lag", members=[adult(), child("Ana", 12, years_of_schooling=3)])
    assert text == "Rezago escolar: Ana, 12 años, 3 años aprobados; se esperaban 6"


def test_school_lag_says_one_year_in_the_singular():
    text = facts("school_lag", members=[child("Elena", 9, years_of_schooling=1)])
    assert text.endswith("Elena, 9 años, 1 año aprobado; se esperaban 3")


def test_school_lag_without_children_of_age_says_so():
    assert "No hay integrantes de 7 a 17 años" in facts("school_lag", members=[adult()])


def test_critical_overcrowding_urban_counts_three_per_room_as_deprived():
    housing = HousingFacts(zone="urban", sleeping_rooms=2)
    text = facts("critical_overcrowding", members=[adult()] * 7, housing=housing)
    assert "7 personas en 2 cuartos para dormir: 3,5 por cuarto" in text
    assert "zona urbana: privado con 3 o más por cuarto" in text


def test_critical_overcrowding_rural_needs_more_than_three():
    housing = HousingFacts(zone="rural", sleeping_rooms=1)
    text = facts("critical_overcrowding", members=[adult()] * 3, housing=housing)
    assert "3 personas en 1 cuarto para dormir: 3 por cuarto" in text
    assert "zona rural: privado con más de 3 por cuarto" in text


def test_critical_overcrowding_without_rooms():
    text = facts(
        "critical_overcrowding", members=[adult()] * 2, housing=HousingFacts(sleeping_rooms=0)
    )
    assert "2 personas sin cuartos exclusivos para dormir" in text


def test_no_health_insurance_names_the_uninsured_member_six_or_older():
    members = [adult("Luis", 34, health_insured=False), child("Sofía", 3, health_insured=False)]
    text = facts("no_health_insurance", members=members)
    assert text == "Sin aseguramiento en salud: Luis, 34 años, no está afiliado"


def test_no_health_insurance_uses_the_feminine_form():
    text = facts(
        "no_health_insurance", members=[adult("Rosa", 50, sex="female", health_insured=False)]
    )
    assert "Rosa, 50 años, no está afiliada" in text


def test_low_educational_attainment_gives_the_mean_of_adults():
    members = [adult("Luis", 34, years_of_schooling=5), adult("Rosa", 30, years_of_schooling=8)]
    text = facts("low_educational_attainment", members=[*members, child()])
    assert "Promedio de años de educación aprobados de las personas de 15 años o más: 6,5" in text
    assert "(Luis 5, Rosa 8); se esperan al menos 9" in text


def test_low_educational_attainment_without_adults_is_a_deprivation_by_rule():
    text = facts("low_educational_attainment", members=[child("Ana", 12)])
    assert "Ningún integrante tiene 15 años o más; el método lo cuenta como privación" in text


def test_illiteracy_names_adults_who_cannot_read_and_write():
    members = [adult("Luis", 60, can_read_write=False), child("Ana", 10, can_read_write=False)]
    assert facts("illiteracy", members=members) == (
        "Analfabetismo: Luis, 60 años, no sabe leer y escribir"
    )


def test_illiteracy_not_deprived_says_everyone_reads():
    assert "Todas las personas de 15 años o más saben leer y escribir" in facts(
        "illiteracy", members=[adult()]
    )


def test_school_non_attendance_names_the_child_out_of_school():
    members = [
        adult(),
        child("Pedro", 10, sex="male", attends_school=False),
        child("Ana", 17, attends_school=False),
    ]
    text = facts("school_non_attendance", members=members)
    assert "Pedro, 10 años, no asiste a un establecimiento educativo" in text
    assert "Ana" not in text  # 17 is outside 6 to 16


def test_early_childhood_barriers_lists_what_each_young_child_lacks():
    young = child(
        "Sofía",
        3,
        health_insured=False,
        early_childhood_care_adequate=True,
        early_childhood_nutrition_adequate=False,
    )
    text = facts("early_childhood_barriers", members=[adult(), young])
    assert (
        "Sofía, 3 años: sin afiliación a salud, sin alimentación adecuada donde es cuidado" in text
    )


def test_early_childhood_missing_answer_follows_the_method_option():
    young = child("Sofía", 3)
    assert "tienen salud, cuidado y alimentación adecuados" in facts(
        "early_childhood_barriers", members=[young]
    )
    strict = MethodOptions(missing_answer_deprives=True)
    assert "sin cuidado adecuado" in facts(
        "early_childhood_barriers", members=[young], options=strict
    )


def test_child_labour_names_working_children_12_to_17():
    members = [
        adult(),
        child("Juan", 14, sex="male", activity="employed"),
        child("Eva", 11, activity="employed"),
    ]
    assert facts("child_labour", members=members) == "Trabajo infantil: Juan, 14 años, trabaja"


def test_long_term_unemployment_names_months_searching():
    members = [adult("Carlos", 40, activity="unemployed", unemployed_months=14)]
    text = facts("long_term_unemployment", members=members)
    assert "Carlos, 40 años, lleva 14 meses buscando trabajo (12 o más)" in text


def test_long_term_unemployment_without_active_members():
    text = facts("long_term_unemployment", members=[adult(activity="inactive")])
    assert (
        "Ningún integrante de 12 años o más trabaja o busca trabajo; el método lo cuenta como "
        "privación"
    ) in text


def test_informal_work_names_workers_without_pension():
    members = [
        adult("Luis", 34, activity="employed", contributes_to_pension=False),
        adult("Rosa", 30, sex="female", activity="employed", contributes_to_pension=True),
        adult("Marta", 25, sex="female", activity="unemployed", unemployed_months=2),
    ]
    text = facts("informal_work", members=members)
    assert "Luis, 34 años, trabaja sin cotizar a pensión" in text
    assert "Marta, 25 años, está desocupada" in text
    assert "Rosa" not in text


def test_informal_work_all_pensioners_are_exempt():
    members = [adult("Luis", 70, activity="inactive", receives_pension=True)]
    assert "Todos los integrantes reciben pensión" in facts("informal_work", members=members)


def test_health_access_barriers_names_the_unattended_need():
    members = [
        adult("Rosa", 60, sex="female", health_need_last_30_days=True, health_need_attended=False)
    ]
    assert facts("health_access_barriers", members=members) == (
        "Barreras de acceso a servicios de salud: Rosa, 60 años, necesitó atención en salud "
        "en los últimos 30 días y no fue atendida"
    )


@pytest.mark.parametrize(
    ("zone", "source", "verdict"),
    [
        ("urban", "well_with_pump", "inadecuado en zona urbana"),
        ("rural", "well_with_pump", "adecuado en zona rural"),
        ("rural", "river_or_spring", "inadecuado en zona rural"),
    ],
)
def test_water_source_depends_on_the_zone(zone, source, verdict):
    text = facts(
        "no_improved_water", members=[adult()], housing=HousingFacts(zone=zone, water_source=source)
    )
    assert text.endswith(f"({verdict})")


@pytest.mark.parametrize(
    ("zone", "toilet", "verdict"),
    [
        ("urban", "latrine", "inadecuado en zona urbana"),
        ("rural", "latrine", "adecuado en zona rural"),
    ],
)
def test_sanitation_depends_on_the_zone(zone, toilet, verdict):
    text = facts(
        "inadequate_sanitation", members=[adult()], housing=HousingFacts(zone=zone, toilet=toilet)
    )
    assert text.endswith(f": letrina ({verdict})")


def test_floors_of_earth_are_inadequate_in_any_zone():
    text = facts(
        "inadequate_floors", members=[adult()], housing=HousingFacts(floor_material="earth_sand")
    )
    assert text == "Material inadecuado de pisos: tierra o arena (inadecuado)"


@pytest.mark.parametrize(
    ("zone", "verdict"),
    [("urban", "inadecuado en zona urbana"), ("rural", "adecuado en zona rural")],
)
def test_rough_wood_walls_are_inadequate_only_in_urban_zones(zone, verdict):
    housing = HousingFacts(zone=zone, wall_material="rough_wood")
    assert facts("inadequate_walls", members=[adult()], housing=housing).endswith(f"({verdict})")


def test_high_economic_dependency_gives_persons_per_employed_member():
    members = [adult(activity="employed")] + [child(age=8)] * 4
    text = facts("high_economic_dependency", members=members, method=CNPV)
    assert "5 personas y 1 ocupada: 5 personas por ocupado" in text
    assert "privado con más de 3 por persona ocupada" in text


def test_high_economic_dependency_without_employed_members():
    text = facts("high_economic_dependency", members=[adult(activity="inactive")], method=CNPV)
    assert text.endswith(": 1 persona y ningún integrante ocupado")


@pytest.mark.parametrize("method", [ECV, CNPV])
def test_a_household_gets_the_fifteen_indicators_of_its_method(method):
    deprived = {code: code == "school_lag" for code in method.codes}
    explanations = explain_household(
        method_code=method.code,
        housing=HousingFacts(),
        members=[adult(), child("Ana", 12, years_of_schooling=3)],
        deprived=deprived,
    )
    assert [e.code for e in explanations] == list(method.codes)
    assert len(explanations) == 15
    assert [e.code for e in explanations if e.deprived] == ["school_lag"]
    assert all(e.facts for e in explanations)
