"""Evaluate one rule for one household (or one person) with a trace of why it holds or fails.

The interpreter walks the syntax tree with Python values under exactly the semantics of the
bulk compiler (:mod:`oferta.engine.eligibility.compile`: missing values never satisfy a
condition, errors are missing values, ``int``/``double`` compare by value); a property test
requires both evaluators to agree on random households and rules. The trace names the clause
that decided the result with the values it read: for ``&&`` the first false operand, for
``||`` all the false operands, for a comprehension the member that matched or failed.

Example
-------
>>> trace = evaluate_household("person.age <= 28", household={}, members=[],
...                            person={"age": 30})
>>> trace.result, trace.failing[0].as_dict()["values"]
(False, {'person.age': 30})
>>> explain_es(trace)
'no cumple: edad 30 > 28'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from .checker import Scope
from .compile import CompiledRule, compile_rule
from .messages import explain_clause_es
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
    Position,
    Select,
    Ternary,
    Unary,
)
from .variables import HOUSEHOLD_VARIABLES, PERSON_FIELDS, PERSON_VARIABLE

__all__ = ["Clause", "ClauseKind", "Trace", "evaluate_household", "explain_es"]

ClauseKind = Literal[
    "and", "or", "not", "ternary", "comparison", "in", "exists", "all", "exists_one", "value"
]
_INT64: Final = (-(2**63), 2**63 - 1)


@dataclass(frozen=True, slots=True)
class Clause:
    """One boolean clause of the rule with its result and what explains it.

    ``clause`` is the source text, ``values`` the non-constant operands it read (source text
    to value), ``causes`` the sub-clauses that decided it, ``member`` the 0-based index of the
    member (or list item) that matched (``exists``) or failed (``all``), ``matches`` how many
    members matched a comprehension.
    """

    clause: str
    position: Position
    result: bool
    kind: ClauseKind
    operator: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    causes: tuple[Clause, ...] = ()
    member: int | None = None
    matches: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The clause as plain data (JSON-ready except for values that are not)."""
        data: dict[str, Any] = {
            "clause": self.clause,
            "result": self.result,
            "kind": self.kind,
            "position": {"line": self.position.line, "column": self.position.column},
            "values": dict(self.values),
        }
        if self.operator is not None:
            data["operator"] = self.operator
        if self.member is not None:
            data["member"] = self.member
        if self.matches is not None:
            data["matches"] = self.matches
        if self.causes:
            data["causes"] = [cause.as_dict() for cause in self.causes]
        return data


@dataclass(frozen=True, slots=True)
class Trace:
    """The result of a rule for one household (or person) and the clause tree behind it."""

    result: bool
    clause: Clause

    @property
    def failing(self) -> list[Clause]:
        """The leaf clauses that explain the result (when false: what failed)."""
        leaves: list[Clause] = []
        stack = [self.clause]
        while stack:
            current = stack.pop()
            if current.causes:
                stack.extend(reversed(current.causes))
            else:
                leaves.append(current)
        return leaves


# --- runtime values -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Member:
    fields: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class _Stream:
    """Selected members (index, member) and, after ``map``, their values."""

    items: tuple[tuple[int, _Member], ...]
    values: tuple[Any, ...] | None = None
    null_typed: bool = False


@dataclass(frozen=True, slots=True)
class _Bound:
    value: Any
    null_typed: bool


def _truth(value: Any) -> bool:
    return value is True


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def _compare(op: str, a: Any, a_null: bool, b: Any, b_null: bool) -> bool:
    """Comparison under the shared semantics; ``*_null`` marks a statically null operand."""
    if a_null or b_null:
        if op not in ("==", "!="):
            return False
        if a_null and b_null:
            return op == "=="
        other = b if a_null else a
        return (other is None) == (op == "==")
    if a is None or b is None:
        return False
    if _kind(a) != _kind(b):
        return op == "!="
    match op:
        case "==":
            return bool(a == b)
        case "!=":
            return bool(a != b)
        case "<":
            return bool(a < b)
        case "<=":
            return bool(a <= b)
        case ">":
            return bool(a > b)
        case _:
            return bool(a >= b)


def _int(value: int) -> int | None:
    return value if _INT64[0] <= value <= _INT64[1] else None


def _trunc_div(a: int, b: int) -> int:
    quotient = abs(a) // abs(b)
    return quotient if (a < 0) == (b < 0) else -quotient


