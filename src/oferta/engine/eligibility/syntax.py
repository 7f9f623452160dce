"""CEL eligibility rules parsed into a small typed syntax tree whose nodes carry source positions.

The grammar is the Lark grammar shipped with ``cel-python`` (``celpy/cel.lark``); we build our own
LALR parser from it with ``keep_all_tokens`` so that every operator keeps its position, and convert
Lark's deep parse tree into the flat, frozen nodes below. The same tree is meant to be checked
(:mod:`oferta.engine.eligibility.checker`), compiled to Polars expressions and interpreted with a
trace, so macros are expanded here, as CEL parsers do: ``members.exists(m, p)`` becomes a
:class:`Comprehension` and ``has(x.f)`` a :class:`Has`.

Example
-------
>>> tree = parse("sisben_rank <= 9 && zone == 'rural'")
>>> tree.op, tree.left.op, tree.pos.column
('&&', '<=', 18)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Final, Literal, TypeAlias

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

__all__ = [
    "MACROS",
    "Binary",
    "BinaryOp",
    "Call",
    "Comprehension",
    "Const",
    "ConstType",
    "Expr",
    "Has",
    "Ident",
    "Index",
    "ListExpr",
    "MapExpr",
    "Position",
    "RuleSyntaxError",
    "Select",
    "Span",
    "Ternary",
    "Unary",
    "UnaryOp",
    "children",
    "parse",
    "walk",
]


@dataclass(frozen=True, slots=True)
class Position:
    """A place in the rule text: 0-based character ``offset``, 1-based ``line`` and ``column``."""

    offset: int
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Span:
    """The text a node was parsed from: ``start`` inclusive, ``end`` exclusive."""

    start: Position
    end: Position

    def text(self, source: str) -> str:
        """Return the slice of ``source`` covered by the span.

        >>> parse("a  &&  b").span.text("a  &&  b")
        'a  &&  b'
        """
        return source[self.start.offset : self.end.offset]


ConstType = Literal["bool", "int", "uint", "double", "string", "bytes", "null"]
UnaryOp = Literal["!", "-"]
BinaryOp = Literal["||", "&&", "==", "!=", "<", "<=", ">", ">=", "in", "+", "-", "*", "/", "%"]
MacroName = Literal["all", "exists", "exists_one", "filter", "map"]

MACROS: Final[dict[str, tuple[int, ...]]] = {
    "all": (2,),
    "exists": (2,),
    "exists_one": (2,),
    "filter": (2,),
    "map": (2, 3),
}
"""Comprehension macros and the argument counts that make a call one (as in CEL parsers)."""

# Every node has ``pos``, the place a problem with the node is reported (the operator of a
# binary expression, the name of a call or field, the first token otherwise), and ``span``.


@dataclass(frozen=True, slots=True, kw_only=True)
class Const:
    """A literal: ``true``, ``3``, ``3u``, ``2.5``, ``"B4"``, ``b"x"``, ``null``."""

    value: bool | int | float | str | bytes | None
    type: ConstType
    pos: Position
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Ident:
    """A variable: a documented rule variable or a macro-bound one (``m``)."""

    name: str
    pos: Position
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Select:
    """Field selection ``operand.field``; ``pos`` is the field name."""

    operand: Expr
    field: str
    pos: Position
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Index:
    """``operand[index]``; ``pos`` is the ``[``."""

    operand: Expr
    index: Expr
    pos: Position
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Unary:
    """``!operand`` or ``-operand``."""

    op: UnaryOp
    operand: Expr
    pos: Position
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Binary:
    """``left op right`` for the logical, relational, ``in`` and arithmetic operators."""

    op: BinaryOp
    left: Expr
    right: Expr
    pos: Position
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Ternary:
    """``condition ? then : otherwise``; ``pos`` is the ``?``."""

    condition: Expr
    then: Expr
    otherwise: Expr
    pos: Position
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class ListExpr:
    """A list literal ``[a, b]``."""

    items: tuple[Expr, ...]
    pos: Position
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class MapExpr:
    """A map literal ``{k: v}``."""

    entries: tuple[tuple[Expr, Expr], ...]
    pos: Position
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Call:
    """A function call ``f(args)`` (``target`` is None) or a method call ``target.f(args)``."""

    function: str
    args: tuple[Expr, ...]
    target: Expr | None
    pos: Position
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Has:
    """The ``has(x.f)`` macro: whether field ``f`` is present on ``x``."""

    select: Select
    pos: Position
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Comprehension:
    """A list macro ``target.macro(variable, ...)``.

    ``predicate`` is the condition of ``all``/``exists``/``exists_one``/``filter`` and of the
    three-argument ``map(x, predicate, transform)``; ``transform`` is the value of ``map``.
    """

    macro: MacroName
    target: Expr
    variable: str
    variable_pos: Position
    predicate: Expr | None
    transform: Expr | None
    pos: Position
    span: Span


Expr: TypeAlias = (
    Const
    | Ident
    | Select
    | Index
    | Unary
    | Binary
    | Ternary
    | ListExpr
    | MapExpr
    | Call
    | Has
    | Comprehension
)


def children(node: Expr) -> tuple[Expr, ...]:
    """Return the direct sub-expressions of ``node`` in source order.

    >>> [type(c).__name__ for c in children(parse("size(members) > 2"))]
    ['Call', 'Const']
    """
    match node:
        case Const() | Ident():
            return ()
        case Select(operand=operand):
            return (operand,)
        case Index(operand=operand, index=index):
            return (operand, index)
        case Unary(operand=operand):
            return (operand,)
        case Binary(left=left, right=right):
            return (left, right)
        case Ternary(condition=condition, then=then, otherwise=otherwise):
            return (condition, then, otherwise)
        case ListExpr(items=items):
            return items
        case MapExpr(entries=entries):
            return tuple(part for entry in entries for part in entry)
        case Call(target=target, args=args):
            return args if target is None else (target, *args)
        case Has(select=select):
            return (select,)
        case Comprehension(target=target, predicate=predicate, transform=transform):
            return tuple(e for e in (target, predicate, transform) if e is not None)


def walk(node: Expr) -> Iterator[Expr]:
    """Yield ``node`` and all its sub-expressions, depth first, in source order.

    >>> [n.name for n in walk(parse("a && b")) if isinstance(n, Ident)]
    ['a', 'b']
    """
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


SyntaxReason = Literal[
    "unexpected_token",
    "unexpected_character",
    "unexpected_end",
    "reserved_word",
    "int_out_of_range",
    "invalid_literal",
    "macro_variable",
    "has_argument",
    "unsupported",
    "too_deep",
]


class RuleSyntaxError(ValueError):
    """The rule text is not valid CEL (or uses a CEL form rules do not support).

    ``near`` is the offending token (empty at the end of the text); ``expected`` lists what
    would have been accepted there, as CEL tokens or the words ``name``, ``number``, ``text``,
    ``bytes``, ``boolean``, ``end``.
    """

    def __init__(
        self,
        *,
        position: Position,
        near: str,
        reason: SyntaxReason,
        expected: tuple[str, ...] = (),
    ) -> None:
        super().__init__(f"{reason} near {near!r} at {position.line}:{position.column}")
        self.position = position
        self.near = near
        self.reason: SyntaxReason = reason
        self.expected = expected


class EmptyRuleError(ValueError):
    """The rule text holds no expression (only blanks or comments)."""


RESERVED_WORDS: Final[frozenset[str]] = frozenset(
    {
        "in",
        "true",
        "false",
        "null",
        "as",
        "break",
        "const",
        "continue",
        "else",
        "for",
        "function",
        "if",
        "import",
        "let",
        "loop",
        "package",
        "namespace",
        "return",
        "var",
        "void",
        "while",
    }
)

_TERMINAL_WORDS: Final[dict[str, str]] = {
    "IDENT": "name",
    "INT_LIT": "number",
    "UINT_LIT": "number",
    "FLOAT_LIT": "number",
    "STRING_LIT": "text",
    "MLSTRING_LIT": "text",
    "BYTES_LIT": "bytes",
    "BOOL_LIT": "boolean",
    "NULL_LIT": "null",
    "$END": "end",
}
_INT64: Final = (-(2**63), 2**63 - 1)
_UINT64: Final = (0, 2**64 - 1)
MAX_DEPTH: Final = 200
"""Nesting deeper than this is refused (CEL implementations have similar limits)."""


def _ambiguous_literals(token: Token) -> Token:
    # As celpy does: the grammar lets IDENT match "true"/"false"; retype them as literals.
    if token.value in ("true", "false"):
        return Token.new_borrow_pos("BOOL_LIT", token.value, token)
    return token


@cache
def _parser() -> Lark:
    grammar = (files("celpy") / "cel.lark").read_text(encoding="utf-8")
    return Lark(
        grammar,
        parser="lalr",
        start="expr",
        g_regex_flags=re.M,
        lexer_callbacks={"IDENT": _ambiguous_literals},
        propagate_positions=True,
        maybe_placeholders=False,
        priority="invert",
        keep_all_tokens=True,
    )


@cache
def _terminal_text() -> dict[str, str]:
    texts = dict(_TERMINAL_WORDS)
    for terminal in _parser().terminals:
        if isinstance(terminal.pattern, PatternStr):
            texts.setdefault(terminal.name, terminal.pattern.value)
    return texts


def _expected(names: set[str] | frozenset[str] | None) -> tuple[str, ...]:
    texts = _terminal_text()
    return tuple(sorted({texts.get(name, name) for name in names or ()}))


def _position_at(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Position(offset, line, column)


def _start(token: Token) -> Position:
    return Position(token.start_pos or 0, token.line or 1, token.column or 1)


def _end(token: Token) -> Position:
    return Position(token.end_pos or 0, token.end_line or 1, token.end_column or 1)


def parse(text: str) -> Expr:
    """Parse a CEL rule into a syntax tree.

    Parameters
    ----------
    text
        The rule, e.g. ``members.exists(m, m.age >= 60)``.

    Returns
    -------
    Expr
        The root node.

    Raises
    ------
    EmptyRuleError
        If the text holds only blanks and comments.
    RuleSyntaxError
        If the text is not a CEL expression; carries the position, the offending token and
        what was expected there.

    Examples
    --------
    >>> node = parse("members.exists(m, m.age < 18)")
    >>> node.macro, node.variable, node.predicate.op
    ('exists', 'm', '<')
    >>> parse("zone ==")
    Traceback (most recent call last):
    ...
    oferta.engine.eligibility.syntax.RuleSyntaxError: unexpected_end near '' at 1:8
    """
    try:
        tree = _parser().parse(text)
    except UnexpectedToken as error:
        token = error.token
        if token.type == "$END":
            if token.end_pos is None:
                raise EmptyRuleError("the rule is empty") from None
            raise RuleSyntaxError(
                position=_end(token),
                near="",
                reason="unexpected_end",
                expected=_expected(error.expected),
            ) from None
        raise RuleSyntaxError(
            position=_start(token),
            near=str(token.value),
            reason="unexpected_token",
            expected=_expected(error.expected),
        ) from None
    except UnexpectedCharacters as error:
        raise RuleSyntaxError(
            position=_position_at(text, error.pos_in_stream or 0),
            near=error.char,
            reason="unexpected_character",
            expected=_expected(error.allowed),
        ) from None
    except UnexpectedInput as error:  # pragma: no cover - other Lark errors, not seen with LALR
        raise RuleSyntaxError(
            position=_position_at(text, min(max(error.pos_in_stream or 0, 0), len(text))),
            near="",
            reason="unexpected_token",
        ) from None
    return _Converter().convert(tree)


class _Converter:
    """Turns Lark's parse tree (one level per precedence rule) into :data:`Expr` nodes."""

    def __init__(self) -> None:
        self.depth = 0

    def convert(self, tree: Tree[Token]) -> Expr:
        # Collapse the single-child precedence levels iteratively, so that the recursion depth
        # grows with real nesting only.
        while len(tree.children) == 1 and tree.data not in _LEAF_RULES:
            child = tree.children[0]
            assert isinstance(child, Tree)
            tree = child
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                first = next(iter(tree.scan_values(lambda v: isinstance(v, Token))))
                raise RuleSyntaxError(position=_start(first), near=str(first), reason="too_deep")
            return self._convert(tree)
        finally:
            self.depth -= 1

    def _convert(self, tree: Tree[Token]) -> Expr:
        kids = tree.children
        match tree.data:
            case "expr":
                condition, question, then, _colon, otherwise = kids
                return self._ternary(condition, question, then, otherwise)
            case "conditionalor" | "conditionaland":
                left, op, right = kids
                assert isinstance(left, Tree)
                assert isinstance(right, Tree)
                assert isinstance(op, Token)
                return self._binary(self.convert(left), op, self.convert(right))
            case "relation" | "addition" | "multiplication":
                operator_tree, right = kids
                assert isinstance(operator_tree, Tree)
                assert isinstance(right, Tree)
                left, op = operator_tree.children
                assert isinstance(left, Tree)
                assert isinstance(op, Token)
                return self._binary(self.convert(left), op, self.convert(right))
            case "unary":
                operator_tree, operand_tree = kids
                assert isinstance(operator_tree, Tree)
                assert isinstance(operand_tree, Tree)
                op = operator_tree.children[0]
                assert isinstance(op, Token)
                operand = self.convert(operand_tree)
                unary_op: UnaryOp = "!" if op.value == "!" else "-"
                return Unary(
                    op=unary_op,
                    operand=operand,
                    pos=_start(op),
                    span=Span(_start(op), operand.span.end),
                )
            case "member_dot":
                operand_tree, _dot, name = kids
                assert isinstance(operand_tree, Tree)
                assert isinstance(name, Token)
                operand = self.convert(operand_tree)
                self._check_name(name)
                return Select(
                    operand=operand,
                    field=str(name.value),
                    pos=_start(name),
                    span=Span(operand.span.start, _end(name)),
                )
            case "member_dot_arg":
                operand_tree, _dot, name, *rest = kids
                assert isinstance(operand_tree, Tree)
                assert isinstance(name, Token)
                target = self.convert(operand_tree)
                return self._call(name, rest, target=target, start=target.span.start)
            case "member_index":
                operand_tree, bracket, index_tree, closing = kids
                assert isinstance(operand_tree, Tree)
                assert isinstance(index_tree, Tree)
                assert isinstance(bracket, Token)
                assert isinstance(closing, Token)
                operand = self.convert(operand_tree)
                return Index(
                    operand=operand,
                    index=self.convert(index_tree),
                    pos=_start(bracket),
                    span=Span(operand.span.start, _end(closing)),
                )
            case "member_object":
                brace = kids[1]
                assert isinstance(brace, Token)
                raise RuleSyntaxError(position=_start(brace), near="{", reason="unsupported")
            case "dot_ident":
                dot, name = kids
                assert isinstance(dot, Token)
                assert isinstance(name, Token)
                self._check_name(name)
                return Ident(
                    name=str(name.value), pos=_start(name), span=Span(_start(dot), _end(name))
                )
            case "dot_ident_arg":
                dot, name, *rest = kids
                assert isinstance(dot, Token)
                assert isinstance(name, Token)
                return self._call(name, rest, target=None, start=_start(dot))
            case "ident_arg":
                name, *rest = kids
                assert isinstance(name, Token)
                return self._call(name, rest, target=None, start=_start(name))
            case "ident":
                (name,) = kids
                assert isinstance(name, Token)
                self._check_name(name)
                return Ident(
                    name=str(name.value), pos=_start(name), span=Span(_start(name), _end(name))
                )
            case "paren_expr":
                _open, inner, _close = kids
                assert isinstance(inner, Tree)
                return self.convert(inner)
            case "list_lit":
                opening, *rest = kids
                closing = rest[-1]
                assert isinstance(opening, Token)
                assert isinstance(closing, Token)
                return ListExpr(
                    items=self._exprlist(rest[:-1]),
                    pos=_start(opening),
                    span=Span(_start(opening), _end(closing)),
                )
            case "map_lit":
                opening, *rest = kids
                closing = rest[-1]
                assert isinstance(opening, Token)
                assert isinstance(closing, Token)
                return MapExpr(
                    entries=self._mapinits(rest[:-1]),
                    pos=_start(opening),
                    span=Span(_start(opening), _end(closing)),
                )
            case "literal":
                (token,) = kids
                assert isinstance(token, Token)
                return _literal(token)
            case other:  # pragma: no cover - the grammar has no other rule with children
                raise AssertionError(f"unexpected parse tree node {other}")

    def _ternary(
        self,
        condition: Tree[Token] | Token,
        question: Tree[Token] | Token,
        then: Tree[Token] | Token,
        otherwise: Tree[Token] | Token,
    ) -> Ternary:
        assert isinstance(condition, Tree)
        assert isinstance(then, Tree)
        assert isinstance(otherwise, Tree)
        assert isinstance(question, Token)
        condition_expr = self.convert(condition)
        otherwise_expr = self.convert(otherwise)
        return Ternary(
            condition=condition_expr,
            then=self.convert(then),
            otherwise=otherwise_expr,
            pos=_start(question),
            span=Span(condition_expr.span.start, otherwise_expr.span.end),
        )

    @staticmethod
    def _binary(left: Expr, op: Token, right: Expr) -> Binary:
        return Binary(
            op=_BINARY_OPS[str(op.value)],
            left=left,
            right=right,
            pos=_start(op),
            span=Span(left.span.start, right.span.end),
        )

    @staticmethod
    def _check_name(name: Token) -> None:
        if name.value in RESERVED_WORDS:
            raise RuleSyntaxError(
                position=_start(name), near=str(name.value), reason="reserved_word"
            )

    def _exprlist(self, parts: list[Tree[Token] | Token]) -> tuple[Expr, ...]:
        if not parts:
            return ()
        (exprlist,) = parts
        assert isinstance(exprlist, Tree)
        return tuple(self.convert(kid) for kid in exprlist.children if isinstance(kid, Tree))

    def _mapinits(self, parts: list[Tree[Token] | Token]) -> tuple[tuple[Expr, Expr], ...]:
        if not parts:
            return ()
        (mapinits,) = parts
        assert isinstance(mapinits, Tree)
        values = [self.convert(kid) for kid in mapinits.children if isinstance(kid, Tree)]
        return tuple(zip(values[::2], values[1::2], strict=True))

    def _call(
        self,
        name: Token,
        rest: list[Tree[Token] | Token],
        *,
        target: Expr | None,
        start: Position,
    ) -> Expr:
        self._check_name(name)
        closing = rest[-1]
        assert isinstance(closing, Token)
        # rest is "(" [exprlist] ")"
        args = self._exprlist(rest[1:-1])
        function = str(name.value)
        span = Span(start, _end(closing))
        pos = _start(name)
        if target is not None and function in MACROS and len(args) in MACROS[function]:
            variable = args[0]
            if not isinstance(variable, Ident):
                raise RuleSyntaxError(
                    position=variable.pos,
                    near=_first_text(variable),
                    reason="macro_variable",
                    expected=("name",),
                )
            predicate, transform = (
                (args[1], None)
                if function != "map"
                else ((None, args[1]) if len(args) == 2 else (args[1], args[2]))
            )
            return Comprehension(
                macro=_MACRO_NAMES[function],
                target=target,
                variable=variable.name,
                variable_pos=variable.pos,
                predicate=predicate,
                transform=transform,
                pos=pos,
                span=span,
            )
        if target is None and function == "has" and len(args) == 1:
            (argument,) = args
            if not isinstance(argument, Select):
                raise RuleSyntaxError(
                    position=argument.pos,
                    near=_first_text(argument),
                    reason="has_argument",
                    expected=("name.field",),
                )
            return Has(select=argument, pos=pos, span=span)
        return Call(function=function, args=args, target=target, pos=pos, span=span)


_LEAF_RULES: Final = frozenset({"ident", "literal", "unary_not", "unary_neg"})
_BINARY_OPS: Final[dict[str, BinaryOp]] = {
    op: op for op in ("||", "&&", "==", "!=", "<", "<=", ">", ">=", "in", "+", "-", "*", "/", "%")
}
_MACRO_NAMES: Final[dict[str, MacroName]] = {
    "all": "all",
    "exists": "exists",
    "exists_one": "exists_one",
    "filter": "filter",
    "map": "map",
}


def _first_text(node: Expr) -> str:
    match node:
        case Ident(name=name):
            return name
        case Const(value=value):
            return repr(value)
        case _:
            return type(node).__name__


def _literal(token: Token) -> Const:
    text = str(token.value)
    kind = token.type
    value: bool | int | float | str | bytes | None
    const_type: ConstType
    try:
        if kind == "INT_LIT":
            value, const_type = _integer(text), "int"
            low, high = _INT64
        elif kind == "UINT_LIT":
            value, const_type = _integer(text[:-1]), "uint"
            low, high = _UINT64
        elif kind == "FLOAT_LIT":
            value, const_type = float(text), "double"
        elif kind in ("STRING_LIT", "MLSTRING_LIT"):
            value, const_type = _string_value(text), "string"
        elif kind == "BYTES_LIT":
            value, const_type = _bytes_value(text[1:]), "bytes"
        elif kind == "BOOL_LIT":
            value, const_type = text == "true", "bool"
        else:
            value, const_type = None, "null"
    except (ValueError, OverflowError):
        raise RuleSyntaxError(position=_start(token), near=text, reason="invalid_literal") from None
    if const_type in ("int", "uint"):
        assert isinstance(value, int)
        if not low <= value <= high:
            raise RuleSyntaxError(position=_start(token), near=text, reason="int_out_of_range")
    return Const(
        value=value, type=const_type, pos=_start(token), span=Span(_start(token), _end(token))
    )


def _integer(text: str) -> int:
    return int(text, 16) if "x" in text.lower() else int(text, 10)


_ESCAPE: Final = re.compile(
    r"""\\(?:([abfnrtv"'\\`?])|([0-3][0-7]{2})|[xX]([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})"""
    r"|U([0-9a-fA-F]{8})|(.))",
    re.S,
)
_SIMPLE_ESCAPES: Final = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
}


