"""Hypothesis strategies for the evaluators: random households with members (with missing
values) and random well-typed rules that exercise every supported form."""

from __future__ import annotations

from typing import Any

import polars as pl
from hypothesis import strategies as st

from oferta.engine.eligibility.variables import (
    ACTIVITIES,
    ETHNICITIES,
    HOUSEHOLD_VARIABLES,
    IPM_INDICATORS,
    MONETARY_STATUSES,
    PERSON_FIELDS,
    PROGRAMS,
    QUADRANTS,
    RELATIONSHIPS,
    SEXES,
    SISBEN_GROUPS,
    ZONES,
)

from .test_eligibility_properties import (
    COMPARISONS,
    SMALL_INTS,
    _household_atom,
    _member_condition,
)

MUNICIPALITIES = ["05001", "11001", "76109", "27001", "44847"]

HOUSEHOLD_DTYPES: dict[str, Any] = {
    "household_id": pl.String,
    "municipality_code": pl.String,
    "department_code": pl.String,
    "zone": pl.Enum(ZONES),
    "sisben_group": pl.String,
    "sisben_rank": pl.Int64,
    "programs": pl.List(pl.String),
    "accompaniment": pl.Boolean,
    "income_per_capita": pl.Float64,
    "monetary_status": pl.String,
    "quadrant": pl.String,
    "ipm_score": pl.Float64,
    "ipm_poor": pl.Boolean,
    "household_size": pl.Int64,
    "female_head": pl.Boolean,
    **{f"deprived_{code}": pl.Boolean for code in IPM_INDICATORS},
}
PERSON_DTYPES: dict[str, Any] = {
    "household_id": pl.String,
    "person_id": pl.String,
    "age": pl.Int16,
    "sex": pl.Enum(SEXES),
    "relationship": pl.Enum(RELATIONSHIPS),
    "ethnicity": pl.Enum(ETHNICITIES),
    "disability": pl.Boolean,
    "victim": pl.Boolean,
    "can_read_write": pl.Boolean,
    "years_of_schooling": pl.Int16,
    "attends_school": pl.Boolean,
    "activity": pl.Enum(ACTIVITIES),
    "unemployed_months": pl.Int16,
    "contributes_to_pension": pl.Boolean,
    "receives_pension": pl.Boolean,
    "health_insured": pl.Boolean,
    "is_head": pl.Boolean,
}
assert set(HOUSEHOLD_DTYPES) - {"household_id"} == set(HOUSEHOLD_VARIABLES) - {"members"}
assert set(PERSON_DTYPES) - {"household_id", "person_id"} == set(PERSON_FIELDS)


def _maybe(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), values, values, values)


BOOLS = _maybe(st.booleans())


@st.composite
def members(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "age": draw(_maybe(st.integers(0, 95))),
        "sex": draw(_maybe(st.sampled_from(SEXES))),
        "relationship": draw(_maybe(st.sampled_from(RELATIONSHIPS))),
        "ethnicity": draw(_maybe(st.sampled_from(ETHNICITIES))),
        "disability": draw(BOOLS),
        "victim": draw(BOOLS),
        "can_read_write": draw(BOOLS),
        "years_of_schooling": draw(_maybe(st.integers(0, 20))),
        "attends_school": draw(BOOLS),
        "activity": draw(_maybe(st.sampled_from(ACTIVITIES))),
        "unemployed_months": draw(_maybe(st.integers(0, 40))),
        "contributes_to_pension": draw(BOOLS),
        "receives_pension": draw(BOOLS),
        "health_insured": draw(BOOLS),
        "is_head": draw(BOOLS),
    }


