"""rule_errors: the engine's rule problems as Spanish sentences that name line and column."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from oferta.offers.eligibility import rule_errors, validate_eligibility_rule


def _errors(rule: str, scope: str = "household") -> list[str]:
    with override("es-co"):
        return rule_errors(rule, scope=scope)


def test_unknown_variable_names_position_and_suggestion() -> None:
    assert _errors("ipm_poor && edad > 60", scope="person") == [
        "Línea 1, columna 13: la variable «edad» no existe. ¿Quiso decir «person.age»?"
    ]


def test_type_clash_names_both_sides_in_words() -> None:
    assert _errors('ipm_poor || sisben_rank <= "B4"') == [
        "Línea 1, columna 25: no se puede comparar un número entero (sisben_rank) "
        'con un texto ("B4")'
    ]


def test_syntax_error_names_the_token() -> None:
    assert _errors("&& ipm_poor") == ["Línea 1, columna 1: error de sintaxis cerca de «&&»"]


def test_syntax_error_says_what_was_expected_when_it_is_short() -> None:
    assert _errors("size(members) > (2") == [
        "Línea 1, columna 19: la regla termina de forma incompleta; se esperaba «)»"
    ]


def test_non_boolean_rule_says_what_it_gives() -> None:
    assert _errors("sisben_rank") == ["La regla debe dar verdadero o falso; da un número"]


def test_unknown_value_lists_allowed_values_and_suggests_one() -> None:
    assert _errors('zone == "urbano"') == [
        "Línea 1, columna 9: «urbano» no es un valor de «zone»; valores posibles: urban, rural. "
        "¿Quiso decir «urban»?"
    ]


def test_long_value_lists_are_abbreviated() -> None:
    (message,) = _errors('sisben_group == "Z1"')
    assert message.endswith("valores posibles: A1, A2, A3, A4, A5, …, D21 (51 valores)")


def test_person_in_a_household_rule_explains_the_scope() -> None:
    (message,) = _errors("person.age >= 60")
    assert message.startswith("Línea 1, columna 1: la variable «person» solo existe en ofertas")


def test_member_field_at_household_level_points_to_members() -> None:
    (message,) = _errors("age >= 60")
    assert "members.exists(m, m.age …)" in message


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            "members.exists(m, m.edad < 18)",
            "Línea 1, columna 21: el campo «edad» no existe en «m». ¿Quiso decir «age»?",
        ),
        (
            "sizee(members) > 2",
            "Línea 1, columna 1: la función «sizee» no existe. ¿Quiso decir «size»?",
        ),
        ("members.exists(m)", "Línea 1, columna 9: «exists» recibe 2 argumentos, pero tiene 1"),
        ("size(members, 1) > 2", "Línea 1, columna 1: «size» recibe 1 argumento, pero tiene 2"),
        (
            "members.exists(m, m.age && true)",
            "Línea 1, columna 25: «&&» necesita valores verdadero o falso, pero m.age es un "
            "número entero",
        ),
        (
            "income_per_capita * 2 > 1.0",
            "Línea 1, columna 19: no se puede aplicar «*» a un número decimal (income_per_capita) "
            "y un número entero (2); convierta uno de los dos con double(…) o int(…)",
        ),
        (
            "members > 3",
            "Línea 1, columna 9: no se puede comparar una lista de personas (members) con un "
            "número entero (3)",
        ),
    ],
)
def test_each_kind_of_problem_reads_as_a_sentence(rule: str, expected: str) -> None:
    assert _errors(rule) == [expected]


@pytest.mark.parametrize("rule", ["", "   ", "// sin regla"])
def test_empty_rule_is_allowed(rule: str) -> None:
    assert _errors(rule) == []


def test_valid_rule_has_no_messages() -> None:
    assert _errors("sisben_rank <= 9 && members.exists(m, m.age >= 60)") == []


def test_validate_raises_one_validation_message_per_problem() -> None:
    with override("es-co"), pytest.raises(ValidationError) as caught:
        validate_eligibility_rule(expression='edad > 60 && zone == "urbano"', scope="person")
    assert len(caught.value.messages) == 2


def test_unknown_scope_is_refused() -> None:
    with pytest.raises(ValueError, match="scope"):
        rule_errors("ipm_poor", scope="municipality")


def test_a_valid_rule_the_evaluators_cannot_run_is_refused_on_save():
    # given a rule that is valid CEL but uses a map literal, which the evaluators do not run
    from django.utils.translation import override

    from oferta.offers.eligibility import rule_errors

    with override("es-co"):
        # when it is checked for saving
        errors = rule_errors('{"a": 1}["a"] == 1 && ipm_poor')
    # then it is refused with one message that names where the form starts
    assert len(errors) == 1
    assert "1" in errors[0]
