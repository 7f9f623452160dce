"""Eligibility rules of offers, Django side: the engine's rule problems as Spanish messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, cast

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import ngettext as django_ngettext

from oferta.engine.eligibility.checker import RuleProblem, Scope, check_rule
from oferta.engine.eligibility.compile import compile_rule
from oferta.engine.eligibility.errors import RuleNotSupportedError

__all__ = ["problem_message", "rule_errors", "validate_eligibility_rule"]


# Typed wrappers under the names makemessages extracts (Django ships without type hints).
def _(message: str) -> str:
    return str(gettext(message))


def ngettext(singular: str, plural: str, number: int) -> str:
    return str(django_ngettext(singular, plural, number))


_TYPE_NAMES: Final[dict[str, Promise]] = {
    "bool": gettext_lazy("un valor verdadero o falso"),
    "int": gettext_lazy("un número entero"),
    "uint": gettext_lazy("un número entero sin signo"),
    "double": gettext_lazy("un número decimal"),
    "string": gettext_lazy("un texto"),
    "bytes": gettext_lazy("una secuencia de bytes"),
    "null": gettext_lazy("un valor nulo (null)"),
    "member": gettext_lazy("una persona"),
    "dyn": gettext_lazy("un valor"),
    "list(string)": gettext_lazy("una lista de textos"),
    "list(member)": gettext_lazy("una lista de personas"),
    "list(int)": gettext_lazy("una lista de números enteros"),
    "list(double)": gettext_lazy("una lista de números decimales"),
    "list(bool)": gettext_lazy("una lista de valores verdadero o falso"),
}
# The result message speaks of "a number", not of integers and decimals.
_RESULT_TYPE_NAMES: Final[dict[str, Promise]] = {
    "int": gettext_lazy("un número"),
    "uint": gettext_lazy("un número"),
    "double": gettext_lazy("un número"),
}
_EXPECTED_WORDS: Final[dict[str, Promise]] = {
    "name": gettext_lazy("un nombre"),
    "number": gettext_lazy("un número"),
    "text": gettext_lazy("un texto"),
    "bytes": gettext_lazy("bytes"),
    "boolean": gettext_lazy("true o false"),
    "null": gettext_lazy("null"),
    "end": gettext_lazy("el final de la regla"),
    "name.field": gettext_lazy("un campo, como person.age"),
}
_COMPARISONS: Final = frozenset({"==", "!=", "<", "<=", ">", ">="})
_MAX_LISTED_VALUES: Final = 12


def rule_errors(expression: str, *, scope: str = "household") -> list[str]:
    """Return the problems of an eligibility rule as messages in the active language.

    An empty rule has no problems: a rule is optional (the offer is then open to all).

    >>> rule_errors("edad > 60", scope="person")  # doctest: +SKIP
    ['Línea 1, columna 1: la variable «edad» no existe. ¿Quiso decir «person.age»?']
    """
    if scope not in ("household", "person"):
        raise ValueError(f"unknown rule scope {scope!r}")
    problems = check_rule(expression, scope=cast(Scope, scope))
    messages = [problem_message(problem) for problem in problems if problem.kind != "empty"]
    if problems:  # an empty rule (only "empty" problems) is allowed: nothing to run
        return messages
    # A rule the checker accepts may still use a form the evaluators do not run (a map
    # literal, macros over `programs`…): refuse it on save rather than at routing time.
    try:
        compile_rule(expression, scope=cast(Scope, scope))
    except RuleNotSupportedError as unsupported:
        return [unsupported.message_es]
    return []


def validate_eligibility_rule(*, expression: str, scope: str) -> None:
    """Raise ``ValidationError`` with one message per problem of the rule (for forms and
    services that save offers)."""
    errors = rule_errors(expression, scope=scope)
    if errors:
        raise ValidationError(errors, code="invalid_eligibility_rule")


def problem_message(problem: RuleProblem) -> str:
    """Return one problem as a sentence naming its line and column."""
    detail = problem.detail
    if problem.kind == "type_mismatch" and detail.get("context") == "result":
        return _("La regla debe dar verdadero o falso; da %(type)s") % {
            "type": _result_type_name(detail.get("type", "dyn"))
        }
    body = _body(problem.kind, detail)
    if problem.line is None or problem.column is None:
        return body
    return _("Línea %(line)s, columna %(column)s: %(message)s") % {
        "line": problem.line,
        "column": problem.column,
        "message": body,
    }


def _body(kind: str, detail: Mapping[str, str]) -> str:
    match kind:
        case "empty":
            return _("la regla está vacía")
        case "syntax":
            return _syntax(detail)
        case "unknown_variable":
            return _unknown_variable(detail)
        case "unknown_field":
            message = _("el campo «%(name)s» no existe en «%(receiver)s»") % dict(detail)
            return _with_suggestion(message, detail)
        case "unknown_function":
            return _unknown_function(detail)
        case "wrong_arity":
            return _wrong_arity(detail)
        case "unknown_value":
            return _unknown_value(detail)
        case "type_mismatch":
            return _type_mismatch(detail)
    return _("la regla tiene un error")  # pragma: no cover - every kind is handled above


def _with_suggestion(message: str, detail: Mapping[str, str]) -> str:
    if detail.get("suggestion"):
        return message + ". " + _("¿Quiso decir «%(suggestion)s»?") % dict(detail)
    return message


def _syntax(detail: Mapping[str, str]) -> str:
    near = detail.get("near", "")
    reason = detail.get("reason", "unexpected_token")
    values = {"near": near}
    match reason:
        case "reserved_word":
            return _("«%(near)s» es una palabra reservada de CEL y no puede ser un nombre") % values
        case "int_out_of_range":
            return _("el número %(near)s está fuera del rango permitido") % values
        case "invalid_literal":
            return _("el valor %(near)s no es válido") % values
        case "macro_variable":
            return _(
                "el primer argumento debe ser un nombre de variable, "
                "como m en members.exists(m, m.age < 18)"
            )
        case "has_argument":
            return _("has() necesita un campo, como has(person.age)")
        case "unsupported":
            return _("la construcción de mensajes (Tipo{…}) no se admite en las reglas")
        case "too_deep":
            return _("la regla tiene demasiados niveles de paréntesis o anidamiento")
        case "unexpected_end":
            message = _("la regla termina de forma incompleta")
        case _:
            message = _("error de sintaxis cerca de «%(near)s»") % values
    expected = [item for item in detail.get("expected", "").split(", ") if item]
    if 0 < len(expected) <= 4:
        listed = ", ".join(
            str(_EXPECTED_WORDS[item]) if item in _EXPECTED_WORDS else f"«{item}»"
            for item in expected
        )
        message += "; " + _("se esperaba %(expected)s") % {"expected": listed}
    return message


def _unknown_variable(detail: Mapping[str, str]) -> str:
    values = dict(detail)
    match detail.get("hint"):
        case "person_scope_only":
            return _(
                "la variable «person» solo existe en ofertas dirigidas a personas; en una regla "
                "de hogar use los integrantes, por ejemplo members.exists(m, m.age >= 60)"
            )
        case "member_field":
            return (
                _(
                    "la variable «%(name)s» no existe; «%(field)s» es un dato de cada integrante: "
                    "use, por ejemplo, members.exists(m, m.%(field)s …)"
                )
                % values
            )
    return _with_suggestion(_("la variable «%(name)s» no existe") % values, detail)


def _unknown_function(detail: Mapping[str, str]) -> str:
    values = dict(detail)
    match detail.get("usage"):
        case "method":
            return _("«%(name)s» se escribe después del valor, como en valor.%(name)s(…)") % values
        case "function":
            return _("«%(name)s» se escribe como función, como en %(name)s(valor)") % values
    return _with_suggestion(_("la función «%(name)s» no existe") % values, detail)


def _wrong_arity(detail: Mapping[str, str]) -> str:
    counts = [int(n) for n in detail.get("expected", "0").split(",")]
    expected = _(" o ").join(str(n) for n in counts)
    return ngettext(
        "«%(name)s» recibe %(expected)s argumento, pero tiene %(got)s",
        "«%(name)s» recibe %(expected)s argumentos, pero tiene %(got)s",
        counts[-1],
    ) % {"name": detail.get("name", ""), "expected": expected, "got": detail.get("got", "")}


def _unknown_value(detail: Mapping[str, str]) -> str:
    allowed = detail.get("allowed", "").split(", ")
    if len(allowed) > _MAX_LISTED_VALUES:
        listed = ", ".join(allowed[:5]) + ", …, " + allowed[-1]
        listed += " " + _("(%(count)s valores)") % {"count": len(allowed)}
    else:
        listed = ", ".join(allowed)
    message = _("«%(value)s» no es un valor de «%(name)s»; valores posibles: %(allowed)s") % {
        "value": detail.get("value", ""),
        "name": detail.get("name", ""),
        "allowed": listed,
    }
    return _with_suggestion(message, detail)


def _type_name(cel_type: str) -> str:
    if cel_type in _TYPE_NAMES:
        return str(_TYPE_NAMES[cel_type])
    if cel_type.startswith("list("):
        return _("una lista")
    if cel_type.startswith("map("):
        return _("un mapa")
    return cel_type


def _result_type_name(cel_type: str) -> str:
    if cel_type in _RESULT_TYPE_NAMES:
        return str(_RESULT_TYPE_NAMES[cel_type])
    return _type_name(cel_type)


def _type_mismatch(detail: Mapping[str, str]) -> str:
    values = dict(detail)
    for key in ("type", "left_type", "right_type"):
        if key in values:
            values[key] = _type_name(values[key])
    context = detail.get("context")
    operator = detail.get("operator", "")
    match context:
        case "operator" if operator in _COMPARISONS:
            return (
                _("no se puede comparar %(left_type)s (%(left)s) con %(right_type)s (%(right)s)")
                % values
            )
        case "operator" if operator == "in":
            return (
                _("no se puede buscar %(left_type)s (%(left)s) en %(right_type)s (%(right)s)")
                % values
            )
        case "operator":
            message = (
                _(
                    "no se puede aplicar «%(operator)s» a %(left_type)s (%(left)s) "
                    "y %(right_type)s (%(right)s)"
                )
                % values
            )
            if detail.get("hint") == "convert":
                message += "; " + _("convierta uno de los dos con double(…) o int(…)")
            return message
        case "logical":
            return (
                _("«%(operator)s» necesita valores verdadero o falso, pero %(operand)s es %(type)s")
                % values
            )
        case "operand":
            return _("«%(operator)s» no se puede aplicar a %(type)s (%(operand)s)") % values
        case "condition":
            return (
                _("la condición de «? :» debe ser verdadero o falso, pero %(operand)s es %(type)s")
                % values
            )
        case "branches":
            return (
                _(
                    "las dos opciones de «? :» deben ser del mismo tipo, pero son %(left_type)s "
                    "(%(left)s) y %(right_type)s (%(right)s)"
                )
                % values
            )
        case "argument":
            return _("«%(function)s» no acepta %(type)s (%(operand)s)") % values
        case "receiver":
            return _("«%(function)s» se aplica a una lista, pero %(operand)s es %(type)s") % values
        case "predicate":
            return (
                _(
                    "la condición de «%(function)s» debe ser verdadero o falso, "
                    "pero %(operand)s es %(type)s"
                )
                % values
            )
        case "select":
            return _("%(operand)s es %(type)s y no tiene el campo «%(field)s»") % values
        case "index":
            return _("no se puede usar %(type)s como posición en %(operand)s") % values
        case "indexed":
            return _("%(operand)s es %(type)s y no se puede consultar con [ ]") % values
        case "map_key":
            return _("la clave de un mapa no puede ser %(type)s") % values
    return _("los tipos no son compatibles")  # pragma: no cover - every context is handled above