@st.composite
def households(draw: st.DrawFn, household_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    people = draw(st.lists(members(), max_size=4))
    municipality = draw(_maybe(st.sampled_from(MUNICIPALITIES)))
    group = draw(_maybe(st.sampled_from(SISBEN_GROUPS)))
    household = {
        "household_id": household_id,
        "municipality_code": municipality,
        "department_code": municipality[:2] if municipality else None,
        "zone": draw(_maybe(st.sampled_from(ZONES))),
        "sisben_group": group,
        "sisben_rank": SISBEN_GROUPS.index(group) + 1 if group else None,
        "programs": draw(st.lists(st.sampled_from(PROGRAMS), max_size=3, unique=True)),
        "accompaniment": draw(BOOLS),
        "income_per_capita": draw(
            _maybe(st.sampled_from([0.0, 150000.0, 218846.0, 350000.5, 1e6]))
        ),
        "monetary_status": draw(_maybe(st.sampled_from(MONETARY_STATUSES))),
        "quadrant": draw(_maybe(st.sampled_from(QUADRANTS))),
        "ipm_score": draw(_maybe(st.sampled_from([0.0, 0.2, 1 / 3, 0.33, 0.5, 1.0]))),
        "ipm_poor": draw(BOOLS),
        "household_size": len(people),
        "female_head": draw(st.booleans()),
        **{f"deprived_{code}": draw(st.booleans()) for code in IPM_INDICATORS},
    }
    for i, person in enumerate(people):
        person["household_id"] = household_id
        person["person_id"] = f"{household_id}-{i}"
    return household, people


MEMBER_EXTRAS = [
    "{v}.age / 2 > 10",
    "{v}.age % 3 == 1",
    "{v}.age >= 17.5",
    "{v}.age - {v}.years_of_schooling > 7",
    "{v}.years_of_schooling < {v}.age - 7",
    '{v}.sex.startsWith("f")',
    '{v}.ethnicity.endsWith("n")',
    '{v}.activity.contains("employ")',
    '{v}.relationship.matches("^(head|spouse)$")',
    '{v}.ethnicity in ["none", "rrom", "raizal"]',
    "{v}.unemployed_months != null",
    "{v}.unemployed_months == null",
    "({v}.is_head ? {v}.age : 0) > 40",
    "({v}.disability ? 1 : {v}.unemployed_months) >= 1",
    "-{v}.age < -30",
    "{v}.sex < {v}.activity",
    "{v}.victim == {v}.disability",
    "{v}.age == {v}.years_of_schooling",
    "{v}.age / 0 == 0",
    "{v}.age % ({v}.age - {v}.age) != 1",
    "double({v}.age) / 2.0 >= 8.5",
    'string({v}.years_of_schooling) == "11"',
    '{v}["age"] <= 30',
    "{v}.age == 30 || {v}.age == null",
    "{v}.age in [5, 6.0, 7]",
    "!{v}.health_insured",
]


def member_condition(var: str) -> st.SearchStrategy[str]:
    extras = st.sampled_from(MEMBER_EXTRAS).map(lambda t: t.format(v=var))
    atoms = st.one_of(_member_condition(var), extras)
    return st.recursive(
        atoms,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["&&", "||"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            inner.map(lambda e: f"!({e})"),
        ),
        max_leaves=3,
    )


HOUSEHOLD_EXTRAS = [
    "sisben_rank < 9.5",
    "income_per_capita >= 218846",
    "income_per_capita <= 218846.0",
    "ipm_score * 3.0 >= 1.0",
    "ipm_score >= 1 / 3",
    "household_size / 2 >= 1",
    "household_size % 3 == 1",
    "sisben_rank - 10 < 0",
    "sisben_rank / 0 > 1",
    "(zone == 'rural' ? 12 : 9) >= sisben_rank",
    "(accompaniment ? income_per_capita : 0.0) < 300000.0",
    "(ipm_poor ? null : sisben_rank) <= 9",
    '(zone == "urban" ? "11" : department_code) == department_code',
    'municipality_code.endsWith("1")',
    'municipality_code.contains("00")',
    'municipality_code.matches("^(05|11)")',
    'sisben_group.matches("^[AB][1-4]$")',
    'zone.startsWith("ru")',
    "zone < monetary_status",
    "quadrant >= municipality_code",
    "size(municipality_code) == 5",
    "size(programs) >= 1",
    "programs.size() == 0",
    'programs[0] == "unidos"',
    "programs[1] != null",
    'sisben_group in ["A1", "B4", "C1"]',
    'monetary_status in ["poor", "extreme_poor"]',
    'string(household_size) == "3"',
    "double(household_size) > 2.5",
    "int(income_per_capita) > 100000",
    "int(ipm_score * 10.0) >= 3",
    '["unidos", "iraca"].exists(p, p in programs)',
    '["unidos", "iraca"].all(p, p in programs)',
    "[1, 2, 3].exists_one(x, x == household_size)",
    "zone == null",
    "income_per_capita != null",
    "sisben_rank == null || sisben_rank > 20",
    "null == null",
    "ipm_poor == accompaniment",
    "accompaniment != true",
    '"female" in members.map(m, m.sex)',
    "60 in members.map(m, m.age)",
    "null in members.map(m, m.unemployed_months)",
    "members.map(m, m.age).exists(a, a >= 60)",
    "members.map(m, m.age >= 18, m.years_of_schooling).all(y, y >= 9)",
    "members.map(m, m.age < 18, m.age).exists_one(a, a < 6)",
    'members.exists(m, m.age < 18 && zone == "rural")',
    "members.exists(m, m.age > household_size * 10)",
    "members.filter(m, m.age < 18).size() > members.filter(m, m.age >= 18).size()",
    "members.filter(m, m.victim).filter(m, m.age >= 18).size() >= 1",
    "size(members.filter(m, m.disability)) == 1",
    "size(members) > 2",
    "members.size() == household_size",
    "members.all(m, has(m.age))",
]


def household_condition(scope: str) -> st.SearchStrategy[str]:
    macros = st.tuples(st.sampled_from(["exists", "all", "exists_one"]), member_condition("m")).map(
        lambda t: f"members.{t[0]}(m, {t[1]})"
    )
    counts = st.tuples(member_condition("p"), COMPARISONS, SMALL_INTS).map(
        lambda t: f"members.filter(p, {t[0]}).size() {t[1]} {t[2]}"
    )
    atoms = [_household_atom(scope), st.sampled_from(HOUSEHOLD_EXTRAS), macros, counts]
    if scope == "person":
        atoms.append(member_condition("person"))
        atoms.append(member_condition("person"))
    return st.one_of(*atoms)


def rules(scope: str) -> st.SearchStrategy[str]:
    return st.recursive(
        household_condition(scope),
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["&&", "||"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            inner.map(lambda e: f"!({e})"),
            st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} ? ({t[1]}) : {t[2]})"),
        ),
        max_leaves=5,
    )


def household_frames(
    drawn: list[tuple[dict[str, Any], list[dict[str, Any]]]],
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """The household and person frames of drawn households, typed as in production."""
    household_rows = [household for household, _ in drawn]
    person_rows = [person for _, people in drawn for person in people]
    households_lf = pl.DataFrame(household_rows, schema=HOUSEHOLD_DTYPES).lazy()
    persons_lf = pl.DataFrame(person_rows, schema=PERSON_DTYPES).lazy()
    return households_lf, persons_lf
