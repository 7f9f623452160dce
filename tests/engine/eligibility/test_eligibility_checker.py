"""check_rule: valid rules give no problem; each kind of mistake is reported at its position."""

from __future__ import annotations

import pytest

from oferta.engine.eligibility.checker import RuleProblem, check_rule

VALID_HOUSEHOLD_RULES = [
    # Sisbén cutoffs
    "sisben_rank <= 9",  # A1 to B4
    "sisben_rank >= 1 && sisben_rank <= 5",  # group A
    'sisben_group in ["A1", "A2", "A3", "A4", "A5"]',
    'sisben_group.startsWith("A") || sisben_group.startsWith("B")',
    # poverty
    "ipm_poor",
    "ipm_score >= 0.33",
    'monetary_status == "extreme_poor" || ipm_poor',
    'quadrant in ["both", "only_multidimensional"]',
    "income_per_capita <= 218846",  # int literal against a double variable
    "income_per_capita < 500000.0 && household_size >= 4",
    "income_per_capita * double(household_size) <= 2000000.0",
    "deprived_no_health_insurance || deprived_health_access_barriers",
    "!deprived_no_improved_water && !(deprived_inadequate_sanitation)",
    # programs
    '"renta_ciudadana" in programs',
    '!("familias_en_accion" in programs) && size(programs) == 0 || accompaniment',
    'programs.exists(p, p == "unidos")',
    '"programa_municipal_nuevo" in programs',  # programs is an open list
    # territory
    'zone == "rural"',
    'department_code == "05" && municipality_code != "05001"',
    'municipality_code in ["05001", "76001", "11001"]',
    'municipality_code.matches("^05[0-9]{3}$")',
    # members and differential approaches
    "size(members) >= 3",
    "members.size() > 1 && female_head",
    "members.exists(m, m.age < 5)",
    "members.filter(m, m.age < 18).size() >= 2",
    "members.all(m, m.health_insured)",
    "members.exists_one(m, m.is_head && m.age >= 60)",
    'members.exists(m, m.ethnicity in ["indigenous", "afrocolombian", "raizal", "palenquero"])',
    "members.exists(m, m.victim) || members.exists(m, m.disability)",
    'members.exists(m, m.activity == "unemployed" && m.unemployed_months >= 12)',
    "members.filter(m, m.age >= 6 && m.age <= 16 && !m.attends_school).size() > 0",
    "members.map(m, m.years_of_schooling).exists(y, y < 5)",
    "members.map(m, m.age >= 18, m.age).all(a, a < 65)",
    'members.exists(m, has(m.age) && m["age"] >= 60)',
    "members[0].age >= 18",
    # ternary, parentheses, conversions, literals
    'zone == "rural" ? sisben_rank <= 12 : sisben_rank <= 9',
    "(((ipm_poor)))",
    "int(ipm_score * 100.0) >= 33",
    'string(household_size) == "4"',
    "household_size > 2u || household_size == 1",
    "sisben_rank % 2 == 0 && -sisben_rank < 0",
    "ipm_score == 1",  # heterogeneous numeric equality is legal CEL
    "true",
    "// a comment on its own line\nipm_poor && // and at the end of a line\n  female_head",
    "sisben_rank <= 9 &&\n  members.exists(m,\n    m.age >= 60)",
    '[1, 2.5, "x"].size() == 3',  # mixed list literals are lists of dyn
    '{"a": 1}["a"] == 1',
    "dyn(zone) == 1",
]

VALID_PERSON_RULES = [
    "person.age >= 18 && person.age <= 28",
    'person.sex == "female" && person.is_head',
    "person.age >= 60 && !person.receives_pension && sisben_rank <= 9",
    "!person.can_read_write && person.age >= 15",
    'person.relationship in ["child", "grandchild"] && person.attends_school',
    "has(person.victim) && person.victim",
]


@pytest.mark.parametrize("rule", VALID_HOUSEHOLD_RULES)
def test_valid_household_rule_has_no_problem(rule: str) -> None:
    # given a legitimate household rule / when it is checked / then nothing is reported
    assert check_rule(rule, scope="household") == []


