"""Methods as data: codes, exact weights, dimensions, options, and parsing k exactly."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from oferta.engine.diagnostics.methods import DEFAULT_K, METHODS, IpmMethod, parse_k

ISSUE_CODES = (
    "low_educational_attainment",
    "illiteracy",
    "school_non_attendance",
    "school_lag",
    "early_childhood_barriers",
    "child_labour",
    "long_term_unemployment",
    "informal_work",
    "no_health_insurance",
    "health_access_barriers",
    "no_improved_water",
    "inadequate_sanitation",
    "inadequate_floors",
    "inadequate_walls",
    "critical_overcrowding",
)


def test_both_dane_methods_are_registered() -> None:
    assert set(METHODS) == {"dane-ecv-2018", "dane-cnpv-2018"}


def test_survey_method_has_the_15_indicator_codes_of_the_issue() -> None:
    assert METHODS["dane-ecv-2018"].codes == ISSUE_CODES


def test_census_method_swaps_long_term_unemployment_for_economic_dependency() -> None:
    expected = tuple(
        "high_economic_dependency" if c == "long_term_unemployment" else c for c in ISSUE_CODES
    )
    assert METHODS["dane-cnpv-2018"].codes == expected


@pytest.mark.parametrize("code", sorted(METHODS))
def test_weights_are_exact_and_nested(code: str) -> None:
    method = METHODS[code]
    assert sum(i.weight for i in method.indicators) == 1
    for dim in method.dimensions:
        assert dim.weight == Fraction(1, 5)
        weights = {i.weight for i in method.indicators if i.dimension == dim.code}
        assert len(weights) == 1  # equal shares within a dimension
    by_code = {i.code: i.weight for i in method.indicators}
    assert by_code["illiteracy"] == Fraction("0.10")
    assert by_code["school_lag"] == Fraction("0.05")
    assert by_code["inadequate_floors"] == Fraction("0.04")
    assert method.unit_denominator == 100
    assert sum(method.weight_units().values()) == 100


def test_every_indicator_names_its_source() -> None:
    for method in METHODS.values():
        assert all(i.source and i.name_es for i in method.indicators)


def test_a_method_whose_weights_do_not_add_up_is_refused() -> None:
    ecv = METHODS["dane-ecv-2018"]
    bad = list(ecv.indicators)
    bad[0] = dataclasses.replace(bad[0], weight=Fraction("0.11"))
    with pytest.raises(ValueError, match="education"):
        IpmMethod(code="x", name_es="x", indicators=tuple(bad), dimensions=ecv.dimensions)


def test_options_have_the_documented_defaults() -> None:
    o = METHODS["dane-ecv-2018"].options
    assert o.no_adult_education_deprived
    assert o.no_active_member_unemployment_deprived
    assert o.no_active_member_informal_deprived
    assert o.all_pensioner_informal_exempt
    assert not o.missing_answer_deprives
    assert o.working_age_min == 12


def test_with_options_returns_a_variant_and_leaves_the_method_untouched() -> None:
    ecv = METHODS["dane-ecv-2018"]
    variant = ecv.with_options(working_age_min=15)
    assert variant.options.working_age_min == 15
    assert ecv.options.working_age_min == 12


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.33", Fraction(33, 100)),
        ("1/3", Fraction(1, 3)),
        ("33%", Fraction(33, 100)),
        ("0,33", Fraction(33, 100)),
        (" 0.5 ", Fraction(1, 2)),
        ("1", Fraction(1)),
    ],
)
def test_parse_k_is_exact(text: str, expected: Fraction) -> None:
    assert parse_k(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "0", "-0.1", "1.5", "1/0"])
def test_parse_k_refuses_bad_values(text: str) -> None:
    with pytest.raises(ValueError, match="k"):
        parse_k(text)


def test_default_k_is_exactly_33_hundredths() -> None:
    assert Fraction(33, 100) == DEFAULT_K
