"""Compile eligibility rules (CEL) to Polars expressions and evaluate many rules on a registry.

A household rule becomes one ``pl.Expr`` over the household frame
(:func:`oferta.engine.eligibility.frame.household_frame`). Every member comprehension
(``members.exists(m, …)``, ``all``, ``exists_one``, ``filter(…).size()``, ``map``, ``v in
members.map(…)``, ``size(members)``) is reduced to a *count* of the household's persons that
satisfy a person-level condition; :func:`evaluate_rules` computes all the counts of all rules in
one ``group_by`` over persons, joins them to the households and then evaluates the outer
expressions. Person rules (``scope="person"``) are evaluated on the person frame with the
household variables and counts joined.

Semantics shared with :mod:`oferta.engine.eligibility.interpret` (see
``docs/eligibility-rules.md``, "Cómo se evalúa"):

- **Missing values** (null) never satisfy a condition: a comparison, ``in``, string function or
  boolean variable whose value is missing is ``false``; ``&&``, ``||`` and ``!`` then follow
  ordinary two-valued logic (so they are commutative). ``x == null`` / ``x != null`` test
  presence, like ``has()``.
- **Errors are missing values**: division or modulo by zero, a list index out of range and a
  failed conversion give null, which then makes the comparison that uses it false.
- Numbers: ``int`` and ``double`` compare by value; ``/`` on ints truncates toward zero and
  ``%`` takes the dividend's sign, as in CEL. Values of different kinds are never equal.
- Strings compare by Unicode code point; ``matches`` takes a literal RE2-style pattern of the
  subset documented in :data:`REGEX_FORBIDDEN` and searches anywhere in the text.

Example
-------
>>> import polars as pl
>>> rule = compile_rule("sisben_rank <= 9 && members.exists(m, m.age < 6)")
>>> households = pl.LazyFrame({"household_id": ["h1", "h2"], "sisben_rank": [3, 3]})
>>> persons = pl.LazyFrame({"household_id": ["h1", "h2"], "person_id": ["p1", "p2"],
...                         "age": [4, 40]})
>>> evaluate_rules({"o1": rule}, households, persons).collect().rows()
[('h1', True), ('h2', False)]
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal, TypeAlias

import polars as pl

from .checker import Scope, check_rule
from .errors import RuleError, RuleNotSupportedError
from .syntax import (
    Binary,
    Call,
    Comprehension,
    Const,
    Expr,
    Has,
    Ident,
    Index,
    ListExpr,
    MapExpr,
    Position,
    Select,
    Ternary,
    Unary,
    parse,
)
from .variables import HOUSEHOLD_VARIABLES, PERSON_FIELDS, PERSON_VARIABLE

__all__ = [
    "HOUSEHOLD_ID",
    "PERSON_ID",
    "REGEX_FORBIDDEN",
    "CompiledRule",
    "MemberCount",
    "compile_rule",
    "eligible_pairs",
    "evaluate_person_rules",
    "evaluate_rules",
]

HOUSEHOLD_ID: Final = "household_id"
PERSON_ID: Final = "person_id"
OFFER_ID: Final = "offer_id"

ScalarType = Literal["bool", "int", "double", "string", "null"]

REGEX_FORBIDDEN: Final[re.Pattern[str]] = re.compile(
    r"\(\?[=!<PR>#]|\(\?<[=!]|\\[1-9]|\\[AZzbBGpP]|[*+?}]\+|\(\?[a-zA-Z]*[^a-zA-Z:)i]"
)
"""Regex forms refused in ``matches`` patterns because Python's ``re`` and the Rust ``regex``
engine of Polars read them differently or only one has them: look-around, back references,
``\\A \\Z \\b \\B \\p``, possessive quantifiers and inline flags other than ``(?i)``."""


@dataclass(frozen=True, slots=True)
class MemberCount:
    """A per-household aggregate: how many persons satisfy ``condition`` (a person-level
    expression over the person frame with household variables joined)."""

    name: str
    condition: pl.Expr


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A checked rule ready for bulk evaluation.

    ``expr`` is a Boolean, never-null expression over the household frame (``scope=
    "household"``) or the person frame with household variables joined (``"person"``), plus the
    columns named by ``counts``; ``counts`` are the member aggregates it needs.
    """

    expression: str
    scope: Scope
    tree: Expr = field(repr=False)
    expr: pl.Expr = field(repr=False)
    counts: tuple[MemberCount, ...] = field(repr=False)