@pytest.mark.parametrize("rule", VALID_PERSON_RULES)
def test_valid_person_rule_has_no_problem(rule: str) -> None:
    assert check_rule(rule, scope="person") == []


def test_household_rules_are_also_valid_for_persons() -> None:
    # given the person scope adds `person` to the household variables
    problems = {rule: check_rule(rule, scope="person") for rule in VALID_HOUSEHOLD_RULES}
    # then every household rule stays valid
    assert {rule: found for rule, found in problems.items() if found} == {}


# (rule, scope, kind, line, column, detail items that must be present)
INVALID_RULES = [
    ("", "household", "empty", None, None, {}),
    ("  // only a comment\n", "household", "empty", None, None, {}),
    ("&& ipm_poor", "household", "syntax", 1, 1, {"near": "&&", "reason": "unexpected_token"}),
    ("sisben_rank <= 9 &&", "household", "syntax", 1, 20, {"reason": "unexpected_end"}),
    ("ipm_poor\n  && && female_head", "household", "syntax", 2, 6, {"near": "&&"}),
    ("zone == 'rural' # x", "household", "syntax", 1, 17, {"near": "#"}),
    ("members.exists(1, true)", "household", "syntax", 1, 16, {"reason": "macro_variable"}),
    ("has(zone)", "household", "syntax", 1, 5, {"reason": "has_argument"}),
    ("size(members) > (2", "household", "syntax", 1, 19, {"expected": ")"}),
    (
        "ipm_poor && edad > 60",
        "person",
        "unknown_variable",
        1,
        13,
        {"name": "edad", "suggestion": "person.age"},
    ),
    ("sisben < 5", "household", "unknown_variable", 1, 1, {"suggestion": "sisben_rank"}),
    (
        "person.age > 60",
        "household",
        "unknown_variable",
        1,
        1,
        {"name": "person", "hint": "person_scope_only"},
    ),
    ("age >= 18", "household", "unknown_variable", 1, 1, {"hint": "member_field", "field": "age"}),
    (
        "members.exists(m, m.edad < 18)",
        "household",
        "unknown_field",
        1,
        21,
        {"name": "edad", "receiver": "m", "suggestion": "age"},
    ),
    ("person.sexo == 'female'", "person", "unknown_field", 1, 8, {"suggestion": "sex"}),
    (
        'sisben_rank <= "B4"',
        "household",
        "type_mismatch",
        1,
        13,
        {"context": "operator", "left_type": "int", "right_type": "string", "right": '"B4"'},
    ),
    ("zone == 1", "household", "type_mismatch", 1, 6, {"left_type": "string"}),
    (
        "members.exists(m, m.age && true)",
        "household",
        "type_mismatch",
        1,
        25,
        {"context": "logical", "type": "int", "operand": "m.age"},
    ),
    ("person.age && true", "person", "type_mismatch", 1, 12, {"context": "logical"}),
    ("members > 3", "household", "type_mismatch", 1, 9, {"left_type": "list(member)"}),
    ("sisben_rank", "household", "type_mismatch", 1, 1, {"context": "result", "type": "int"}),
    ("members.filter(m, m.victim)", "household", "type_mismatch", 1, 1, {"context": "result"}),
    (
        "income_per_capita * 2 > 100.0",
        "household",
        "type_mismatch",
        1,
        19,
        {"operator": "*", "hint": "convert"},
    ),
    ('"rural" in zone', "household", "type_mismatch", 1, 9, {"operator": "in"}),
    ("zone.exists(z, true)", "household", "type_mismatch", 1, 6, {"context": "receiver"}),
    ("ipm_score ? true : false", "household", "type_mismatch", 1, 11, {"context": "condition"}),
    ("members.all(m, m.age)", "household", "type_mismatch", 1, 18, {"context": "predicate"}),
    ("size(sisben_rank) > 1", "household", "type_mismatch", 1, 6, {"context": "argument"}),
    ("!zone", "household", "type_mismatch", 1, 1, {"context": "operand"}),
    ("zone.code == 'x'", "household", "type_mismatch", 1, 6, {"context": "select"}),
    (
        'zone == "urbano"',
        "household",
        "unknown_value",
        1,
        9,
        {"name": "zone", "value": "urbano", "allowed": "urban, rural", "suggestion": "urban"},
    ),
    (
        'members.exists(m, m.sex == "mujer")',
        "household",
        "unknown_value",
        1,
        28,
        {"name": "m.sex", "suggestion": "female"},
    ),
    ('sisben_group in ["A1", "B9"]', "household", "unknown_value", 1, 24, {"value": "B9"}),
    ('"pobre" == monetary_status', "household", "unknown_value", 1, 1, {"suggestion": "poor"}),
    ("sizee(members) > 2", "household", "unknown_function", 1, 1, {"suggestion": "size"}),
    ('zone.lower() == "urban"', "household", "unknown_function", 1, 6, {"name": "lower"}),
    ('startsWith(zone, "u")', "household", "unknown_function", 1, 1, {"usage": "method"}),
    (
        "size(members, 1) > 2",
        "household",
        "wrong_arity",
        1,
        1,
        {"name": "size", "expected": "1", "got": "2"},
    ),
    ("members.exists(m)", "household", "wrong_arity", 1, 9, {"expected": "2", "got": "1"}),
    ("members.map(m)", "household", "wrong_arity", 1, 9, {"expected": "2,3"}),
    ("zone.startsWith()", "household", "wrong_arity", 1, 6, {"name": "startsWith"}),
]


