"""diagnose(): the household table, the stacked aggregates and the summary on a tiny registry."""

from __future__ import annotations

from fractions import Fraction

import polars as pl
import pytest

from oferta.engine.diagnostics.indicators import hashed_keys_are_safe, household_frame
from oferta.engine.diagnostics.monetary import load_poverty_lines
from oferta.engine.diagnostics.pipeline import diagnose, household_output_columns

from .builders import AS_OF, CNPV, ECV, child, frames, household, person


def _registry() -> tuple[pl.LazyFrame, pl.LazyFrame]:
    return frames(
        [
            household(
                "h1",
                municipality_code="05001",
                floor_material="earth_sand",
                wall_material="none",
                monthly_income=300_000.0,
            ),
            household("h2", municipality_code="05001"),
            household("h3", municipality_code="68001", zone="rural", monthly_income=None),
        ],
        [
            person("h1", can_read_write=False, contributes_to_pension=False),
            child("h1", age=12, years_of_schooling=2),
            person("h2"),
            person("h3", sex="male", victim=True),
            child("h3", age=4, health_insured=False),
        ],
    )


def test_households_have_scores_monetary_status_and_quadrant() -> None:
    hh, p = _registry()
    result = diagnose(hh, p, method=ECV, lines=load_poverty_lines(), lines_year=2024)
    table = result.households.select(household_output_columns(ECV)).collect().sort("household_id")
    assert table["score_units"].to_list() == [33, 0, 5]
    assert table["poor"].to_list() == [True, False, False]
    assert table["monetary_status"].to_list() == ["extreme_poor", "not_poor", None]
    assert table["quadrant"].to_list() == ["both", "neither", None]
    assert table["income_per_capita"].to_list() == [150_000.0, 5_000_000.0, None]


def test_aggregates_stack_the_nation_and_each_grouping() -> None:
    hh, p = _registry()
    result = diagnose(hh, p, method=ECV, by=["department_code", "any_victim"])
    agg = result.aggregates
    assert agg.select("grouping", "group").rows() == [
        ("nation", None),
        ("department_code", "05"),
        ("department_code", "68"),
        ("any_victim", "false"),
        ("any_victim", "true"),
    ]
    assert agg["persons"].to_list() == [5, 3, 2, 3, 2]
    assert agg["H"][0] == pytest.approx(2 / 5)


def test_summary_is_json_ready_with_exact_k() -> None:
    hh, p = _registry()
    stages: list[str] = []
    result = diagnose(
        hh, p, method=CNPV, k=Fraction(1, 3), on_stage=lambda name, s: stages.append(name)
    )
    s = result.summary
    assert s["method"] == "dane-cnpv-2018"
    assert s["k"] == "1/3"
    assert s["counts"]["households"] == 3
    assert s["counts"]["persons"] == 5
    assert set(s["national"]) == {"H", "A", "M0"}
    assert stages
    assert set(stages) == set(s["timings_seconds"])


def test_ages_from_birth_dates_at_as_of() -> None:
    hh, p = _registry()
    with_ages = diagnose(hh, p, method=ECV).households.collect()
    from_dates = diagnose(hh, p.drop("age"), method=ECV, as_of=AS_OF).households.collect()
    assert with_ages.sort("household_id")["score_units"].to_list() == (
        from_dates.sort("household_id")["score_units"].to_list()
    )


def test_hashed_keys_give_the_same_table_as_text_keys() -> None:
    hh, p = _registry()
    text = household_frame(hh, p, method=ECV, attributes=True).collect().sort("household_id")
    hashed = household_frame(hh, p, method=ECV, attributes=True, hashed_keys=True).collect()
    assert hashed.sort("household_id").equals(text)
    assert hashed_keys_are_safe(hh.collect(), p.collect(), hashed)


def test_hashed_keys_are_not_trusted_when_a_person_is_left_out() -> None:
    hh, p = _registry()
    orphan = pl.concat([p, frames([], [person("nowhere")])[1]]).collect()
    hashed = household_frame(hh, orphan.lazy(), method=ECV, hashed_keys=True).collect()
    assert not hashed_keys_are_safe(hh.collect(), orphan, hashed)