class _Interpreter:
    def __init__(
        self,
        source: str,
        household: Mapping[str, Any],
        members: Sequence[Mapping[str, Any]],
        person: Mapping[str, Any] | None,
    ) -> None:
        self.source = source
        self.household = household
        self.members = tuple((i, _Member(m)) for i, m in enumerate(members))
        self.person = _Member(person) if person is not None else None

    def text(self, node: Expr) -> str:
        return " ".join(node.span.text(self.source).split())

    # -- static null type (as the compiler types it) ----------------------------------------

    def null_typed(self, node: Expr, env: Mapping[str, Any]) -> bool:
        match node:
            case Const(type="null"):
                return True
            case Ident(name=name) if name in env:
                bound = env[name]
                return isinstance(bound, _Bound) and bound.null_typed
            case Ternary(then=then, otherwise=otherwise):
                return self.null_typed(then, env) and self.null_typed(otherwise, env)
            case _:
                return False

    # -- values ------------------------------------------------------------------------------

    def eval(self, node: Expr, env: Mapping[str, Any]) -> Any:
        match node:
            case Const(value=value):
                return value
            case Ident(name=name):
                return self.ident(name, env)
            case Select(operand=operand, field=name):
                return self.field(self.eval(operand, env), name)
            case Index(operand=operand, index=index):
                target = self.eval(operand, env)
                if isinstance(target, _Member):
                    assert isinstance(index, Const)
                    assert isinstance(index.value, str)
                    return self.field(target, index.value)
                position = self.eval(index, env)
                if position is None or position < 0 or position >= len(target):
                    return None
                return target[position]
            case Unary(op="!", operand=operand):
                return not _truth(self.eval(operand, env))
            case Unary(operand=operand):
                value = self.eval(operand, env)
                if value is None:
                    return None
                return _int(-value) if isinstance(value, int) else -value
            case Binary(op="&&", left=left, right=right):
                return _truth(self.eval(left, env)) and _truth(self.eval(right, env))
            case Binary(op="||", left=left, right=right):
                return _truth(self.eval(left, env)) or _truth(self.eval(right, env))
            case Binary(op="in", left=left, right=right):
                return self.contains(node, left, right, env)
            case Binary(op=op, left=left, right=right) if op in ("==", "!=", "<", "<=", ">", ">="):
                return _compare(
                    op,
                    self.eval(left, env),
                    self.null_typed(left, env),
                    self.eval(right, env),
                    self.null_typed(right, env),
                )
            case Binary(op=op, left=left, right=right):
                return _arithmetic(op, self.eval(left, env), self.eval(right, env))
            case Ternary(condition=condition, then=then, otherwise=otherwise):
                chosen = then if _truth(self.eval(condition, env)) else otherwise
                return self.eval(chosen, env)
            case ListExpr(items=items):
                return [self.eval(item, env) for item in items]
            case Call():
                return self.call(node, env)
            case Has(select=select):
                return self.field(self.eval(select.operand, env), select.field) is not None
            case Comprehension():
                return self.comprehension(node, env)[0]
            case _:  # pragma: no cover - compile_rule refuses the other forms
                raise AssertionError(f"unsupported node {type(node).__name__}")

    def ident(self, name: str, env: Mapping[str, Any]) -> Any:
        if name in env:
            bound = env[name]
            return bound.value if isinstance(bound, _Bound) else bound
        if name == "members":
            return _Stream(self.members)
        if name == PERSON_VARIABLE.name and self.person is not None:
            return self.person
        value = self.household.get(name)
        return _coerce(HOUSEHOLD_VARIABLES[name].cel_type, value)

    @staticmethod
    def field(member: Any, name: str) -> Any:
        assert isinstance(member, _Member)
        return _coerce(PERSON_FIELDS[name].cel_type, member.fields.get(name))

    def contains(self, node: Binary, left: Expr, right: Expr, env: Mapping[str, Any]) -> bool:
        needle = self.eval(left, env)
        needle_null = self.null_typed(left, env)
        if isinstance(right, ListExpr):
            return any(
                _compare(
                    "==", needle, needle_null, self.eval(item, env), self.null_typed(item, env)
                )
                for item in right.items
            )
        haystack = self.eval(right, env)
        if isinstance(haystack, _Stream):
            assert haystack.values is not None
            return any(
                _compare("==", value, haystack.null_typed, needle, needle_null)
                for value in haystack.values
            )
        return isinstance(needle, str) and needle in haystack

    def call(self, node: Call, env: Mapping[str, Any]) -> Any:
        args = list(node.args)
        subject_node = node.target if node.target is not None else args.pop(0)
        subject = self.eval(subject_node, env)
        name = node.function
        if name == "size":
            if isinstance(subject, _Stream):
                return len(subject.items)
            if isinstance(subject, list):
                return len(subject)
            return None if subject is None else len(subject)
        if name == "int":
            if isinstance(subject, float):
                return _int(int(subject)) if subject == subject and abs(subject) < 2**64 else None
            return subject
        if name == "double":
            return float(subject) if isinstance(subject, int) else subject
        if name == "string":
            if isinstance(subject, bool):
                return "true" if subject else "false"
            return None if subject is None else str(subject)
        argument = self.eval(args[0], env)
        if not isinstance(subject, str) or not isinstance(argument, str):
            return False
        match name:
            case "startsWith":
                return subject.startswith(argument)
            case "endsWith":
                return subject.endswith(argument)
            case "contains":
                return argument in subject
            case _:
                return re.search(argument, subject) is not None

    def comprehension(
        self, node: Comprehension, env: Mapping[str, Any]
    ) -> tuple[Any, list[tuple[int, Mapping[str, Any]]]]:
        """The value of the macro and, for boolean macros, the (index, env) of each element
        whose predicate held."""
        target = self.eval(node.target, env)
        elements: list[tuple[int, Any, Mapping[str, Any]]] = []
        if isinstance(target, _Stream):
            for position, (index, member) in enumerate(target.items):
                bound: Any = (
                    _Bound(target.values[position], target.null_typed)
                    if target.values is not None
                    else member
                )
                elements.append((index, member, {**env, node.variable: bound}))
        else:
            assert isinstance(node.target, ListExpr)
            for index, item in enumerate(node.target.items):
                bound = _Bound(self.eval(item, env), self.null_typed(item, env))
                elements.append((index, None, {**env, node.variable: bound}))
        held: list[tuple[int, Mapping[str, Any]]] = []
        failed: list[tuple[int, Mapping[str, Any]]] = []
        kept: list[int] = []
        for position, (index, _member, inner) in enumerate(elements):
            if node.predicate is None or _truth(self.eval(node.predicate, inner)):
                held.append((index, inner))
                kept.append(position)
            else:
                failed.append((index, inner))
        match node.macro:
            case "exists":
                return bool(held), held
            case "all":
                return not failed, failed
            case "exists_one":
                return len(held) == 1, held
            case "filter":
                assert isinstance(target, _Stream)
                return _Stream(
                    tuple(target.items[p] for p in kept),
                    tuple(target.values[p] for p in kept) if target.values is not None else None,
                    target.null_typed,
                ), held
            case _:
                assert isinstance(target, _Stream)
                assert node.transform is not None
                transform = node.transform
                return _Stream(
                    tuple(target.items[p] for p in kept),
                    tuple(self.eval(transform, elements[p][2]) for p in kept),
                    self.null_typed(transform, elements[kept[0]][2]) if kept else False,
                ), held

    # -- explanations -------------------------------------------------------------------------

    def explain(self, node: Expr, env: Mapping[str, Any]) -> Clause:
        text = self.text(node)
        match node:
            case Binary(op="&&", left=left, right=right):
                first = self.explain(left, env)
                if not first.result:
                    return Clause(text, node.pos, False, "and", "&&", causes=(first,))
                second = self.explain(right, env)
                causes = (second,) if not second.result else (first, second)
                return Clause(text, node.pos, second.result, "and", "&&", causes=causes)
            case Binary(op="||", left=left, right=right):
                parts = [self.explain(left, env), self.explain(right, env)]
                true = [part for part in parts if part.result]
                if true:
                    return Clause(text, node.pos, True, "or", "||", causes=(true[0],))
                flat: list[Clause] = []
                for part in parts:
                    flat.extend(part.causes if part.kind == "or" else (part,))
                return Clause(text, node.pos, False, "or", "||", causes=tuple(flat))
            case Unary(op="!", operand=operand):
                inner = self.explain(operand, env)
                return Clause(text, node.pos, not inner.result, "not", "!", causes=(inner,))
            case Ternary(condition=condition, then=then, otherwise=otherwise):
                test = self.explain(condition, env)
                branch = self.explain(then if test.result else otherwise, env)
                return Clause(text, node.pos, branch.result, "ternary", causes=(test, branch))
            case Comprehension(macro=macro) if macro in ("exists", "all", "exists_one"):
                return self.explain_comprehension(node, env, text)
            case Binary(op=op, left=left, right=right) if op in (
                "==",
                "!=",
                "<",
                "<=",
                ">",
                ">=",
                "in",
            ):
                values = {
                    self.text(side): _shown(self.eval(side, env))
                    for side in (left, right)
                    if not isinstance(side, Const | ListExpr)
                }
                return Clause(
                    text,
                    node.pos,
                    _truth(self.eval(node, env)),
                    "in" if op == "in" else "comparison",
                    op,
                    values,
                )
            case _:
                values = {}
                if not isinstance(node, Const):
                    values = {text: _shown(self.eval(node, env))}
                    if isinstance(node, Call | Has):
                        values = {
                            self.text(part): _shown(self.eval(part, env))
                            for part in _operands(node)
                            if not isinstance(part, Const)
                        }
                return Clause(text, node.pos, _truth(self.eval(node, env)), "value", None, values)

    def explain_comprehension(
        self, node: Comprehension, env: Mapping[str, Any], text: str
    ) -> Clause:
        result, decisive = self.comprehension(node, env)
        assert node.predicate is not None
        kind: ClauseKind = node.macro  # type: ignore[assignment]
        predicate = node.predicate
        if node.macro == "exists_one":
            causes = tuple(self.explain(predicate, inner) for _, inner in decisive[:3])
            return Clause(text, node.pos, bool(result), kind, matches=len(decisive), causes=causes)
        if decisive:
            index, inner = decisive[0]
            return Clause(
                text,
                node.pos,
                bool(result),
                kind,
                member=index,
                matches=len(decisive) if node.macro == "exists" else None,
                causes=(self.explain(predicate, inner),),
            )
        return Clause(text, node.pos, bool(result), kind, matches=0)


