"""Evaluation frame, compiler, interpreter traces, Spanish explanations and templates, on tiny
hand-built frames."""

from __future__ import annotations

import doctest
from typing import Any

import polars as pl
import pytest

from oferta.engine.eligibility import compile as compile_module
from oferta.engine.eligibility import frame as frame_module
from oferta.engine.eligibility import interpret as interpret_module
from oferta.engine.eligibility import messages as messages_module
from oferta.engine.eligibility import templates as templates_module
from oferta.engine.eligibility.checker import check_rule
from oferta.engine.eligibility.compile import (
    compile_rule,
    eligible_pairs,
    evaluate_person_rules,
    evaluate_rules,
)
from oferta.engine.eligibility.errors import RuleError, RuleNotSupportedError
from oferta.engine.eligibility.frame import (
    HOUSEHOLD_FRAME_COLUMNS,
    PERSON_FRAME_COLUMNS,
    household_frame,
    person_frame,
)
from oferta.engine.eligibility.interpret import evaluate_household, explain_es
from oferta.engine.eligibility.templates import TEMPLATES
from oferta.engine.eligibility.variables import HOUSEHOLD_VARIABLES, PERSON_FIELDS


@pytest.mark.parametrize(
    "module",
    [compile_module, frame_module, interpret_module, messages_module, templates_module],
)
def test_docstring_examples_run(module: Any) -> None:
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0


# --- frames -------------------------------------------------------------------------------


def _registry() -> tuple[pl.LazyFrame, pl.LazyFrame, pl.LazyFrame]:
    households = pl.LazyFrame(
        {
            "household_id": ["h1", "h2"],
            "municipality_code": ["27001", "05001"],
            "zone": pl.Series(["rural", "urban"], dtype=pl.Enum(["urban", "rural"])),
            "sisben_group": ["A1", None],
            "programs": [["unidos"], None],
            "accompaniment": [True, None],
        }
    )
    persons = pl.LazyFrame(
        {
            "household_id": ["h1", "h1", "h2"],
            "person_id": ["p1", "p2", "p3"],
            "sex": ["female", "male", "male"],
            "relationship": ["head", "child", "head"],
            "age": pl.Series([34, 4, 70], dtype=pl.Int16),
        }
    )
    diagnosis = pl.LazyFrame(
        {
            "household_id": ["h2", "h1"],
            "deprived_illiteracy": [True, None],
            "score": [0.2, 0.5],
            "poor": [False, True],
            "income_per_capita": [900_000.0, 100_000.0],
            "monetary_status": ["not_poor", "extreme_poor"],
            "quadrant": ["neither", "both"],
        }
    )
    return households, persons, diagnosis


def test_household_frame_has_every_household_variable() -> None:
    frame = household_frame(*_registry()).collect()
    assert frame.columns == list(HOUSEHOLD_FRAME_COLUMNS)
    assert set(HOUSEHOLD_VARIABLES) - {"members"} <= set(frame.columns)


def test_household_frame_derives_territory_sisben_size_and_head() -> None:
    # given a household of a head woman and a child in Quibdó, group A1
    frame = household_frame(*_registry()).collect()
    h1, h2 = frame.rows(named=True)
    # then the derived variables are filled from the registry and the diagnosis
    assert (h1["department_code"], h1["sisben_rank"], h1["household_size"]) == ("27", 1, 2)
    assert h1["female_head"] is True
    assert h2["female_head"] is False
    assert (h1["ipm_score"], h1["ipm_poor"], h1["quadrant"]) == (0.5, True, "both")
    assert h2["sisben_rank"] is None
    assert h2["programs"] == []


def test_household_frame_makes_absent_or_missing_deprivations_false() -> None:
    frame = household_frame(*_registry()).collect()
    assert frame["deprived_illiteracy"].to_list() == [False, True]
    assert frame["deprived_high_economic_dependency"].to_list() == [False, False]


def test_person_frame_has_member_fields_and_head_flag() -> None:
    _, persons, _ = _registry()
    frame = person_frame(persons).collect()
    assert frame.columns == list(PERSON_FRAME_COLUMNS)
    assert set(PERSON_FIELDS) <= set(frame.columns)
    assert frame["is_head"].to_list() == [True, False, True]