@pytest.mark.parametrize(
    ("rule", "scope", "kind", "line", "column", "detail"),
    INVALID_RULES,
    ids=[row[0] or "<empty>" for row in INVALID_RULES],
)
def test_invalid_rule_reports_one_problem_at_its_position(
    rule: str, scope: str, kind: str, line: int | None, column: int | None, detail: dict[str, str]
) -> None:
    # given a rule with one mistake / when it is checked
    problems = check_rule(rule, scope=scope)  # type: ignore[arg-type]
    # then exactly that mistake is reported, where it is
    assert [(p.kind, p.line, p.column) for p in problems] == [(kind, line, column)]
    assert dict(problems[0].detail) | detail == dict(problems[0].detail)


def test_every_mistake_of_a_rule_is_reported_in_source_order() -> None:
    problems = check_rule('edad > 60 && zone == "urbano" && sizee(members) > 1', scope="person")
    assert [(p.kind, p.column) for p in problems] == [
        ("unknown_variable", 1),
        ("unknown_value", 22),
        ("unknown_function", 34),
    ]


def test_an_unknown_name_is_reported_once_not_again_as_a_type_clash() -> None:
    # given a misspelt variable used in a comparison
    problems = check_rule('zona == "rural" && zona.size() > 2')
    # then only the names are reported, not the operators they feed
    assert [p.kind for p in problems] == ["unknown_variable", "unknown_variable"]


def test_macro_variable_is_only_in_scope_inside_its_macro() -> None:
    problems = check_rule("members.exists(m, m.age < 18) && m.victim")
    assert [(p.kind, p.column, p.detail["name"]) for p in problems] == [
        ("unknown_variable", 34, "m")
    ]


def test_nested_macros_see_their_own_and_outer_variables() -> None:
    rule = "members.exists(a, members.exists(b, a.age > b.age + 15 && b.relationship == 'child'))"
    assert check_rule(rule) == []


def test_problem_offset_points_at_the_reported_line_and_column() -> None:
    rule = "ipm_poor &&\n  edad > 60"
    (problem,) = check_rule(rule, scope="person")
    assert problem.offset is not None
    assert rule[problem.offset :].startswith("edad")
    assert (problem.line, problem.column) == (2, 3)


def test_problems_are_frozen_values() -> None:
    problem = RuleProblem("empty", None, None, {})
    with pytest.raises(AttributeError):
        problem.kind = "syntax"  # type: ignore[misc]