def _operands(node: Call | Has) -> tuple[Expr, ...]:
    if isinstance(node, Has):
        return (node.select,)
    return (node.target, *node.args) if node.target is not None else node.args


def _shown(value: Any) -> Any:
    if isinstance(value, _Stream):
        return list(value.values) if value.values is not None else len(value.items)
    if isinstance(value, _Member):
        return dict(value.fields)
    return value


def _coerce(cel_type: str, value: Any) -> Any:
    if value is None:
        return [] if cel_type == "list(string)" else None
    if cel_type == "double" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if cel_type == "list(string)":
        return list(value)
    return value


def _arithmetic(op: str, a: Any, b: Any) -> Any:
    if a is None or b is None:
        return None
    if isinstance(a, str):
        return a + b
    if op == "/":
        if b == 0:
            return None
        return _int(_trunc_div(a, b)) if isinstance(a, int) else a / b
    if op == "%":
        return None if b == 0 else _int(a - b * _trunc_div(a, b))
    result = a + b if op == "+" else a - b if op == "-" else a * b
    return _int(result) if isinstance(result, int) else result


def evaluate_household(
    rule: str | CompiledRule,
    *,
    household: Mapping[str, Any],
    members: Sequence[Mapping[str, Any]],
    person: Mapping[str, Any] | None = None,
    scope: Scope | None = None,
) -> Trace:
    """Evaluate a rule for one household (or, with ``person``, one person) with a trace.

    Parameters
    ----------
    rule
        The CEL text or a :class:`~oferta.engine.eligibility.compile.CompiledRule`; text is
        checked and compiled first, so the same rules are refused as in bulk.
    household
        Household variables by name (absent ones are missing); ``programs`` a list.
    members
        The household's persons, each a mapping of member fields.
    person
        The person evaluated, for rules aimed at persons.
    scope
        The rule's scope when ``rule`` is text; by default ``"person"`` when ``person`` is
        given.

    Returns
    -------
    Trace

    Raises
    ------
    RuleError
        When the rule is invalid or not supported.

    Examples
    --------
    >>> trace = evaluate_household("members.exists(m, m.age < 6)", household={},
    ...                            members=[{"age": 30}, {"age": 4}])
    >>> trace.result, trace.clause.member
    (True, 1)
    """
    if isinstance(rule, str):
        rule = compile_rule(rule, scope=scope or ("person" if person is not None else "household"))
    if rule.scope == "person" and person is None:
        raise ValueError("a person rule needs the person evaluated")
    interpreter = _Interpreter(rule.expression, household, members, person)
    clause = interpreter.explain(rule.tree, {})
    return Trace(clause.result, clause)


def explain_es(trace: Trace) -> str:
    """A short Spanish explanation for the interface: "cumple" or "no cumple: …".

    Examples
    --------
    >>> trace = evaluate_household('zone == "rural" && sisben_rank <= 9',
    ...                            household={"zone": "rural", "sisben_rank": 14}, members=[])
    >>> explain_es(trace)
    'no cumple: posición Sisbén 14 > 9'
    """
    if trace.result:
        return "cumple"
    return "no cumple: " + explain_clause_es(trace.clause)