def test_rules_run_on_the_frames_built_from_a_registry() -> None:
    households, persons, diagnosis = _registry()
    hh = household_frame(households, persons, diagnosis)
    pp = person_frame(persons)
    rules = {
        "early": compile_rule("members.exists(m, m.age <= 5) && sisben_rank <= 9"),
        "elderly": compile_rule("person.age >= 60", scope="person"),
    }
    pairs = eligible_pairs(rules, hh, pp).collect()
    assert sorted(pairs.rows()) == [("h1", "early", None), ("h2", "elderly", "p3")]


# --- compiler -----------------------------------------------------------------------------


def test_invalid_rule_raises_rule_error_with_the_checker_problems() -> None:
    with pytest.raises(RuleError) as caught:
        compile_rule("edad > 60", scope="person")
    assert [p.kind for p in caught.value.problems] == ["unknown_variable"]
    assert "unknown_variable at 1:1" in str(caught.value)


def test_unsupported_form_names_its_position_in_spanish() -> None:
    with pytest.raises(RuleNotSupportedError) as caught:
        compile_rule("members.exists(m, members.exists(n, n.age > m.age))")
    error = caught.value
    assert error.construct == "nested_members"
    assert (error.position.line, error.position.column) == (1, 19)
    assert error.message_es.startswith("Línea 1, columna 19: ")
    assert isinstance(error, RuleError)


def test_unsupported_regex_is_refused() -> None:
    with pytest.raises(RuleNotSupportedError, match="regex_syntax"):
        compile_rule('municipality_code.matches("(?=05)")')


HOUSEHOLDS = pl.LazyFrame(
    {
        "household_id": ["h1", "h2", "h3"],
        "sisben_rank": [3, None, 20],
        "income_per_capita": [100_000.0, None, 300_000.0],
        "zone": pl.Series(["rural", "urban", None], dtype=pl.Enum(["urban", "rural"])),
    }
)
PERSONS = pl.LazyFrame(
    {
        "household_id": ["h1", "h1", "h2"],
        "person_id": ["a", "b", "c"],
        "age": pl.Series([4, None, 70], dtype=pl.Int16),
    }
)


def _results(rule: str) -> list[bool]:
    frame = evaluate_rules({"r": compile_rule(rule)}, HOUSEHOLDS, PERSONS).collect()
    return frame["r"].to_list()


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("sisben_rank <= 9", [True, False, False]),
        ("!(sisben_rank <= 9)", [False, True, True]),
        ("sisben_rank > 9 || sisben_rank <= 9", [True, False, True]),
        ("sisben_rank == null", [False, True, False]),
        ('zone != "urban"', [True, False, False]),
        ("income_per_capita <= 100000", [True, False, False]),
        ("sisben_rank / 0 == 0", [False, False, False]),
        ("-7 / 2 == -3 && -7 % 2 == -1", [True, True, True]),
    ],
)
def test_missing_values_never_satisfy_a_condition(rule: str, expected: list[bool]) -> None:
    assert _results(rule) == expected


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("members.exists(m, m.age < 6)", [True, False, False]),
        ("members.all(m, m.age < 6)", [False, False, True]),
        ("members.exists_one(m, m.age >= 0)", [True, True, False]),
        ("members.filter(m, m.age == null).size() == 1", [True, False, False]),
        ("size(members) == 2", [True, False, False]),
        ("70 in members.map(m, m.age)", [False, True, False]),
    ],
)
def test_member_comprehensions_count_the_household_persons(rule: str, expected: list[bool]) -> None:
    assert _results(rule) == expected


def test_identical_member_conditions_are_counted_once() -> None:
    a = compile_rule("members.exists(m, m.age < 6)")
    b = compile_rule("members.filter(x, x.age < 6).size() >= 2")
    assert [c.name for c in a.counts] == [c.name for c in b.counts]


def test_person_rules_give_one_row_per_person() -> None:
    rules = {"young": compile_rule("person.age < 18 && sisben_rank <= 9", scope="person")}
    frame = evaluate_person_rules(rules, HOUSEHOLDS, PERSONS).collect()
    assert frame.rows() == [("h1", "a", True), ("h1", "b", False), ("h2", "c", False)]


# --- interpreter and explanations -----------------------------------------------------------


