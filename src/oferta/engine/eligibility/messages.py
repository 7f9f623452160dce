"""Spanish texts of the eligibility engine: explanations of a trace and unsupported forms.

The engine keeps its Spanish templates in this one module (as ``engine/contracts/messages.py``
does) so that the interface shows the same words everywhere.

Example
-------
>>> label_es("person.age"), label_es("m.victim"), label_es("sisben_rank")
('edad', 'víctima del conflicto', 'posición Sisbén')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from .syntax import Position

if TYPE_CHECKING:
    from .interpret import Clause

__all__ = ["LABELS_ES", "explain_clause_es", "label_es", "unsupported_es"]

LABELS_ES: Final[dict[str, str]] = {
    "municipality_code": "municipio",
    "department_code": "departamento",
    "zone": "zona",
    "sisben_group": "grupo Sisbén",
    "sisben_rank": "posición Sisbén",
    "programs": "programas",
    "accompaniment": "acompañamiento familiar",
    "income_per_capita": "ingreso per cápita",
    "monetary_status": "pobreza monetaria",
    "quadrant": "cuadrante de pobreza",
    "ipm_score": "puntaje IPM",
    "ipm_poor": "pobreza multidimensional",
    "household_size": "número de integrantes",
    "female_head": "jefatura femenina",
    "deprived_low_educational_attainment": "privación por bajo logro educativo",
    "deprived_illiteracy": "privación por analfabetismo",
    "deprived_school_non_attendance": "privación por inasistencia escolar",
    "deprived_school_lag": "privación por rezago escolar",
    "deprived_early_childhood_barriers": "privación por barreras a la primera infancia",
    "deprived_child_labour": "privación por trabajo infantil",
    "deprived_long_term_unemployment": "privación por desempleo de larga duración",
    "deprived_informal_work": "privación por trabajo informal",
    "deprived_no_health_insurance": "privación por falta de aseguramiento en salud",
    "deprived_health_access_barriers": "privación por barreras de acceso a salud",
    "deprived_no_improved_water": "privación por falta de acceso a agua mejorada",
    "deprived_inadequate_sanitation": "privación por inadecuada eliminación de excretas",
    "deprived_inadequate_floors": "privación por material inadecuado de pisos",
    "deprived_inadequate_walls": "privación por material inadecuado de paredes",
    "deprived_critical_overcrowding": "privación por hacinamiento crítico",
    "deprived_high_economic_dependency": "privación por alta dependencia económica",
    "age": "edad",
    "sex": "sexo",
    "relationship": "parentesco",
    "ethnicity": "autorreconocimiento étnico",
    "disability": "discapacidad",
    "victim": "víctima del conflicto",
    "can_read_write": "sabe leer y escribir",
    "years_of_schooling": "años de educación",
    "attends_school": "asiste a estudiar",
    "activity": "actividad",
    "unemployed_months": "meses buscando trabajo",
    "contributes_to_pension": "cotiza a pensión",
    "receives_pension": "recibe pensión",
    "health_insured": "afiliación a salud",
    "is_head": "jefe o jefa del hogar",
    "members": "integrantes",
}
"""Short Spanish names of the variables and member fields, for explanations."""

_FAILED: Final[dict[str, str]] = {"<": "≥", "<=": ">", ">": "≤", ">=": "<", "==": "≠", "!=": "="}
_HELD: Final[dict[str, str]] = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "=", "!=": "≠"}

_UNSUPPORTED_ES: Final[dict[str, str]] = {
    "map": "los mapas ({…}) no se pueden evaluar",
    "uint": "los enteros sin signo (3u) no se pueden evaluar; use enteros",
    "bytes": 'los bytes (b"…") no se pueden evaluar',
    "nested_members": "no se puede recorrer «members» dentro de otra condición sobre integrantes",
    "person_in_members": "no se puede usar «person» dentro de una condición sobre integrantes",
    "comprehension_target": "solo se puede recorrer «members» o una lista escrita en la regla",
    "regex_not_literal": "el patrón de «matches» debe ser un texto fijo",
    "regex_syntax": (
        "el patrón de «matches» usa una forma no admitida (búsquedas hacia delante o atrás, "
        "referencias, \\b, \\A, \\Z)"
    ),
    "regex_invalid": "el patrón de «matches» no es una expresión regular válida",
    "mixed_arithmetic": "no se pueden mezclar enteros y decimales en una operación",
    "mixed_branches": "las dos ramas de «? :» deben dar el mismo tipo",
}


def label_es(text: str) -> str:
    """The Spanish name of a variable or member field written as in a rule.

    >>> label_es("m.years_of_schooling"), label_es("size(members)")
    ('años de educación', 'size(members)')
    """
    name = text.rsplit(".", 1)[-1] if text.count(".") == 1 else text
    return LABELS_ES.get(name, text)


def unsupported_es(construct: str, position: Position) -> str:
    """Spanish message for a rule form the evaluators do not run.

    >>> unsupported_es("uint", Position(5, 1, 6))
    'Línea 1, columna 6: los enteros sin signo (3u) no se pueden evaluar; use enteros'
    """
    fallback = f"esta forma de la regla no se puede evaluar ({construct})"
    body = _UNSUPPORTED_ES.get(construct, fallback)
    return f"Línea {position.line}, columna {position.column}: {body}"


def _value_es(value: Any) -> str:
    if value is None:
        return "sin dato"
    if value is True:
        return "sí"
    if value is False:
        return "no"
    if isinstance(value, float):
        return f"{value:,.2f}".replace(",", " ").rstrip("0").rstrip(".")
    if isinstance(value, list):
        return "[" + ", ".join(_value_es(v) for v in value) + "]"
    return str(value)


def _comparison_es(clause: Clause) -> str:
    left, right = _sides(clause.clause, clause.operator or "")
    held = clause.result
    left_text = _operand_es(left, clause.values)
    right_text = _operand_es(right, clause.values)
    if clause.operator == "in":
        verb = "está en" if held else "no está en"
        return f"{left_text} {verb} {right_text}"
    missing = [label_es(k) for k, v in clause.values.items() if v is None]
    if missing and not held:
        return ", ".join(missing) + " sin dato"
    symbol = (_HELD if held else _FAILED)[clause.operator or "=="]
    return f"{left_text} {symbol} {right_text}"


def _sides(text: str, operator: str) -> tuple[str, str]:
    padded = f" {operator} "
    if padded in text:
        left, right = text.split(padded, 1)
        return left.strip(), right.strip()
    return text, ""


def _operand_es(text: str, values: Any) -> str:
    if text in values:
        value = values[text]
        label = label_es(text)
        return f"{label} {_value_es(value)}" if label != text or value is None else _value_es(value)
    return text.strip("\"'")


def explain_clause_es(clause: Clause) -> str:
    """Explain in Spanish why ``clause`` has its result, stating the facts it read (under a
    ``!``, the fact that held is what made the rule fail).

    >>> from oferta.engine.eligibility.interpret import evaluate_household
    >>> trace = evaluate_household("members.exists(m, m.age < 6)", household={},
    ...                            members=[{"age": 30}])
    >>> explain_clause_es(trace.clause)
    'ningún integrante cumple «m.age < 6»'
    """
    match clause.kind:
        case "and" | "or":
            return " y ".join(explain_clause_es(cause) for cause in clause.causes)
        case "not":
            return explain_clause_es(clause.causes[0])
        case "ternary":
            return explain_clause_es(clause.causes[-1])
        case "comparison" | "in":
            return _comparison_es(clause)
        case "exists" | "all" | "exists_one":
            return _comprehension_es(clause)
        case _:
            held = clause.result
            if len(clause.values) == 1 and clause.clause in clause.values:
                value = clause.values[clause.clause]
                label = label_es(clause.clause)
                if value is None:
                    return f"{label} sin dato"
                if isinstance(value, bool):
                    return f"{label}: {_value_es(value)}"
            return f"«{clause.clause}» {'se cumple' if held else 'no se cumple'}"


def _comprehension_es(clause: Clause) -> str:
    predicate = clause.clause
    inner = clause.clause.split(",", 1)[1].rsplit(")", 1)[0].strip() if "," in predicate else ""
    member = f"el integrante {clause.member + 1}" if clause.member is not None else ""
    detail = explain_clause_es(clause.causes[0]) if clause.causes else ""
    if clause.kind == "exists":
        if not clause.result:
            return f"ningún integrante cumple «{inner}»"
        return f"{member} cumple «{inner}» ({detail})"
    if clause.kind == "all":
        if not clause.result:
            return f"{member} no cumple «{inner}» ({detail})"
        return f"todos los integrantes cumplen «{inner}»"
    if clause.result:
        return f"exactamente un integrante cumple «{inner}»"
    return f"{clause.matches} integrantes cumplen «{inner}» (se pide exactamente uno)"
