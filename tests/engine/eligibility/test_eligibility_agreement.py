"""The two evaluators agree: the Polars compiler on a frame of many random households and the
interpreter household by household (and person by person), on random well-typed rules."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from oferta.engine.eligibility.compile import (
    compile_rule,
    evaluate_person_rules,
    evaluate_rules,
)
from oferta.engine.eligibility.interpret import evaluate_household, explain_es

from .strategies import household_frames, households, rules

# No shrinking: a shrink of a failing registry of a dozen households can run for minutes; the
# unshrunk example (rule texts and rows) is printed and reproducible with its seed.
SETTINGS = settings(
    deadline=None,
    phases=[Phase.explicit, Phase.generate, Phase.target],
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def registries(draw: st.DrawFn) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    size = draw(st.integers(min_value=1, max_value=12))
    return [draw(households(f"h{i}")) for i in range(size)]


@settings(SETTINGS, max_examples=300)
@given(
    registry=registries(),
    texts=st.lists(rules("household"), min_size=1, max_size=4),
)
def test_compiler_and_interpreter_agree_on_household_rules(
    registry: list[tuple[dict[str, Any], list[dict[str, Any]]]], texts: list[str]
) -> None:
    # given random households and random household rules
    compiled = {f"r{i}": compile_rule(text) for i, text in enumerate(texts)}
    households_lf, persons_lf = household_frames(registry)
    # when all rules are evaluated in bulk
    bulk = evaluate_rules(compiled, households_lf, persons_lf).collect()
    # then each household's result is the interpreter's
    assert bulk["household_id"].to_list() == [h["household_id"] for h, _ in registry]
    for row, (household, people) in zip(bulk.iter_rows(named=True), registry, strict=True):
        for rule_id, rule in compiled.items():
            trace = evaluate_household(rule, household=household, members=people)
            assert row[rule_id] is trace.result, (rule.expression, household, people)
            assert explain_es(trace)


@settings(SETTINGS, max_examples=200)
@given(
    registry=registries(),
    texts=st.lists(rules("person"), min_size=1, max_size=3),
)
def test_compiler_and_interpreter_agree_on_person_rules(
    registry: list[tuple[dict[str, Any], list[dict[str, Any]]]], texts: list[str]
) -> None:
    # given random households and random rules aimed at persons
    compiled = {f"r{i}": compile_rule(text, scope="person") for i, text in enumerate(texts)}
    households_lf, persons_lf = household_frames(registry)
    # when they are evaluated for every person in bulk
    bulk = evaluate_person_rules(compiled, households_lf, persons_lf).collect()
    results = {row["person_id"]: row for row in bulk.iter_rows(named=True)}
    # then each person's result is the interpreter's
    assert len(results) == sum(len(people) for _, people in registry)
    for household, people in registry:
        for person in people:
            for rule_id, rule in compiled.items():
                trace = evaluate_household(rule, household=household, members=people, person=person)
                assert results[person["person_id"]][rule_id] is trace.result, (
                    rule.expression,
                    household,
                    person,
                )