# --- compiled values ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Scalar:
    expr: pl.Expr
    type: ScalarType
    nullable: bool = True
    const: bool = False
    value: object = None


@dataclass(frozen=True, slots=True)
class _ListLit:
    items: tuple[_Scalar, ...]


@dataclass(frozen=True, slots=True)
class _ListCol:
    expr: pl.Expr


@dataclass(frozen=True, slots=True)
class _Stream:
    """Members of the household (persons rows) selected by ``mask``, optionally mapped."""

    mask: pl.Expr
    transform: _Scalar | None


@dataclass(frozen=True, slots=True)
class _MemberRef:
    """The person evaluated or a member bound by a comprehension: fields are person columns."""


_Value: TypeAlias = _Scalar | _ListLit | _ListCol | _Stream | _MemberRef
_Binding: TypeAlias = _MemberRef | _Scalar

_DTYPES: Final[dict[str, pl.DataType]] = {
    "bool": pl.Boolean(),
    "int": pl.Int64(),
    "double": pl.Float64(),
    "string": pl.String(),
}
_CEL_SCALARS: Final[dict[str, ScalarType]] = {
    "bool": "bool",
    "int": "int",
    "double": "double",
    "string": "string",
}
_NUMERIC: Final = frozenset({"int", "double"})
_TRUE: Final = _Scalar(pl.lit(True), "bool", nullable=False, const=True, value=True)


def _lit(value: bool | int | float | str | None, type_: ScalarType) -> _Scalar:
    dtype = _DTYPES.get(type_, pl.Null())
    return _Scalar(pl.lit(value, dtype=dtype), type_, value is None, const=True, value=value)


def _truth(value: _Scalar) -> pl.Expr:
    """A boolean as a condition: missing is false."""
    return value.expr.fill_null(False) if value.nullable else value.expr


def _as_string(value: _Scalar) -> pl.Expr:
    # Enum columns order by category and have no str namespace: compare and search as text.
    return value.expr if value.const else value.expr.cast(pl.String)


def _bool(expr: pl.Expr) -> _Scalar:
    return _Scalar(expr, "bool", nullable=False)


def _count_name(condition: pl.Expr) -> str:
    digest = hashlib.sha1(condition.meta.serialize(format="json").encode(), usedforsecurity=False)
    return f"__n_{digest.hexdigest()[:16]}"


