"""Static checks of an eligibility rule: syntax, known names, types and enumerated values.

The checker infers a CEL type for every node of the syntax tree (:mod:`.syntax`) and reports
what would make the rule fail or never match: unknown variables, fields and functions, wrong
argument counts, operators applied to types CEL has no overload for, enumerated variables
compared with values they never take, and a rule whose result is not a boolean. Whatever it
cannot know (an earlier error, ``dyn``) it types as ``dyn`` and does not report again, so a
valid rule never gets a problem and a wrong one gets one problem per mistake.

Example
-------
>>> check_rule("sisben_rank <= 9 && members.exists(m, m.age >= 60)")
[]
>>> [(p.kind, p.line, p.column) for p in check_rule('zone == "urbano"')]
[('unknown_value', 1, 9)]
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

from .syntax import (
    MACROS,
    Binary,
    Call,
    Comprehension,
    Const,
    EmptyRuleError,
    Expr,
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
)
from .variables import (
    NAME_ALIASES_ES,
    OPEN_VALUE_VARIABLES,
    PERSON_FIELDS,
    PERSON_VARIABLE,
    VALUE_ALIASES_ES,
    Variable,
    variables_for,
)

__all__ = ["ProblemKind", "RuleProblem", "Scope", "Type", "check_rule"]

ProblemKind = Literal[
    "empty",
    "syntax",
    "unknown_variable",
    "unknown_field",
    "type_mismatch",
    "unknown_function",
    "wrong_arity",
    "unknown_value",
]
Scope = Literal["household", "person"]


@dataclass(frozen=True, slots=True)
class RuleProblem:
    """One problem found in a rule.

    ``line`` and ``column`` are 1-based (None only for ``empty``); ``offset`` is the 0-based
    character offset of the same place. ``detail`` holds the facts a message needs, all
    strings: always ``name``/``suggestion`` for unknown names; ``context`` and the types for
    ``type_mismatch``; ``near``/``expected``/``reason`` for ``syntax``.
    """

    kind: ProblemKind
    line: int | None
    column: int | None
    detail: Mapping[str, str] = field(default_factory=dict, hash=False)
    offset: int | None = None


TypeName = Literal[
    "bool", "int", "uint", "double", "string", "bytes", "null", "list", "map", "member", "dyn"
]


@dataclass(frozen=True, slots=True)
class Type:
    """A CEL type as the checker sees it (``list`` has ``elem``; ``map`` has ``key``, ``elem``)."""

    name: TypeName
    elem: Type | None = None
    key: Type | None = None

    def __str__(self) -> str:
        if self.name == "list":
            return f"list({self.elem})"
        if self.name == "map":
            return f"map({self.key}, {self.elem})"
        return self.name


BOOL: Final = Type("bool")
INT: Final = Type("int")
UINT: Final = Type("uint")
DOUBLE: Final = Type("double")
STRING: Final = Type("string")
BYTES: Final = Type("bytes")
NULL: Final = Type("null")
DYN: Final = Type("dyn")
MEMBER: Final = Type("member")
_NUMERIC: Final = frozenset({"int", "uint", "double"})
_ORDERED: Final = frozenset({"int", "uint", "double", "string", "bytes", "bool"})

_CEL_TYPES: Final[dict[str, Type]] = {
    "bool": BOOL,
    "int": INT,
    "double": DOUBLE,
    "string": STRING,
    "member": MEMBER,
    "list(string)": Type("list", STRING),
    "list(member)": Type("list", MEMBER),
}

# Conversions: the argument types each accepts (CEL standard definitions, minus time types).
_CONVERSIONS: Final[dict[str, tuple[Type, frozenset[str]]]] = {
    "int": (INT, frozenset({"int", "uint", "double", "string"})),
    "uint": (UINT, frozenset({"int", "uint", "double", "string"})),
    "double": (DOUBLE, frozenset({"int", "uint", "double", "string"})),
    "string": (STRING, frozenset({"int", "uint", "double", "string", "bool", "bytes"})),
    "bool": (BOOL, frozenset({"bool", "string"})),
    "bytes": (BYTES, frozenset({"string", "bytes"})),
}
_SIZED: Final = frozenset({"string", "bytes", "list", "map"})
_STRING_METHODS: Final = frozenset({"startsWith", "endsWith", "contains", "matches"})
GLOBAL_FUNCTIONS: Final[dict[str, tuple[int, ...]]] = {
    "size": (1,),
    "has": (1,),
    "matches": (2,),
    "dyn": (1,),
    **dict.fromkeys(_CONVERSIONS, (1,)),
}
"""Functions called as ``f(x)`` and their argument counts."""
METHODS: Final[dict[str, tuple[int, ...]]] = {
    "size": (0,),
    **dict.fromkeys(_STRING_METHODS, (1,)),
    "all": (2,),
    "exists": (2,),
    "exists_one": (2,),
    "filter": (2,),
    "map": (2, 3),
}
"""Functions called as ``x.f(...)`` and their argument counts (macros count the variable)."""
_FUNCTION_ALIASES_ES: Final[dict[str, str]] = {
    "longitud": "size",
    "tamano": "size",
    "largo": "size",
    "contiene": "contains",
    "empieza": "startsWith",
    "termina": "endsWith",
    "existe": "exists",
    "alguno": "exists",
    "todos": "all",
    "filtrar": "filter",
    "tiene": "has",
    "entero": "int",
    "texto": "string",
    "decimal": "double",
}


@dataclass(frozen=True, slots=True)
class _Info:
    """The inferred type of a node, with the allowed values when it reads an enumeration."""

    type: Type
    values: tuple[str, ...] = ()


_DYN_INFO: Final = _Info(DYN)


def check_rule(expression: str, *, scope: Scope = "household") -> list[RuleProblem]:
    """Check an eligibility rule and return its problems (an empty list means it is valid).

    Parameters
    ----------
    expression
        The CEL text of the rule.
    scope
        ``"household"`` for rules evaluated once per household, ``"person"`` for rules
        evaluated for each person (where ``person`` is also defined).

    Returns
    -------
    list[RuleProblem]
        A single ``empty`` or ``syntax`` problem when the text does not parse; otherwise every
        name, type and value problem found, in the order met, and last a ``type_mismatch``
        with ``context="result"`` if the rule does not give a boolean.

    Examples
    --------
    >>> check_rule("members.filter(m, m.age < 18).size() >= 2")
    []
    >>> problem = check_rule("edad > 60", scope="person")[0]
    >>> problem.kind, problem.column, dict(problem.detail)
    ('unknown_variable', 1, {'name': 'edad', 'suggestion': 'person.age'})
    """
    try:
        tree = parse(expression)
    except EmptyRuleError:
        return [RuleProblem("empty", None, None, {})]
    except RuleSyntaxError as error:
        return [_syntax_problem(error)]
    checker = _Checker(expression, scope)
    try:
        result = checker.infer(tree)
    except RecursionError:  # pragma: no cover - parse() already refuses deep nesting
        return [_syntax_problem(RuleSyntaxError(position=tree.pos, near="", reason="too_deep"))]
    if result.type.name not in ("bool", "dyn"):
        checker.report(
            "type_mismatch",
            tree.span.start,
            context="result",
            type=str(result.type),
            expression=checker.text(tree),
        )
    return checker.problems


def _syntax_problem(error: RuleSyntaxError) -> RuleProblem:
    return RuleProblem(
        "syntax",
        error.position.line,
        error.position.column,
        {"near": error.near, "expected": ", ".join(error.expected), "reason": error.reason},
        error.position.offset,
    )


def _variable_info(variable: Variable) -> _Info:
    values = () if variable.name in OPEN_VALUE_VARIABLES else variable.values
    return _Info(_CEL_TYPES[variable.cel_type], values)


def _suggest(name: str, candidates: Mapping[str, str]) -> str | None:
    """The suggestion for ``name`` among ``candidates`` (lookup key -> text to suggest)."""
    folded = {key.lower(): text for key, text in candidates.items()}
    lowered = name.lower()
    if lowered in folded:
        return folded[lowered]
    close = difflib.get_close_matches(lowered, list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def _join(a: Type, b: Type) -> Type | None:
    """The common type of two branches or list items; None when CEL has none."""
    if a == b:
        return a
    if a.name == "dyn" or b.name == "dyn":
        return DYN
    if a.name == "null":
        return b
    if b.name == "null":
        return a
    if a.name == b.name == "list":
        assert a.elem is not None
        assert b.elem is not None
        elem = _join(a.elem, b.elem)
        return Type("list", elem) if elem is not None else None
    if a.name == b.name == "map":
        return Type("map", DYN, DYN)
    return None


def _equatable(a: Type, b: Type) -> bool:
    # CEL equality is heterogeneous for numbers (1 == 1.0) and null compares with anything.
    if "dyn" in (a.name, b.name) or "null" in (a.name, b.name):
        return True
    if a.name in _NUMERIC and b.name in _NUMERIC:
        return True
    if a.name == b.name == "list":
        assert a.elem is not None
        assert b.elem is not None
        return _equatable(a.elem, b.elem)
    if {a.name, b.name} <= {"map", "member"}:
        return True
    return a.name == b.name


def _orderable(a: Type, b: Type) -> bool:
    if "dyn" in (a.name, b.name):
        return True
    if a.name in _NUMERIC and b.name in _NUMERIC:
        return True
    return a.name == b.name and a.name in _ORDERED


def _is(info: _Info, *names: str) -> bool:
    return info.type.name == "dyn" or info.type.name in names


class _Checker:
    def __init__(self, source: str, scope: Scope) -> None:
        self.source = source
        self.scope: Scope = scope
        self.variables = variables_for(scope)
        self.bound: list[tuple[str, _Info]] = []
        self.problems: list[RuleProblem] = []

    # -- reporting ---------------------------------------------------------------------------

    def report(self, kind: ProblemKind, at: Position, **detail: str | None) -> None:
        clean = {key: value for key, value in detail.items() if value is not None}
        self.problems.append(RuleProblem(kind, at.line, at.column, clean, at.offset))

    def text(self, node: Expr, limit: int = 60) -> str:
        text = " ".join(node.span.text(self.source).split())
        return text if len(text) <= limit else text[: limit - 1] + "…"

    def mismatch(self, at: Position, context: str, **detail: str | None) -> _Info:
        self.report("type_mismatch", at, context=context, **detail)
        return _DYN_INFO

    # -- inference ---------------------------------------------------------------------------

    def infer(self, node: Expr) -> _Info:
        match node:
            case Const(type=const_type):
                return _Info(Type(const_type))
            case Ident():
                return self._ident(node)
            case Select(operand=operand, field=name):
                return self._select(node, self.infer(operand), name)
            case Index():
                return self._index(node)
            case Unary():
                return self._unary(node)
            case Binary():
                return self._binary(node)
            case Ternary():
                return self._ternary(node)
            case ListExpr(items=items):
                infos = [self.infer(item) for item in items]
                elem: Type | None = infos[0].type if infos else DYN
                for info in infos[1:]:
                    elem = _join(elem, info.type) if elem is not None else None
                # Mixed lists are legal CEL: they are lists of dyn.
                return _Info(Type("list", elem or DYN))
            case MapExpr(entries=entries):
                for key, value in entries:
                    key_info = self.infer(key)
                    self.infer(value)
                    if not _is(key_info, "string", "int", "uint", "bool"):
                        self.mismatch(key.pos, "map_key", type=str(key_info.type))
                return _Info(Type("map", DYN, DYN))
            case Call():
                return self._call(node)
            case Has(select=select):
                self.infer(select)
                return _Info(BOOL)
            case Comprehension():
                return self._comprehension(node)

    def _ident(self, node: Ident) -> _Info:
        for name, info in reversed(self.bound):
            if name == node.name:
                return info
        variable = self.variables.get(node.name)
        if variable is not None:
            return _variable_info(variable)
        if node.name == PERSON_VARIABLE.name:
            self.report("unknown_variable", node.pos, name=node.name, hint="person_scope_only")
            return _Info(MEMBER)
        self.report("unknown_variable", node.pos, **self._name_suggestion(node.name))
        return _DYN_INFO

    def _name_suggestion(self, name: str) -> dict[str, str | None]:
        member_variable = next(
            (bound for bound, info in reversed(self.bound) if info.type == MEMBER), None
        )
        if member_variable is None and self.scope == "person":
            member_variable = PERSON_VARIABLE.name
        candidates: dict[str, str] = {}
        for field_name in PERSON_FIELDS:
            candidates[field_name] = (
                f"{member_variable}.{field_name}" if member_variable else field_name
            )
        for alias, target in NAME_ALIASES_ES.items():
            if target in PERSON_FIELDS:
                candidates[alias] = candidates[target]
        candidates.update({bound: bound for bound, _ in self.bound})
        for variable_name in self.variables:
            candidates[variable_name] = variable_name
        for alias, target in NAME_ALIASES_ES.items():
            if target in self.variables:
                candidates[alias] = target
        suggestion = _suggest(name, candidates)
        if suggestion in PERSON_FIELDS:
            # A person field with no person in sight: it must be read through members.
            return {"name": name, "hint": "member_field", "field": suggestion}
        return {"name": name, "suggestion": suggestion}

    def _field(self, at: Position, receiver: Expr, name: str) -> _Info:
        variable = PERSON_FIELDS.get(name)
        if variable is not None:
            return _variable_info(variable)
        candidates = {key: key for key in PERSON_FIELDS}
        candidates.update(
            {alias: target for alias, target in NAME_ALIASES_ES.items() if target in PERSON_FIELDS}
        )
        self.report(
            "unknown_field",
            at,
            name=name,
            receiver=self.text(receiver),
            suggestion=_suggest(name, candidates),
        )
        return _DYN_INFO

    def _select(self, node: Select, operand: _Info, name: str) -> _Info:
        match operand.type.name:
            case "member":
                return self._field(node.pos, node.operand, name)
            case "map" | "dyn":
                return _DYN_INFO
            case _:
                return self.mismatch(
                    node.pos,
                    "select",
                    field=name,
                    type=str(operand.type),
                    operand=self.text(node.operand),
                )

    def _index(self, node: Index) -> _Info:
        operand = self.infer(node.operand)
        index = self.infer(node.index)
        match operand.type.name:
            case "list":
                if not _is(index, "int", "uint"):
                    return self.mismatch(
                        node.index.pos, "index", type=str(index.type), operand=self.text(node)
                    )
                assert operand.type.elem is not None
                return _Info(operand.type.elem, operand.values)
            case "member":
                if isinstance(node.index, Const) and isinstance(node.index.value, str):
                    return self._field(node.index.pos, node.operand, node.index.value)
                if not _is(index, "string"):
                    return self.mismatch(
                        node.index.pos, "index", type=str(index.type), operand=self.text(node)
                    )
                return _DYN_INFO
            case "map" | "dyn":
                return _DYN_INFO
            case _:
                return self.mismatch(
                    node.pos,
                    "indexed",
                    type=str(operand.type),
                    operand=self.text(node.operand),
                )

    def _unary(self, node: Unary) -> _Info:
        operand = self.infer(node.operand)
        wanted = ("bool",) if node.op == "!" else ("int", "double")
        if _is(operand, *wanted):
            return _Info(operand.type if node.op == "-" else BOOL)
        return self.mismatch(
            node.pos,
            "operand",
            operator=node.op,
            type=str(operand.type),
            operand=self.text(node.operand),
        )

    def _binary(self, node: Binary) -> _Info:
        left = self.infer(node.left)
        right = self.infer(node.right)
        op = node.op
        if op in ("&&", "||"):
            for side, info, operand in (("left", left, node.left), ("right", right, node.right)):
                if not _is(info, "bool"):
                    self.mismatch(
                        node.pos,
                        "logical",
                        operator=op,
                        side=side,
                        type=str(info.type),
                        operand=self.text(operand),
                    )
            return _Info(BOOL)
        if op in ("==", "!=", "<", "<=", ">", ">="):
            ok = (
                _equatable(left.type, right.type)
                if op in ("==", "!=")
                else _orderable(left.type, right.type)
            )
            if not ok:
                return self._operator_mismatch(node, left, right)
            self._check_value(node.left, left, node.right)
            self._check_value(node.right, right, node.left)
            return _Info(BOOL)
        if op == "in":
            return self._in(node, left, right)
        return self._arithmetic(node, left, right)

    def _operator_mismatch(self, node: Binary, left: _Info, right: _Info, **extra: str) -> _Info:
        return self.mismatch(
            node.pos,
            "operator",
            operator=node.op,
            left_type=str(left.type),
            right_type=str(right.type),
            left=self.text(node.left),
            right=self.text(node.right),
            **extra,
        )

    def _in(self, node: Binary, left: _Info, right: _Info) -> _Info:
        match right.type.name:
            case "list":
                assert right.type.elem is not None
                if not _equatable(left.type, right.type.elem):
                    return self._operator_mismatch(node, left, right)
                if isinstance(node.right, ListExpr):
                    for item in node.right.items:
                        self._check_value(node.left, left, item)
                return _Info(BOOL)
            case "map" | "dyn":
                return _Info(BOOL)
            case _:
                return self._operator_mismatch(node, left, right)

    def _arithmetic(self, node: Binary, left: _Info, right: _Info) -> _Info:
        lt, rt = left.type, right.type
        if node.op == "+":
            allowed = {"int", "uint", "double", "string", "bytes", "list"}
        elif node.op == "%":
            allowed = {"int", "uint"}
        else:
            allowed = {"int", "uint", "double"}
        if lt.name == "dyn" and (rt.name in allowed or rt.name == "dyn"):
            return _Info(rt)
        if rt.name == "dyn" and lt.name in allowed:
            return _Info(lt)
        if lt.name in allowed and lt.name == rt.name:
            if lt.name == "list":
                joined = _join(lt, rt)
                return _Info(joined or Type("list", DYN))
            return _Info(lt)
        # CEL has no implicit numeric conversion in arithmetic: 1 + 1.0 is an error.
        hint = "convert" if {lt.name, rt.name} <= _NUMERIC else None
        return self._operator_mismatch(node, left, right, **({"hint": hint} if hint else {}))

    def _check_value(self, variable: Expr, info: _Info, other: Expr) -> None:
        """Report a string literal compared with an enumerated variable that never takes it."""
        if not info.values or not isinstance(other, Const) or other.type != "string":
            return
        value = other.value
        assert isinstance(value, str)
        if value in info.values:
            return
        candidates = {v: v for v in info.values}
        candidates.update(
            {alias: target for alias, target in VALUE_ALIASES_ES.items() if target in info.values}
        )
        self.report(
            "unknown_value",
            other.pos,
            name=self.text(variable),
            value=value,
            allowed=", ".join(info.values),
            suggestion=_suggest(value, candidates),
        )

    def _ternary(self, node: Ternary) -> _Info:
        condition = self.infer(node.condition)
        then = self.infer(node.then)
        otherwise = self.infer(node.otherwise)
        if not _is(condition, "bool"):
            self.mismatch(
                node.pos, "condition", type=str(condition.type), operand=self.text(node.condition)
            )
        joined = _join(then.type, otherwise.type)
        if joined is None:
            return self.mismatch(
                node.pos,
                "branches",
                left_type=str(then.type),
                right_type=str(otherwise.type),
                left=self.text(node.then),
                right=self.text(node.otherwise),
            )
        return _Info(joined, then.values if then.values == otherwise.values else ())

    def _call(self, node: Call) -> _Info:
        target = self.infer(node.target) if node.target is not None else None
        name = node.function
        if node.target is not None and name in MACROS:
            # A macro with the wrong argument count: its arguments mention a variable that was
            # never bound, so checking them would only repeat the same mistake.
            self.report(
                "wrong_arity",
                node.pos,
                name=name,
                expected=",".join(str(n) for n in MACROS[name]),
                got=str(len(node.args)),
                usage="method",
            )
            return _DYN_INFO
        args = [self.infer(arg) for arg in node.args]
        table = GLOBAL_FUNCTIONS if node.target is None else METHODS
        if name not in table:
            other = METHODS if node.target is None else GLOBAL_FUNCTIONS
            if name in other:
                usage = "method" if node.target is None else "function"
                self.report("unknown_function", node.pos, name=name, usage=usage)
            else:
                candidates = {key: key for key in table}
                candidates.update(
                    {alias: fn for alias, fn in _FUNCTION_ALIASES_ES.items() if fn in table}
                )
                self.report(
                    "unknown_function", node.pos, name=name, suggestion=_suggest(name, candidates)
                )
            return _DYN_INFO
        if len(args) not in table[name]:
            self.report(
                "wrong_arity",
                node.pos,
                name=name,
                expected=",".join(str(n) for n in table[name]),
                got=str(len(args)),
                usage="method" if node.target is not None else "function",
            )
            return _DYN_INFO
        if name == "size":
            subject, subject_node = (
                (target, node.target) if target is not None else (args[0], node.args[0])
            )
            assert subject is not None
            assert subject_node is not None
            if not _is(subject, *_SIZED):
                return self._argument_mismatch(node, subject_node, subject, "string, list")
            return _Info(INT)
        if name in _CONVERSIONS:
            result, accepted = _CONVERSIONS[name]
            if not _is(args[0], *accepted):
                return self._argument_mismatch(
                    node, node.args[0], args[0], ", ".join(sorted(accepted))
                )
            return _Info(result)
        if name == "dyn":
            return _DYN_INFO
        # String predicates: startsWith/endsWith/contains/matches as methods, matches(s, re).
        subjects = list(zip(node.args, args, strict=True))
        if node.target is not None and target is not None:
            subjects.insert(0, (node.target, target))
        for subject_node, subject in subjects:
            if not _is(subject, "string"):
                return self._argument_mismatch(node, subject_node, subject, "string")
        return _Info(BOOL)

    def _argument_mismatch(self, call: Call, argument: Expr, info: _Info, expected: str) -> _Info:
        return self.mismatch(
            argument.pos,
            "argument",
            function=call.function,
            type=str(info.type),
            expected=expected,
            operand=self.text(argument),
        )

    def _comprehension(self, node: Comprehension) -> _Info:
        target = self.infer(node.target)
        match target.type.name:
            case "list":
                assert target.type.elem is not None
                variable = _Info(target.type.elem, target.values)
            case "map":
                assert target.type.key is not None
                variable = _Info(target.type.key)
            case "dyn":
                variable = _DYN_INFO
            case _:
                self.mismatch(
                    node.pos,
                    "receiver",
                    function=node.macro,
                    type=str(target.type),
                    operand=self.text(node.target),
                )
                variable = _DYN_INFO
        self.bound.append((node.variable, variable))
        try:
            if node.predicate is not None:
                predicate = self.infer(node.predicate)
                if not _is(predicate, "bool"):
                    self.mismatch(
                        node.predicate.pos,
                        "predicate",
                        function=node.macro,
                        type=str(predicate.type),
                        operand=self.text(node.predicate),
                    )
            transform = self.infer(node.transform) if node.transform is not None else None
        finally:
            self.bound.pop()
        if node.macro == "map":
            assert transform is not None
            return _Info(Type("list", transform.type))
        if node.macro == "filter":
            return _Info(Type("list", variable.type), variable.values)
        return _Info(BOOL)
