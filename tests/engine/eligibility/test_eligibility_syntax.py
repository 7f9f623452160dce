"""parse: CEL text becomes our typed tree, each node with its source position."""

from __future__ import annotations

import pytest

from oferta.engine.eligibility.syntax import (
    Binary,
    Call,
    Comprehension,
    Const,
    EmptyRuleError,
    Has,
    Ident,
    Index,
    ListExpr,
    MapExpr,
    Position,
    RuleSyntaxError,
    Select,
    Ternary,
    Unary,
    parse,
    walk,
)


def test_binary_operator_keeps_precedence_and_operator_position() -> None:
    # given a conjunction of two comparisons / when parsed
    tree = parse("sisben_rank <= 9 && zone == 'rural'")
    # then && is the root, anchored at its operator, and spans the whole text
    assert isinstance(tree, Binary)
    assert (tree.op, tree.pos) == ("&&", Position(17, 1, 18))
    assert isinstance(tree.left, Binary)
    assert (tree.left.op, tree.left.pos.column) == ("<=", 13)
    assert tree.left.left == Ident(
        name="sisben_rank", pos=Position(0, 1, 1), span=tree.left.left.span
    )
    assert isinstance(tree.right, Binary)
    assert tree.right.right == Const(
        value="rural", type="string", pos=Position(28, 1, 29), span=tree.right.right.span
    )
    assert (tree.span.start.offset, tree.span.end.offset) == (0, 35)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("a || b && c", "(a || (b && c))"),
        ("a - b - c", "((a - b) - c)"),
        ("!a == b", "(!a == b)"),
        ("a < b == c", "((a < b) == c)"),
        ("x in l && y", "((x in l) && y)"),
        ("(a || b) && c", "((a || b) && c)"),
        ("c ? a : b ? d : e", "(c ? a : (b ? d : e))"),
    ],
)
def test_operators_group_by_cel_precedence(text: str, expected: str) -> None:
    assert _show(parse(text)) == expected


def _show(node: object) -> str:
    match node:
        case Binary(op=op, left=left, right=right):
            return f"({_show(left)} {op} {_show(right)})"
        case Unary(op=op, operand=operand):
            return f"{op}{_show(operand)}"
        case Ternary(condition=c, then=t, otherwise=o):
            return f"({_show(c)} ? {_show(t)} : {_show(o)})"
        case Ident(name=name):
            return name
        case Const(value=value):
            return str(value)
    raise AssertionError(node)


@pytest.mark.parametrize(
    ("text", "value", "const_type"),
    [
        ("42", 42, "int"),
        ("-7", -7, "int"),
        ("0x1F", 31, "int"),
        ("3u", 3, "uint"),
        ("2.5", 2.5, "double"),
        ("1e3", 1000.0, "double"),
        ('"B4"', "B4", "string"),
        ("'a\\nb'", "a\nb", "string"),
        ('r"\\d+"', "\\d+", "string"),
        ('"""two\nlines"""', "two\nlines", "string"),
        ('b"ab"', b"ab", "bytes"),
        ("true", True, "bool"),
        ("false", False, "bool"),
        ("null", None, "null"),
    ],
)
def test_literals_carry_python_value_and_cel_type(
    text: str, value: object, const_type: str
) -> None:
    node = parse(text)
    assert isinstance(node, Const)
    assert (node.value, node.type) == (value, const_type)


def test_selection_index_and_calls() -> None:
    tree = parse("members[0].age + size(programs) + zone.size()")
    assert isinstance(tree, Binary)
    assert isinstance(tree.left, Binary)
    select = tree.left.left
    assert isinstance(select, Select)
    assert (select.field, select.pos.column) == ("age", 12)
    assert isinstance(select.operand, Index)
    size_call = tree.left.right
    assert isinstance(size_call, Call)
    assert (size_call.function, size_call.target, len(size_call.args)) == ("size", None, 1)
    method = tree.right
    assert isinstance(method, Call)
    assert (method.function, method.args, method.pos.column) == ("size", (), 40)
    assert isinstance(method.target, Ident)


