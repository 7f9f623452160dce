"""Every deprivation rule of DOMAIN.md §3: thresholds, age ranges, urban/rural and edge cases."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from oferta.engine.diagnostics.indicators import (
    age_in_years,
    household_attributes,
    household_deprivations,
)

from .builders import CNPV, ECV, child, deprivations, deprived_in, frames, household, person


def test_given_the_default_household_then_it_is_deprived_in_nothing() -> None:
    assert deprived_in([person()]) == set()
    assert deprived_in([person()], method=CNPV) == set()


# --------------------------------------------------------------------------- education


@pytest.mark.parametrize(
    ("years", "deprived"), [((8, 9), True), ((9, 9), False), ((4, 14), False), ((0, 17), True)]
)
def test_low_attainment_when_mean_schooling_of_members_15_plus_is_below_9(
    years: tuple[int, int], deprived: bool
) -> None:
    members = [person(years_of_schooling=years[0]), person(age=40, years_of_schooling=years[1])]
    assert deprivations(members)["low_educational_attainment"] is deprived


def test_low_attainment_ignores_members_younger_than_15() -> None:
    # given an adult with 9 years and a 14-year-old with 8 (mean over everyone would be < 9)
    members = [person(years_of_schooling=9), child(age=14, years_of_schooling=8)]
    assert deprivations(members)["low_educational_attainment"] is False


def test_low_attainment_counts_a_member_aged_exactly_15() -> None:
    members = [person(years_of_schooling=9), child(age=15, years_of_schooling=8)]
    assert deprivations(members)["low_educational_attainment"] is True


def test_illiteracy_when_a_member_15_plus_cannot_read_and_write() -> None:
    assert deprivations([person(), person(age=70, can_read_write=False)])["illiteracy"]
    assert deprivations([person(), child(age=15, can_read_write=False)])["illiteracy"]


def test_illiteracy_ignores_children_younger_than_15() -> None:
    assert not deprivations([person(), child(age=14, can_read_write=False)])["illiteracy"]


def test_household_without_members_15_plus_is_deprived_in_both_education_indicators() -> None:
    members = [child(age=14, relationship="head"), child(age=12)]
    assert {"low_educational_attainment", "illiteracy"} <= deprived_in(members)


def test_option_can_exempt_households_without_members_15_plus_from_education() -> None:
    method = ECV.with_options(no_adult_education_deprived=False)
    members = [child(age=14, relationship="head"), child(age=12)]
    assert not {"low_educational_attainment", "illiteracy"} & deprived_in(members, method=method)


# --------------------------------------------------------------------------- childhood and youth


@pytest.mark.parametrize(("age", "deprived"), [(5, False), (6, True), (16, True), (17, False)])
def test_school_non_attendance_looks_at_ages_6_to_16(age: int, deprived: bool) -> None:
    members = [person(), child(age=age, attends_school=False)]
    assert deprivations(members)["school_non_attendance"] is deprived


def test_school_non_attendance_not_deprived_without_children_of_that_age() -> None:
    assert not deprivations([person(attends_school=False)])["school_non_attendance"]


@pytest.mark.parametrize(
    ("age", "years", "deprived"),
    [
        (7, 0, True),  # expected at least 1
        (7, 1, False),
        (12, 5, True),
        (12, 6, False),
        (17, 10, True),
        (17, 11, False),
        (6, 0, False),  # outside 7-17
        (18, 0, False),
    ],
)
def test_school_lag_when_years_approved_below_age_minus_6(
    age: int, years: int, deprived: bool
) -> None:
    members = [person(), child(age=age, years_of_schooling=years)]
    assert deprivations(members)["school_lag"] is deprived


@pytest.mark.parametrize(
    "lack",
    [
        {"health_insured": False},
        {"early_childhood_care_adequate": False},
        {"early_childhood_nutrition_adequate": False},
    ],
)
def test_early_childhood_barriers_when_a_child_0_to_5_lacks_health_care_or_nutrition(
    lack: dict[str, bool],
) -> None:
    for age in (0, 5):
        assert deprivations([person(), child(age=age, **lack)])["early_childhood_barriers"]


def test_early_childhood_barriers_ignore_children_older_than_5() -> None:
    members = [person(), child(age=6, early_childhood_care_adequate=False)]
    assert not deprivations(members)["early_childhood_barriers"]


def test_early_childhood_barriers_not_deprived_without_children_0_to_5() -> None:
    assert not deprivations([person()])["early_childhood_barriers"]


def test_unknown_early_childhood_answer_is_not_a_deprivation_unless_the_option_says() -> None:
    members = [person(), child(age=3, early_childhood_care_adequate=None)]
    assert not deprivations(members)["early_childhood_barriers"]
    strict = ECV.with_options(missing_answer_deprives=True)
    assert deprivations(members, method=strict)["early_childhood_barriers"]


@pytest.mark.parametrize(("age", "deprived"), [(11, False), (12, True), (17, True), (18, False)])
def test_child_labour_when_a_child_12_to_17_works(age: int, deprived: bool) -> None:
    members = [person(), child(age=age, activity="employed", contributes_to_pension=True)]
    assert deprivations(members)["child_labour"] is deprived


def test_child_labour_ignores_unemployed_children() -> None:
    assert not deprivations([person(), child(age=15, activity="unemployed")])["child_labour"]


# --------------------------------------------------------------------------- work


@pytest.mark.parametrize(("months", "deprived"), [(11, False), (12, True), (30, True)])
def test_long_term_unemployment_at_12_months_searching(months: int, deprived: bool) -> None:
    members = [person(), person(age=30, activity="unemployed", unemployed_months=months)]
    assert deprivations(members)["long_term_unemployment"] is deprived


def test_long_term_unemployment_needs_working_age() -> None:
    members = [person(), child(age=11, activity="unemployed", unemployed_months=14)]
    assert not deprivations(members)["long_term_unemployment"]


def test_unemployed_with_unknown_duration_is_not_long_term() -> None:
    members = [person(), person(age=30, activity="unemployed", unemployed_months=None)]
    assert not deprivations(members)["long_term_unemployment"]


def test_household_without_active_members_is_deprived_in_long_term_unemployment() -> None:
    members = [person(activity="inactive", contributes_to_pension=False), child(age=8)]
    assert "long_term_unemployment" in deprived_in(members)


def test_option_exempts_households_without_active_members_from_long_term_unemployment() -> None:
    members = [person(activity="inactive", contributes_to_pension=False)]
    method = ECV.with_options(no_active_member_unemployment_deprived=False)
    assert "long_term_unemployment" not in deprived_in(members, method=method)


def test_option_exempts_all_pensioner_households_from_long_term_unemployment() -> None:
    pensioner = person(age=70, activity="inactive", receives_pension=True)
    assert "long_term_unemployment" in deprived_in([pensioner])  # default as R-DANE
    method = ECV.with_options(all_pensioner_unemployment_deprived=False)
    assert "long_term_unemployment" not in deprived_in([pensioner], method=method)


def test_informal_work_when_an_employed_member_does_not_contribute_to_pension() -> None:
    members = [person(), person(age=40, contributes_to_pension=False)]
    assert deprivations(members)["informal_work"]


def test_employed_pensioner_is_formal() -> None:
    members = [person(age=66, contributes_to_pension=False, receives_pension=True)]
    assert not deprivations(members)["informal_work"]


def test_short_term_unemployed_member_makes_the_household_informal() -> None:
    members = [person(), person(age=30, activity="unemployed", unemployed_months=3)]
    assert deprived_in(members) == {"informal_work"}


def test_long_term_unemployed_member_counts_in_unemployment_not_informality() -> None:
    members = [person(), person(age=30, activity="unemployed", unemployed_months=13)]
    assert deprived_in(members) == {"long_term_unemployment"}


def test_working_child_counts_in_child_labour_not_informality() -> None:
    members = [person(), child(age=15, activity="employed", contributes_to_pension=False)]
    assert deprived_in(members) == {"child_labour"}


def test_household_without_active_members_is_deprived_in_informal_work() -> None:
    members = [person(activity="inactive", contributes_to_pension=False)]
    assert "informal_work" in deprived_in(members)
    method = ECV.with_options(no_active_member_informal_deprived=False)
    assert "informal_work" not in deprived_in(members, method=method)


def test_all_pensioner_household_is_not_deprived_in_informal_work() -> None:
    pensioners = [
        person(age=70, activity="inactive", receives_pension=True),
        person(age=68, activity="inactive", receives_pension=True, relationship="spouse"),
    ]
    assert "informal_work" not in deprived_in(pensioners)
    method = ECV.with_options(all_pensioner_informal_exempt=False)
    assert "informal_work" in deprived_in(pensioners, method=method)


def test_pensioner_exemption_needs_every_member_to_receive_a_pension() -> None:
    members = [person(age=70, activity="inactive", receives_pension=True), child(age=10)]
    assert "informal_work" in deprived_in(members)


# --------------------------------------------------------------------------- census: dependency


def test_census_method_replaces_long_term_unemployment_with_economic_dependency() -> None:
    assert "long_term_unemployment" not in CNPV.codes
    assert "high_economic_dependency" in CNPV.codes
    assert "high_economic_dependency" not in ECV.codes


@pytest.mark.parametrize(("members", "deprived"), [(3, False), (4, True)])
def test_high_dependency_when_more_than_3_persons_per_employed_member(
    members: int, deprived: bool
) -> None:
    people = [person()] + [child(age=8 + i) for i in range(members - 1)]
    assert deprivations(people, method=CNPV, sleeping_rooms=5)["high_economic_dependency"] is (
        deprived
    )


def test_high_dependency_when_no_member_is_employed() -> None:
    members = [person(activity="inactive", contributes_to_pension=False)]
    assert deprivations(members, method=CNPV)["high_economic_dependency"]
    method = CNPV.with_options(no_employed_dependency_deprived=False)
    assert not deprivations(members, method=method)["high_economic_dependency"]


def test_census_informality_keeps_long_term_unemployed_in_the_active_population() -> None:
    members = [person(), person(age=30, activity="unemployed", unemployed_months=20)]
    assert deprivations(members, method=CNPV)["informal_work"]


# --------------------------------------------------------------------------- health


@pytest.mark.parametrize(("age", "deprived"), [(5, False), (6, True), (40, True)])
def test_no_health_insurance_for_members_6_and_older(age: int, deprived: bool) -> None:
    who = (
        child(age=age, health_insured=False) if age < 18 else person(age=age, health_insured=False)
    )
    assert deprivations([person(), who])["no_health_insurance"] is deprived


def test_uninsured_child_under_6_counts_in_early_childhood_instead() -> None:
    members = [person(), child(age=4, health_insured=False)]
    assert deprived_in(members) == {"early_childhood_barriers"}


def test_health_access_barrier_when_a_need_was_not_attended() -> None:
    needed = person(health_need_last_30_days=True, health_need_attended=False)
    assert deprivations([needed])["health_access_barriers"]


def test_no_barrier_when_the_need_was_attended_or_there_was_none() -> None:
    attended = person(health_need_last_30_days=True, health_need_attended=True)
    no_need = person(health_need_last_30_days=False, health_need_attended=False)
    assert not deprivations([attended])["health_access_barriers"]
    assert not deprivations([no_need])["health_access_barriers"]


def test_need_with_unknown_attention_follows_the_missing_answer_option() -> None:
    unknown = person(health_need_last_30_days=True, health_need_attended=None)
    assert not deprivations([unknown])["health_access_barriers"]
    method = ECV.with_options(missing_answer_deprives=True)
    assert deprivations([unknown], method=method)["health_access_barriers"]


# --------------------------------------------------------------------------- housing

WATER = [
    ("aqueduct", False, False),
    ("well_with_pump", True, False),
    ("well_without_pump", True, True),
    ("rainwater", True, True),
    ("river_or_spring", True, True),
    ("tanker_truck", True, True),
    ("water_vendor", True, True),
    ("bottled_water", True, True),
    ("other", True, False),
]


@pytest.mark.parametrize(("source", "urban", "rural"), WATER)
def test_water_urban_needs_aqueduct_rural_needs_an_improved_source(
    source: str, urban: bool, rural: bool
) -> None:
    assert deprivations([person()], water_source=source, zone="urban")["no_improved_water"] is urban
    assert deprivations([person()], water_source=source, zone="rural")["no_improved_water"] is rural


SANITATION = [
    ("sewer", False, False),
    ("septic_tank", True, False),
    ("no_connection", True, True),
    ("latrine", True, False),
    ("bajamar", True, True),
    ("none", True, True),
]


@pytest.mark.parametrize(("toilet", "urban", "rural"), SANITATION)
def test_sanitation_urban_needs_sewer_rural_latrine_is_adequate(
    toilet: str, urban: bool, rural: bool
) -> None:
    assert deprivations([person()], toilet=toilet, zone="urban")["inadequate_sanitation"] is urban
    assert deprivations([person()], toilet=toilet, zone="rural")["inadequate_sanitation"] is rural


@pytest.mark.parametrize(
    ("floor", "deprived"),
    [
        ("earth_sand", True),
        ("cement_gravel", False),
        ("rough_wood", False),
        ("tile_brick", False),
        ("polished_wood_marble", False),
        ("carpet", False),
    ],
)
@pytest.mark.parametrize("zone", ["urban", "rural"])
def test_floors_deprived_only_for_earth_or_sand(floor: str, deprived: bool, zone: str) -> None:
    assert (
        deprivations([person()], floor_material=floor, zone=zone)["inadequate_floors"] is deprived
    )


WALLS = [
    ("brick_block_stone", False, False),
    ("prefab", False, False),
    ("tapia_adobe", False, False),
    ("bahareque", False, False),
    ("rough_wood", True, False),
    ("polished_wood", False, False),
    ("guadua_cane_plant", True, True),
    ("zinc_cloth_cardboard_waste", True, True),
    ("none", True, True),
]


@pytest.mark.parametrize(("wall", "urban", "rural"), WALLS)
def test_walls_rough_wood_deprives_only_in_urban_areas(wall: str, urban: bool, rural: bool) -> None:
    assert deprivations([person()], wall_material=wall, zone="urban")["inadequate_walls"] is urban
    assert deprivations([person()], wall_material=wall, zone="rural")["inadequate_walls"] is rural


@pytest.mark.parametrize(
    ("persons", "rooms", "urban", "rural"),
    [
        (2, 1, False, False),
        (3, 1, True, False),  # exactly 3: urban >= 3 deprived, rural > 3 not
        (4, 1, True, True),
        (6, 2, True, False),
        (7, 2, True, True),
        (5, 2, False, False),
        (1, 0, True, True),  # no sleeping room
    ],
)
def test_overcrowding_urban_at_3_or_more_rural_above_3(
    persons: int, rooms: int, urban: bool, rural: bool
) -> None:
    members = [person()] + [child(age=10) for _ in range(persons - 1)]
    for zone, expected in (("urban", urban), ("rural", rural)):
        got = deprivations(members, sleeping_rooms=rooms, zone=zone)["critical_overcrowding"]
        assert got is expected, (zone, persons, rooms)


# --------------------------------------------------------------------------- frames


def test_output_has_one_boolean_column_per_indicator_in_method_order() -> None:
    hh, p = frames([household("h1"), household("h2")], [person("h1"), person("h2")])
    out = household_deprivations(hh, p, method=ECV).collect()
    assert out.columns == ["household_id", "persons", *(f"deprived_{c}" for c in ECV.codes)]
    assert all(out[f"deprived_{c}"].dtype == pl.Boolean for c in ECV.codes)
    assert out.height == 2


def test_households_are_kept_apart() -> None:
    hh, p = frames(
        [household("h1"), household("h2")],
        [person("h1"), person("h2", can_read_write=False)],
    )
    out = household_deprivations(hh, p, method=ECV).collect().sort("household_id")
    assert out["deprived_illiteracy"].to_list() == [False, True]


def test_household_without_persons_keeps_its_row_with_zero_persons() -> None:
    hh, p = frames([household("h1"), household("h2")], [person("h1")])
    out = household_deprivations(hh, p, method=ECV).collect().sort("household_id")
    assert out["persons"].to_list() == [1, 0]


def test_age_is_computed_from_birth_date_at_as_of_when_missing() -> None:
    # given a child born 2012-07-01 with 5 approved years and no age column
    kid = child(age=11, birth_date=date(2012, 7, 1), years_of_schooling=5)
    hh, p = frames([household()], [person(), kid])
    p = p.drop("age")
    # when the reference date is the day before / the day of the 12th birthday
    at_11 = household_deprivations(hh, p, method=ECV, as_of=date(2024, 6, 30)).collect()
    at_12 = household_deprivations(hh, p, method=ECV, as_of=date(2024, 7, 1)).collect()
    # then at 11 five years are enough (11 - 6 = 5), at 12 they are not
    assert at_11["deprived_school_lag"].item() is False
    assert at_12["deprived_school_lag"].item() is True


def test_age_in_full_years() -> None:
    born = pl.lit(date(2010, 6, 30))
    assert pl.select(age_in_years(born, date(2024, 6, 29))).item() == 13
    assert pl.select(age_in_years(born, date(2024, 6, 30))).item() == 14
    leap = pl.lit(date(2012, 2, 29))
    assert pl.select(age_in_years(leap, date(2024, 2, 28))).item() == 11
    assert pl.select(age_in_years(leap, date(2024, 2, 29))).item() == 12


def test_missing_age_without_as_of_is_an_error() -> None:
    hh, p = frames([household()], [person()])
    with pytest.raises(ValueError, match="as_of"):
        household_deprivations(hh, p.drop("age"), method=ECV)


def test_household_attributes_take_the_head_and_any_member() -> None:
    hh, p = frames(
        [household("h1", municipality_code="68001", zone="rural"), household("h2")],
        [
            child("h1", age=10, sex="male", victim=True),
            person("h1", sex="male", ethnicity="afrocolombian"),
            person("h2", relationship="spouse", disability=True),
        ],
    )
    out = household_attributes(hh, p).collect().sort("household_id").rows(named=True)
    assert out[0] == {
        "household_id": "h1",
        "municipality_code": "68001",
        "department_code": "68",
        "zone": "rural",
        "head_sex": "male",
        "head_ethnicity": "afrocolombian",
        "any_disability": False,
        "any_victim": True,
    }
    assert out[1]["head_sex"] is None  # no member is the head
    assert out[1]["any_disability"] is True
