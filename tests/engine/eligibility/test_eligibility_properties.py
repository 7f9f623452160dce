"""Properties of the checker on generated rules: well-typed rules check clean; a one-token
mutation either still parses or gives a syntax problem placed inside the text, never a crash."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oferta.engine.eligibility.checker import check_rule
from oferta.engine.eligibility.syntax import RuleSyntaxError, parse, walk
from oferta.engine.eligibility.variables import HOUSEHOLD_VARIABLES, PERSON_FIELDS, Variable

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _of_type(variables: dict[str, Variable], cel_type: str) -> list[Variable]:
    return [v for v in variables.values() if v.cel_type == cel_type]


HOUSEHOLD_BOOLS = [v.name for v in _of_type(HOUSEHOLD_VARIABLES, "bool")]
HOUSEHOLD_INTS = [v.name for v in _of_type(HOUSEHOLD_VARIABLES, "int")]
HOUSEHOLD_DOUBLES = [v.name for v in _of_type(HOUSEHOLD_VARIABLES, "double")]
HOUSEHOLD_ENUMS = [v for v in _of_type(HOUSEHOLD_VARIABLES, "string") if v.values]
HOUSEHOLD_CODES = [v.name for v in _of_type(HOUSEHOLD_VARIABLES, "string") if not v.values]
MEMBER_BOOLS = [v.name for v in _of_type(PERSON_FIELDS, "bool")]
MEMBER_INTS = [v.name for v in _of_type(PERSON_FIELDS, "int")]
MEMBER_ENUMS = [v for v in _of_type(PERSON_FIELDS, "string") if v.values]

COMPARISONS = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])
SMALL_INTS = st.integers(min_value=0, max_value=60).map(str)
DOUBLES = st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda x: f"{x:.2f}")


def _enum_test(name: str, variable: Variable) -> st.SearchStrategy[str]:
    values = st.sampled_from(variable.values)
    return st.one_of(
        st.tuples(st.sampled_from(["==", "!="]), values).map(lambda t: f'{name} {t[0]} "{t[1]}"'),
        st.lists(values, min_size=1, max_size=3).map(
            lambda vs: f"{name} in [{', '.join(f'{v!r}'.replace(chr(39), chr(34)) for v in vs)}]"
        ),
    )


def _member_condition(var: str) -> st.SearchStrategy[str]:
    atoms = st.one_of(
        st.sampled_from(MEMBER_BOOLS).map(lambda f: f"{var}.{f}"),
        st.tuples(st.sampled_from(MEMBER_INTS), COMPARISONS, SMALL_INTS).map(
            lambda t: f"{var}.{t[0]} {t[1]} {t[2]}"
        ),
        st.sampled_from(MEMBER_ENUMS).flatmap(lambda v: _enum_test(f"{var}.{v.name}", v)),
        st.sampled_from(MEMBER_BOOLS).map(lambda f: f"has({var}.{f})"),
    )
    return st.recursive(
        atoms,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["&&", "||"]), inner).map(" ".join),
            inner.map(lambda e: f"!({e})"),
        ),
        max_leaves=3,
    )


def _household_atom(scope: str) -> st.SearchStrategy[str]:
    numbers = st.one_of(
        st.sampled_from(HOUSEHOLD_INTS),
        st.sampled_from(HOUSEHOLD_DOUBLES),
        st.just("size(members)"),
        st.just("members.size()"),
        SMALL_INTS,
        DOUBLES,
    )
    atoms = [
        st.sampled_from(HOUSEHOLD_BOOLS),
        st.tuples(numbers, COMPARISONS, numbers).map(" ".join),
        st.sampled_from(HOUSEHOLD_ENUMS).flatmap(lambda v: _enum_test(v.name, v)),
        st.sampled_from(["renta_ciudadana", "unidos", "otro_programa"]).map(
            lambda p: f'"{p}" in programs'
        ),
        st.tuples(st.sampled_from(HOUSEHOLD_CODES), st.sampled_from(["05", "11", "76"])).map(
            lambda t: f'{t[0]}.startsWith("{t[1]}")'
        ),
        st.tuples(st.sampled_from(["exists", "all", "exists_one"]), _member_condition("m")).map(
            lambda t: f"members.{t[0]}(m, {t[1]})"
        ),
        st.tuples(_member_condition("p"), COMPARISONS, SMALL_INTS).map(
            lambda t: f"members.filter(p, {t[0]}).size() {t[1]} {t[2]}"
        ),
    ]
    if scope == "person":
        atoms.append(_member_condition("person"))
    return st.one_of(*atoms)


def well_typed_rules(scope: str) -> st.SearchStrategy[str]:
    return st.recursive(
        _household_atom(scope),
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["&&", "||"]), inner).map(" ".join),
            inner.map(lambda e: f"!({e})"),
            inner.map(lambda e: f"({e})"),
            # CEL's grammar needs parentheses around a conditional inside a "then" branch.
            st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} ? ({t[1]}) : {t[2]})"),
            st.tuples(inner, inner).map(lambda t: f"{t[0]} &&\n  {t[1]}"),
        ),
        max_leaves=6,
    )


@SETTINGS
@given(rule=well_typed_rules("household"))
def test_well_typed_household_rules_check_clean(rule: str) -> None:
    assert check_rule(rule, scope="household") == []


@SETTINGS
@given(rule=well_typed_rules("person"))
def test_well_typed_person_rules_check_clean(rule: str) -> None:
    assert check_rule(rule, scope="person") == []


TOKEN = re.compile(
    r'"[^"\n]*"|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|&&|\|\||[<>=!]=|\S', re.MULTILINE
)
REPLACEMENTS = st.sampled_from(
    [
        "&&",
        "||",
        "!",
        "(",
        ")",
        "[",
        "]",
        ",",
        ".",
        "?",
        ":",
        "==",
        "<",
        "in",
        "zone",
        "m",
        "1",
        "2.5",
        '"x"',
        "'",
        '"',
        "@",
        "{",
        "}",
        "true",
        "null",
        "if",
        "-",
        "u",
    ]
)


@st.composite
def mutated_rules(draw: st.DrawFn) -> str:
    rule = draw(well_typed_rules("household"))
    tokens = list(TOKEN.finditer(rule))
    match = tokens[draw(st.integers(min_value=0, max_value=len(tokens) - 1))]
    action = draw(st.sampled_from(["delete", "replace", "insert", "duplicate"]))
    start, end = match.span()
    if action == "delete":
        return rule[:start] + rule[end:]
    if action == "duplicate":
        return rule[:end] + match.group() + rule[end:]
    token = draw(REPLACEMENTS)
    if action == "insert":
        return rule[:start] + token + " " + rule[start:]
    return rule[:start] + token + rule[end:]


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


@SETTINGS
@given(rule=mutated_rules())
def test_mutated_rules_parse_or_give_a_positioned_syntax_problem(rule: str) -> None:
    # when a rule with one token changed is checked, nothing raises
    problems = check_rule(rule)
    syntax = [p for p in problems if p.kind in ("syntax", "empty")]
    if not syntax:
        # then it parses (any other problems are about names or types)...
        parse(rule)
        return
    # ...or there is a single syntax problem placed inside the text
    (problem,) = problems
    if problem.kind == "empty":
        assert not rule.strip()
        return
    assert problem.offset is not None
    assert 0 <= problem.offset <= len(rule)
    assert (problem.line, problem.column) == _line_column(rule, problem.offset)
    if problem.detail["near"] and problem.detail["reason"] != "too_deep":
        assert problem.detail["near"][:1] in rule[problem.offset :][:1] or (
            problem.detail["reason"] in ("invalid_literal", "macro_variable", "has_argument")
        )


@SETTINGS
@given(rule=well_typed_rules("person"))
def test_node_positions_agree_with_the_text(rule: str) -> None:
    for node in walk(parse(rule)):
        start = node.span.start
        assert (start.line, start.column) == _line_column(rule, start.offset)
        assert (node.pos.line, node.pos.column) == _line_column(rule, node.pos.offset)
        assert node.span.start.offset <= node.pos.offset < node.span.end.offset <= len(rule)


def test_syntax_error_is_a_value_error() -> None:
    # callers that only know ValueError still catch it
    assert issubclass(RuleSyntaxError, ValueError)