def test_list_macros_become_comprehensions_with_a_bound_variable() -> None:
    tree = parse("members.filter(m, m.age < 18).size() >= 2")
    assert isinstance(tree, Binary)
    assert isinstance(tree.left, Call)
    comprehension = tree.left.target
    assert isinstance(comprehension, Comprehension)
    assert (comprehension.macro, comprehension.variable) == ("filter", "m")
    assert comprehension.variable_pos == Position(15, 1, 16)
    assert isinstance(comprehension.predicate, Binary)
    assert comprehension.transform is None


def test_map_macro_has_a_transform_and_an_optional_filter() -> None:
    two = parse("members.map(m, m.age)")
    three = parse("members.map(m, m.victim, m.age)")
    assert isinstance(two, Comprehension)
    assert isinstance(three, Comprehension)
    assert (two.predicate, isinstance(two.transform, Select)) == (None, True)
    assert isinstance(three.predicate, Select)
    assert isinstance(three.transform, Select)


def test_macro_name_with_other_argument_count_stays_a_call() -> None:
    assert isinstance(parse("members.exists(m)"), Call)


def test_has_macro_wraps_a_field_selection() -> None:
    tree = parse("has(person.age)")
    assert isinstance(tree, Has)
    assert tree.select.field == "age"


def test_list_and_map_literals() -> None:
    assert isinstance(parse("[1, 2]"), ListExpr)
    map_node = parse('{"a": 1}')
    assert isinstance(map_node, MapExpr)
    assert len(map_node.entries) == 1


def test_positions_count_lines_and_columns_from_one() -> None:
    text = "ipm_poor &&\n  // a comment\n  female_head"
    tree = parse(text)
    assert isinstance(tree, Binary)
    assert tree.right.pos == Position(text.index("female_head"), 3, 3)


def test_every_node_span_covers_its_children() -> None:
    text = 'zone == "rural" ? members.exists(m, m.age >= 60 && !m.victim) : size(programs) > 0'
    for node in walk(parse(text)):
        assert 0 <= node.span.start.offset <= node.pos.offset < node.span.end.offset <= len(text)


@pytest.mark.parametrize(
    ("text", "line", "column", "near", "reason"),
    [
        ("&& x", 1, 1, "&&", "unexpected_token"),
        ("zone ==", 1, 8, "", "unexpected_end"),
        ("a\n  && )", 2, 6, ")", "unexpected_token"),
        ("a @ b", 1, 3, "@", "unexpected_character"),
        ("if > 2", 1, 1, "if", "reserved_word"),
        ("99999999999999999999 > 1", 1, 1, "99999999999999999999", "int_out_of_range"),
        ("Foo{a: 1}", 1, 4, "{", "unsupported"),
        ("members.all(1, true)", 1, 13, "1", "macro_variable"),
        ("has(zone)", 1, 5, "zone", "has_argument"),
        ("(" * 300 + "a" + ")" * 300, 1, 201, "(", "too_deep"),
    ],
)
def test_syntax_error_names_position_and_token(
    text: str, line: int, column: int, near: str, reason: str
) -> None:
    with pytest.raises(RuleSyntaxError) as caught:
        parse(text)
    error = caught.value
    assert (error.position.line, error.position.column, error.near, error.reason) == (
        line,
        column,
        near,
        reason,
    )


def test_syntax_error_lists_what_was_expected() -> None:
    with pytest.raises(RuleSyntaxError) as caught:
        parse("size(members > 2")
    assert ")" in caught.value.expected


@pytest.mark.parametrize("text", ["", "   ", "// nothing\n"])
def test_blank_or_comment_only_text_is_empty(text: str) -> None:
    with pytest.raises(EmptyRuleError):
        parse(text)


def test_conditional_in_a_then_branch_needs_parentheses_as_in_the_cel_grammar() -> None:
    with pytest.raises(RuleSyntaxError):
        parse("a ? b ? c : d : e")
    assert isinstance(parse("a ? (b ? c : d) : e"), Ternary)