class _Compiler:
    def __init__(self, source: str, scope: Scope) -> None:
        self.source = source
        self.scope: Scope = scope
        self.counts: dict[str, MemberCount] = {}

    def unsupported(self, at: Position, construct: str) -> RuleNotSupportedError:
        return RuleNotSupportedError(self.source, position=at, construct=construct)

    # -- entry points ------------------------------------------------------------------------

    def scalar(self, node: Expr, env: Mapping[str, _Binding], in_members: bool) -> _Scalar:
        value = self.compile(node, env, in_members)
        if not isinstance(value, _Scalar):
            raise self.unsupported(node.pos, "list_value")
        return value

    def condition(self, node: Expr, env: Mapping[str, _Binding], in_members: bool) -> pl.Expr:
        value = self.scalar(node, env, in_members)
        if value.type not in ("bool", "null"):
            raise self.unsupported(node.pos, "non_boolean_condition")
        return _truth(value) if value.type == "bool" else pl.lit(False)

    def count(self, condition: pl.Expr) -> pl.Expr:
        name = _count_name(condition)
        self.counts.setdefault(name, MemberCount(name, condition))
        return pl.col(name).fill_null(0).cast(pl.Int64)

    # -- nodes -------------------------------------------------------------------------------

    def compile(self, node: Expr, env: Mapping[str, _Binding], in_members: bool) -> _Value:
        match node:
            case Const(value=value, type=const_type):
                if const_type in ("uint", "bytes"):
                    raise self.unsupported(node.pos, const_type)
                assert not isinstance(value, bytes)
                return _lit(value, "null" if const_type == "null" else _CEL_SCALARS[const_type])
            case Ident(name=name):
                return self._ident(node, name, env, in_members)
            case Select(operand=operand, field=name):
                target = self.compile(operand, env, in_members)
                if not isinstance(target, _MemberRef):
                    raise self.unsupported(node.pos, "select")
                return _field(name)
            case Index(operand=operand, index=index):
                return self._index(node, operand, index, env, in_members)
            case Unary(op=op, operand=operand):
                inner = self.scalar(operand, env, in_members)
                if op == "!":
                    if inner.type not in ("bool", "null"):
                        raise self.unsupported(node.pos, "non_boolean_condition")
                    return _bool(~_truth(inner) if inner.type == "bool" else pl.lit(True))
                if inner.type not in _NUMERIC:
                    raise self.unsupported(node.pos, "negation")
                return _Scalar(-inner.expr, inner.type, inner.nullable)
            case Binary():
                return self._binary(node, env, in_members)
            case Ternary(condition=condition, then=then, otherwise=otherwise):
                return self._ternary(node, condition, then, otherwise, env, in_members)
            case ListExpr(items=items):
                return _ListLit(tuple(self.scalar(item, env, in_members) for item in items))
            case MapExpr():
                raise self.unsupported(node.pos, "map")
            case Call():
                return self._call(node, env, in_members)
            case Has(select=select):
                target = self.compile(select.operand, env, in_members)
                if not isinstance(target, _MemberRef):
                    raise self.unsupported(node.pos, "has")
                return _bool(pl.col(select.field).is_not_null())
            case Comprehension():
                return self._comprehension(node, env, in_members)

    def _ident(
        self, node: Ident, name: str, env: Mapping[str, _Binding], in_members: bool
    ) -> _Value:
        if name in env:
            return env[name]
        if name == "members":
            if in_members:
                raise self.unsupported(node.pos, "nested_members")
            return _Stream(pl.lit(True), None)
        if name == PERSON_VARIABLE.name and self.scope == "person":
            if in_members:
                raise self.unsupported(node.pos, "person_in_members")
            return _MemberRef()
        variable = HOUSEHOLD_VARIABLES[name]
        if variable.cel_type == "list(string)":
            return _ListCol(pl.col(name))
        return _column(name, _CEL_SCALARS[variable.cel_type])

    def _index(
        self,
        node: Index,
        operand: Expr,
        index: Expr,
        env: Mapping[str, _Binding],
        in_members: bool,
    ) -> _Value:
        target = self.compile(operand, env, in_members)
        if isinstance(target, _MemberRef):
            if isinstance(index, Const) and isinstance(index.value, str):
                return _field(index.value)
            raise self.unsupported(node.pos, "index")
        if isinstance(target, _ListCol):
            position = self.scalar(index, env, in_members)
            if position.type != "int":
                raise self.unsupported(node.pos, "index")
            item = target.expr.list.get(position.expr, null_on_oob=True)
            return _Scalar(
                pl.when(position.expr >= 0).then(item).otherwise(pl.lit(None, pl.String)),
                "string",
            )
        raise self.unsupported(node.pos, "index")

    # -- operators ---------------------------------------------------------------------------

    def _binary(self, node: Binary, env: Mapping[str, _Binding], in_members: bool) -> _Value:
        op = node.op
        if op in ("&&", "||"):
            left = self.condition(node.left, env, in_members)
            right = self.condition(node.right, env, in_members)
            return _bool(left & right if op == "&&" else left | right)
        if op == "in":
            return self._in(node, env, in_members)
        left_value = self.scalar(node.left, env, in_members)
        right_value = self.scalar(node.right, env, in_members)
        if op in ("==", "!=", "<", "<=", ">", ">="):
            return _bool(_compare(op, left_value, right_value))
        return self._arithmetic(node, left_value, right_value)

    def _in(self, node: Binary, env: Mapping[str, _Binding], in_members: bool) -> _Value:
        needle = self.scalar(node.left, env, in_members)
        haystack = self.compile(node.right, env, in_members)
        match haystack:
            case _ListLit(items=items):
                expr: pl.Expr = pl.lit(False)
                for item in items:
                    expr = expr | _compare("==", needle, item)
                return _bool(expr)
            case _ListCol(expr=column):
                if needle.type != "string":
                    return _bool(pl.lit(False))
                return _bool(column.list.contains(_as_string(needle)).fill_null(False))
            case _Stream(mask=mask, transform=transform) if transform is not None:
                if self.scope == "person" and not _household_level(needle.expr):
                    raise self.unsupported(node.pos, "person_in_members")
                return _bool(self.count(mask & _compare("==", transform, needle)) > 0)
            case _:
                raise self.unsupported(node.pos, "in")

    def _arithmetic(self, node: Binary, left: _Scalar, right: _Scalar) -> _Scalar:
        op = node.op
        if left.type == "null" or right.type == "null":
            type_: ScalarType = right.type if left.type == "null" else left.type
            return _lit(None, type_ if type_ != "null" else "int")
        if left.type != right.type:
            raise self.unsupported(node.pos, "mixed_arithmetic")
        a, b = left.expr, right.expr
        if left.type == "string" and op == "+":
            return _Scalar(pl.concat_str([_as_string(left), _as_string(right)]), "string")
        if left.type not in _NUMERIC:
            raise self.unsupported(node.pos, "arithmetic")
        match op:
            case "+":
                expr = a + b
            case "-":
                expr = a - b
            case "*":
                expr = a * b
            case "/" if left.type == "double":
                expr = pl.when(b != 0).then(a / b).otherwise(pl.lit(None, pl.Float64))
            case "/":
                expr = pl.when(b != 0).then(_trunc_div(a, b)).otherwise(pl.lit(None, pl.Int64))
            case "%" if left.type == "int":
                expr = (
                    pl.when(b != 0).then(a - b * _trunc_div(a, b)).otherwise(pl.lit(None, pl.Int64))
                )
            case _:
                raise self.unsupported(node.pos, "arithmetic")
        return _Scalar(expr, left.type)

    def _ternary(
        self,
        node: Ternary,
        condition: Expr,
        then: Expr,
        otherwise: Expr,
        env: Mapping[str, _Binding],
        in_members: bool,
    ) -> _Scalar:
        test = self.condition(condition, env, in_members)
        a = self.scalar(then, env, in_members)
        b = self.scalar(otherwise, env, in_members)
        type_: ScalarType = a.type if a.type != "null" else b.type
        if a.type != "null" and b.type != "null" and a.type != b.type:
            raise self.unsupported(node.pos, "mixed_branches")
        if type_ == "null":
            return _lit(None, "null")
        dtype = _DTYPES[type_]
        branches = [_as_string(x) if type_ == "string" else x.expr.cast(dtype) for x in (a, b)]
        return _Scalar(
            pl.when(test).then(branches[0]).otherwise(branches[1]),
            type_,
            a.nullable or b.nullable,
        )

    # -- calls -------------------------------------------------------------------------------

    def _call(self, node: Call, env: Mapping[str, _Binding], in_members: bool) -> _Value:
        name = node.function
        subject_node = node.target if node.target is not None else None
        args = list(node.args)
        if subject_node is None and name in ("size", "matches", "int", "double", "string"):
            subject_node = args.pop(0)
        if subject_node is None:
            raise self.unsupported(node.pos, f"function_{name}")
        subject = self.compile(subject_node, env, in_members)
        if name == "size":
            return self._size(node, subject)
        if not isinstance(subject, _Scalar):
            raise self.unsupported(node.pos, f"function_{name}")
        if name in ("int", "double", "string"):
            return self._conversion(node, name, subject)
        if name not in ("startsWith", "endsWith", "contains", "matches") or len(args) != 1:
            raise self.unsupported(node.pos, f"function_{name}")
        argument = self.scalar(args[0], env, in_members)
        if subject.type != "string" or argument.type != "string":
            return _bool(pl.lit(False))
        text = _as_string(subject)
        if name == "matches":
            if not argument.const or not isinstance(argument.value, str):
                raise self.unsupported(args[0].pos, "regex_not_literal")
            pattern = argument.value
            if REGEX_FORBIDDEN.search(pattern):
                raise self.unsupported(args[0].pos, "regex_syntax")
            try:
                re.compile(pattern)
            except re.error:
                raise self.unsupported(args[0].pos, "regex_invalid") from None
            return _bool(text.str.contains(pattern, literal=False).fill_null(False))
        needle: str | pl.Expr = (
            argument.value if isinstance(argument.value, str) else _as_string(argument)
        )
        match name:
            case "startsWith":
                expr = text.str.starts_with(needle)
            case "endsWith":
                expr = text.str.ends_with(needle)
            case _:
                expr = text.str.contains(needle, literal=True)
        return _bool(expr.fill_null(False))

    def _size(self, node: Call, subject: _Value) -> _Scalar:
        match subject:
            case _Stream(mask=mask):
                return _Scalar(self.count(mask), "int", nullable=False)
            case _ListLit(items=items):
                return _lit(len(items), "int")
            case _ListCol(expr=column):
                return _Scalar(column.list.len().cast(pl.Int64).fill_null(0), "int", False)
            case _Scalar(type="string"):
                return _Scalar(_as_string(subject).str.len_chars().cast(pl.Int64), "int")
            case _:
                raise self.unsupported(node.pos, "size")

    def _conversion(self, node: Call, name: str, subject: _Scalar) -> _Scalar:
        match name, subject.type:
            case ("int", "int") | ("double", "double") | ("string", "string"):
                return subject
            case ("int", "double"):
                # CEL truncates toward zero; NaN and out-of-range values are errors (null).
                return _Scalar(subject.expr.cast(pl.Int64, strict=False), "int")
            case ("double", "int"):
                return _Scalar(subject.expr.cast(pl.Float64), "double", subject.nullable)
            case ("string", "int") | ("string", "bool"):
                return _Scalar(subject.expr.cast(pl.String), "string", subject.nullable)
            case _:
                raise self.unsupported(node.pos, f"conversion_{name}_{subject.type}")

    # -- comprehensions ----------------------------------------------------------------------

    def _comprehension(
        self, node: Comprehension, env: Mapping[str, _Binding], in_members: bool
    ) -> _Value:
        target = self.compile(node.target, env, in_members)
        if isinstance(target, _ListLit):
            return self._unrolled(node, target, env, in_members)
        if not isinstance(target, _Stream):
            raise self.unsupported(node.pos, "comprehension_target")
        element: _Binding = target.transform if target.transform is not None else _MemberRef()
        inner = {**env, node.variable: element}
        predicate = (
            self.condition(node.predicate, inner, True) if node.predicate is not None else None
        )
        match node.macro:
            case "exists":
                assert predicate is not None
                return _bool(self.count(target.mask & predicate) > 0)
            case "all":
                assert predicate is not None
                return _bool(self.count(target.mask & ~predicate) == 0)
            case "exists_one":
                assert predicate is not None
                return _bool(self.count(target.mask & predicate) == 1)
            case "filter":
                assert predicate is not None
                return _Stream(target.mask & predicate, target.transform)
            case "map":
                assert node.transform is not None
                transform = self.compile(node.transform, inner, True)
                if not isinstance(transform, _Scalar):
                    raise self.unsupported(node.transform.pos, "map_value")
                mask = target.mask & predicate if predicate is not None else target.mask
                return _Stream(mask, transform)

    def _unrolled(
        self,
        node: Comprehension,
        target: _ListLit,
        env: Mapping[str, _Binding],
        in_members: bool,
    ) -> _Value:
        if node.macro not in ("exists", "all", "exists_one") or node.predicate is None:
            raise self.unsupported(node.pos, "comprehension_target")
        tests = [
            self.condition(node.predicate, {**env, node.variable: item}, in_members)
            for item in target.items
        ]
        if node.macro == "exists":
            return _bool(pl.any_horizontal(pl.lit(False), *tests))
        if node.macro == "all":
            return _bool(pl.all_horizontal(pl.lit(True), *tests))
        matches = pl.sum_horizontal(pl.lit(0), *(test.cast(pl.Int64) for test in tests))
        return _bool(matches == 1)