def _unquote(text: str) -> tuple[str, bool]:
    """The body of a (possibly raw, possibly triple-quoted) literal, and whether it is raw."""
    raw = text[:1] in ("r", "R")
    body = text[1:] if raw else text
    quote = 3 if body[:3] in ('"""', "'''") else 1
    return body[quote:-quote], raw


def _string_value(text: str) -> str:
    # Our own decoder: celpy's drops the newlines of triple-quoted strings.
    body, raw = _unquote(text)
    if raw:
        return body

    def replace(match: re.Match[str]) -> str:
        simple, octal, hex2, hex4, hex8, invalid = match.groups()
        if invalid is not None:
            raise ValueError(f"invalid escape \\{invalid}")
        if simple is not None:
            return _SIMPLE_ESCAPES.get(simple, simple)
        return chr(int(octal, 8) if octal else int(hex2 or hex4 or hex8, 16))

    return _ESCAPE.sub(replace, body)


def _bytes_value(text: str) -> bytes:
    body, raw = _unquote(text)
    if raw:
        return body.encode("utf-8")
    out = bytearray()
    position = 0
    for match in _ESCAPE.finditer(body):
        out += body[position : match.start()].encode("utf-8")
        position = match.end()
        simple, octal, hex2, hex4, hex8, invalid = match.groups()
        if invalid is not None or hex4 is not None or hex8 is not None:
            raise ValueError("invalid escape in bytes")
        if simple is not None:
            out += _SIMPLE_ESCAPES.get(simple, simple).encode("utf-8")
        else:
            out.append(int(octal, 8) if octal else int(hex2, 16))
    out += body[position:].encode("utf-8")
    return bytes(out)