def test_trace_of_a_failing_age_band_names_the_clause_value_and_position() -> None:
    trace = evaluate_household(
        "person.age >= 14 && person.age <= 28", household={}, members=[], person={"age": 30}
    )
    assert trace.result is False
    (failing,) = trace.failing
    data = failing.as_dict()
    assert data["clause"] == "person.age <= 28"
    assert data["values"] == {"person.age": 30}
    assert data["position"] == {"line": 1, "column": 32}
    assert explain_es(trace) == "no cumple: edad 30 > 28"


def test_trace_of_an_or_lists_every_false_operand() -> None:
    trace = evaluate_household(
        'zone == "rural" || sisben_rank <= 9 || accompaniment',
        household={"zone": "urban", "sisben_rank": 14, "accompaniment": False},
        members=[],
    )
    assert [c.clause for c in trace.failing] == [
        'zone == "rural"',
        "sisben_rank <= 9",
        "accompaniment",
    ]
    assert explain_es(trace) == (
        "no cumple: zona urban ≠ rural y posición Sisbén 14 > 9 y acompañamiento familiar: no"
    )


def test_trace_of_a_comprehension_names_the_member() -> None:
    members = [{"age": 40}, {"age": 70}]
    held = evaluate_household("members.exists(m, m.age >= 60)", household={}, members=members)
    failed = evaluate_household("members.all(m, m.age < 60)", household={}, members=members)
    none = evaluate_household("members.exists(m, m.age < 6)", household={}, members=members)
    assert (held.result, held.clause.member) == (True, 1)
    assert (failed.result, failed.clause.member) == (False, 1)
    assert explain_es(failed) == "no cumple: el integrante 2 no cumple «m.age < 60» (edad 70 ≥ 60)"
    assert explain_es(none) == "no cumple: ningún integrante cumple «m.age < 6»"


def test_missing_value_is_explained_as_missing() -> None:
    trace = evaluate_household("sisben_rank <= 9", household={}, members=[])
    assert explain_es(trace) == "no cumple: posición Sisbén sin dato"


def test_negated_clause_explains_the_fact_that_held() -> None:
    trace = evaluate_household(
        '!("familias_en_accion" in programs)',
        household={"programs": ["familias_en_accion"]},
        members=[],
    )
    assert (
        explain_es(trace) == "no cumple: familias_en_accion está en programas [familias_en_accion]"
    )


def test_interpreter_refuses_what_the_compiler_refuses() -> None:
    with pytest.raises(RuleNotSupportedError):
        evaluate_household("{'a': 1}['a'] == 1", household={}, members=[])


# --- templates ------------------------------------------------------------------------------


def test_every_template_output_checks_clean_in_its_scopes() -> None:
    samples: dict[str, list[dict[str, Any]]] = {
        "sisben_between": [{"lowest": "A1", "highest": "B4"}],
        "in_programs": [{"programs": ["unidos"]}, {"programs": ["unidos", "iraca"]}],
        "age_band": [{"minimum": 14, "maximum": 28}, {"minimum": 60}],
        "has_member_in_age_band": [{"maximum": 5}, {"minimum": 6, "maximum": 17, "at_least": 2}],
        "deprived_in": [{"indicators": ["illiteracy", "school_lag"]}],
        "ethnicity_any_of": [
            {"ethnicities": ["indigenous"]},
            {"ethnicities": ["rrom"], "target": "person"},
        ],
        "victim": [{}, {"target": "person"}],
        "with_disability": [{}, {"target": "person"}],
        "female_head": [{}],
        "in_territory": [{"departments": ["27"]}, {"municipalities": ["44847", "44001"]}],
    }
    assert set(samples) == set(TEMPLATES)
    for key, template in TEMPLATES.items():
        for parameters in samples[key]:
            rule = template.build(**parameters)
            scope = "person" if "person." in rule else "household"
            assert scope in template.scopes or parameters.get("target") == "person"
            assert check_rule(rule, scope=scope) == [], (key, rule)
            compile_rule(rule, scope=scope)


def test_sisben_range_template_gives_ranks() -> None:
    assert templates_module.sisben_between("A1", "B4") == "sisben_rank >= 1 && sisben_rank <= 9"
    with pytest.raises(ValueError, match="after"):
        templates_module.sisben_between("B4", "A1")


def test_template_refuses_unknown_codes() -> None:
    with pytest.raises(ValueError, match="unknown values"):
        templates_module.deprived_in(["no_water"])