def _column(name: str, type_: ScalarType) -> _Scalar:
    column = pl.col(name)
    if type_ in ("int", "double"):
        column = column.cast(_DTYPES[type_])
    return _Scalar(column, type_)


def _field(name: str) -> _Scalar:
    return _column(name, _CEL_SCALARS[PERSON_FIELDS[name].cel_type])


def _household_level(expr: pl.Expr) -> bool:
    return not set(expr.meta.root_names()) & set(PERSON_FIELDS)


def _trunc_div(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    # Polars' // floors; CEL truncates toward zero.
    floor = a // b
    inexact = ((a % b) != 0) & ((a < 0) != (b < 0))
    return floor + inexact.cast(pl.Int64)


def _kind(type_: ScalarType) -> str:
    return "number" if type_ in _NUMERIC else type_


def _compare(op: str, left: _Scalar, right: _Scalar) -> pl.Expr:
    """A never-null comparison under the shared semantics (missing is false)."""
    if left.type == "null" or right.type == "null":
        if op not in ("==", "!="):
            return pl.lit(False)
        other = right if left.type == "null" else left
        if other.type == "null":
            return pl.lit(op == "==")
        return other.expr.is_null() if op == "==" else other.expr.is_not_null()
    if _kind(left.type) != _kind(right.type):
        if op == "!=":
            return left.expr.is_not_null() & right.expr.is_not_null()
        return pl.lit(False)
    a, b = left.expr, right.expr
    if left.type == "string" and (op not in ("==", "!=") or not (left.const or right.const)):
        a, b = _as_string(left), _as_string(right)
    match op:
        case "==":
            expr = a == b
        case "!=":
            expr = a != b
        case "<":
            expr = a < b
        case "<=":
            expr = a <= b
        case ">":
            expr = a > b
        case _:
            expr = a >= b
    return expr.fill_null(False)


# --- public API ---------------------------------------------------------------------------


def compile_rule(expression: str, *, scope: Scope = "household") -> CompiledRule:
    """Check and compile an eligibility rule to a Polars expression.

    Parameters
    ----------
    expression
        The CEL text of the rule.
    scope
        ``"household"`` (one result per household) or ``"person"`` (one per person).

    Returns
    -------
    CompiledRule

    Raises
    ------
    RuleError
        If the checker finds problems (they are in ``error.problems``).
    RuleNotSupportedError
        If the rule is valid CEL but uses a form the evaluators do not run (a map literal,
        ``uint``/``bytes`` values, a comprehension over ``programs``, ``members`` inside a
        member comprehension, a non-literal ``matches`` pattern…).

    Examples
    --------
    >>> compile_rule("person.age <= 28", scope="person").scope
    'person'
    >>> compile_rule('zone == "urbano"')
    Traceback (most recent call last):
    ...
    oferta.engine.eligibility.errors.RuleError: unknown_value at 1:9 (...)
    """
    problems = check_rule(expression, scope=scope)
    if problems:
        raise RuleError(expression, problems)
    tree = parse(expression)
    compiler = _Compiler(expression, scope)
    expr = compiler.condition(tree, {}, False)
    return CompiledRule(expression, scope, tree, expr, tuple(compiler.counts.values()))


def _with_counts(
    rules: Mapping[str, CompiledRule], households: pl.LazyFrame, persons: pl.LazyFrame
) -> pl.LazyFrame:
    """The household frame with every member count of every rule (one group_by over persons)."""
    counts: dict[str, MemberCount] = {}
    for rule in rules.values():
        for count in rule.counts:
            counts.setdefault(count.name, count)
    if not counts:
        return households
    household_columns = set(households.collect_schema().names()) - {HOUSEHOLD_ID}
    needed = sorted(
        {
            name
            for count in counts.values()
            for name in count.condition.meta.root_names()
            if name in household_columns
        }
    )
    members = persons
    if needed:
        members = persons.join(
            households.select(HOUSEHOLD_ID, *needed), on=HOUSEHOLD_ID, how="left"
        )
    # Conditions are computed as columns first, so that the group_by only sums columns (its
    # fast path); an expression inside ``agg`` would be evaluated group by group.
    aggregated = (
        members.select(
            HOUSEHOLD_ID, *(count.condition.alias(name) for name, count in counts.items())
        )
        .group_by(HOUSEHOLD_ID)
        .agg(pl.col(name).sum() for name in counts)
    )
    # Join only the ids and put the counts beside the households: joining the wide household
    # frame would copy every column.
    aligned = (
        households.select(HOUSEHOLD_ID)
        .join(aggregated, on=HOUSEHOLD_ID, how="left", maintain_order="left")
        .drop(HOUSEHOLD_ID)
    )
    return pl.concat([households, aligned], how="horizontal")


def evaluate_rules(
    rules: Mapping[str, CompiledRule], households: pl.LazyFrame, persons: pl.LazyFrame
) -> pl.LazyFrame:
    """Evaluate many rules at once: one row per household, one Boolean column per rule id.

    Member comprehensions of all rules are computed in a single ``group_by`` over
    ``persons``. A person rule's column is true when at least one member is eligible.

    Parameters
    ----------
    rules
        Rule id (e.g. the offer id) to compiled rule.
    households
        The household frame (:func:`~oferta.engine.eligibility.frame.household_frame`).
    persons
        The person frame (:func:`~oferta.engine.eligibility.frame.person_frame`).

    Returns
    -------
    pl.LazyFrame
        ``household_id`` and one never-null Boolean column per rule.

    Examples
    --------
    >>> households = pl.LazyFrame({"household_id": ["h1"], "zone": ["rural"]})
    >>> persons = pl.LazyFrame({"household_id": ["h1"], "person_id": ["p1"], "age": [30]})
    >>> rules = {"a": compile_rule('zone == "rural"'),
    ...          "b": compile_rule("person.age < 28", scope="person")}
    >>> evaluate_rules(rules, households, persons).collect().rows()
    [('h1', True, False)]
    """
    household_rules = {k: r for k, r in rules.items() if r.scope == "household"}
    person_rules = {k: r for k, r in rules.items() if r.scope == "person"}
    frame = _with_counts(rules, households, persons)
    columns = [HOUSEHOLD_ID]
    result = frame.select(
        HOUSEHOLD_ID, *(rule.expr.alias(rule_id) for rule_id, rule in household_rules.items())
    )
    if person_rules:
        any_person = (
            evaluate_person_rules(person_rules, frame, persons, counted=True)
            .group_by(HOUSEHOLD_ID)
            .agg(pl.col(rule_id).any() for rule_id in person_rules)
        )
        result = result.join(
            any_person, on=HOUSEHOLD_ID, how="left", maintain_order="left"
        ).with_columns(pl.col(rule_id).fill_null(False) for rule_id in person_rules)
    columns.extend(rules)
    return result.select(columns)


def evaluate_person_rules(
    rules: Mapping[str, CompiledRule],
    households: pl.LazyFrame,
    persons: pl.LazyFrame,
    *,
    counted: bool = False,
) -> pl.LazyFrame:
    """Evaluate person rules: one row per person, one Boolean column per rule id.

    Parameters
    ----------
    rules
        Rule id to compiled rule of ``scope="person"``.
    households, persons
        The household and person frames.
    counted
        ``households`` already carries the member counts of ``rules`` (internal).

    Returns
    -------
    pl.LazyFrame
        ``household_id``, ``person_id`` and one never-null Boolean column per rule.

    Examples
    --------
    >>> households = pl.LazyFrame({"household_id": ["h1"], "zone": ["rural"]})
    >>> persons = pl.LazyFrame({"household_id": ["h1", "h1"], "person_id": ["p1", "p2"],
    ...                         "age": [30, 20]})
    >>> rules = {"r": compile_rule('zone == "rural" && person.age < 28', scope="person")}
    >>> evaluate_person_rules(rules, households, persons).collect().rows()
    [('h1', 'p1', False), ('h1', 'p2', True)]
    """
    for rule_id, rule in rules.items():
        if rule.scope != "person":
            raise ValueError(f"rule {rule_id!r} is a household rule")
    frame = households if counted else _with_counts(rules, households, persons)
    needed: set[str] = set()
    for rule in rules.values():
        needed.update(rule.expr.meta.root_names())
    household_columns = set(frame.collect_schema().names()) - {HOUSEHOLD_ID}
    joined = sorted(needed & household_columns)
    person_columns = sorted((needed & set(persons.collect_schema().names())) - {HOUSEHOLD_ID})
    rows = persons.select(HOUSEHOLD_ID, PERSON_ID, *person_columns)
    if joined:
        rows = rows.join(
            frame.select(HOUSEHOLD_ID, *joined), on=HOUSEHOLD_ID, how="left", maintain_order="left"
        )
    return rows.select(
        HOUSEHOLD_ID, PERSON_ID, *(rule.expr.alias(rule_id) for rule_id, rule in rules.items())
    )


def eligible_pairs(
    rules: Mapping[str, CompiledRule], households: pl.LazyFrame, persons: pl.LazyFrame
) -> pl.LazyFrame:
    """The eligible (household, offer, person) triples, long format, only true pairs.

    Household rules give one row per eligible household with ``person_id`` null; person rules
    one row per eligible person. ``offer_id`` is an Enum of the rule ids.

    Examples
    --------
    >>> households = pl.LazyFrame({"household_id": ["h1", "h2"], "zone": ["rural", "urban"]})
    >>> persons = pl.LazyFrame({"household_id": ["h1", "h2"], "person_id": ["p1", "p2"],
    ...                         "age": [30, 20]})
    >>> rules = {"a": compile_rule('zone == "rural"'),
    ...          "b": compile_rule("person.age < 28", scope="person")}
    >>> eligible_pairs(rules, households, persons).collect().rows()
    [('h1', 'a', None), ('h2', 'b', 'p2')]
    """
    offer = pl.Enum(list(rules))
    household_rules = {k: r for k, r in rules.items() if r.scope == "household"}
    person_rules = {k: r for k, r in rules.items() if r.scope == "person"}
    frame = _with_counts(rules, households, persons)
    parts: list[pl.LazyFrame] = []
    person_id_dtype = persons.collect_schema().get(PERSON_ID, pl.String())
    if household_rules:
        wide = frame.select(
            HOUSEHOLD_ID, *(rule.expr.alias(rule_id) for rule_id, rule in household_rules.items())
        )
        parts.extend(
            wide.filter(pl.col(rule_id)).select(
                HOUSEHOLD_ID,
                pl.lit(rule_id, dtype=offer).alias(OFFER_ID),
                pl.lit(None, dtype=person_id_dtype).alias(PERSON_ID),
            )
            for rule_id in household_rules
        )
    if person_rules:
        wide = evaluate_person_rules(person_rules, frame, persons, counted=True)
        parts.extend(
            wide.filter(pl.col(rule_id)).select(
                HOUSEHOLD_ID, pl.lit(rule_id, dtype=offer).alias(OFFER_ID), PERSON_ID
            )
            for rule_id in person_rules
        )
    if not parts:
        id_dtype = households.collect_schema()[HOUSEHOLD_ID]
        return pl.LazyFrame(
            schema={HOUSEHOLD_ID: id_dtype, OFFER_ID: offer, PERSON_ID: person_id_dtype}
        )
    return pl.concat(parts, how="vertical")
