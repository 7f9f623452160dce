"""The priority policy as the interface shows and edits it: Spanish labels, percentages, and the
policy stored with each routing run.

The engine's :class:`~oferta.engine.allocation.PriorityPolicy` holds exact fractions
(``"3/10"``); people read and type percentages (``30`` = +30 % on the value of every offer
for a household with that condition). Only the priority bonuses are editable; the IPM method,
the cutoff ``k``, the intensity bands, the monetary weight and the scale stay those of
:data:`~oferta.engine.allocation.DEFAULT_POLICY` and are shown with every run.

Example
-------
>>> policy = policy_from_percentages({"accompaniment": 50})
>>> policy.accompaniment, policy.code
(Fraction(1, 2), 'ps-default-2025-ajustada')
>>> policy_from_percentages({}) == DEFAULT_POLICY
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from oferta.engine.allocation import DEFAULT_POLICY, PriorityPolicy
from oferta.engine.diagnostics.methods import METHODS

ADJUSTED_SUFFIX: Final[str] = "-ajustada"
MAX_PERCENT: Final[int] = 100


@dataclass(frozen=True)
class Weight:
    """One editable weight: the policy field, its Spanish label and what it rewards."""

    field: str
    label: str | Promise
    help: str | Promise


WEIGHTS: Final[tuple[Weight, ...]] = (
    Weight(
        "accompaniment",
        _("Acompañamiento familiar (Unidos)"),
        _("Hogares en el acompañamiento familiar de Prosperidad Social."),
    ),
    Weight(
        "extreme_monetary_poverty",
        _("Pobreza monetaria extrema"),
        _("Hogares con ingreso per cápita bajo la línea de pobreza extrema."),
    ),
    Weight(
        "double_condition",
        _("Doble condición de pobreza"),
        _("Hogares pobres por ingresos y en pobreza multidimensional a la vez."),
    ),
    Weight(
        "intensity",
        _("Intensidad de la privación"),
        _(
            "Para el puntaje IPM más alto; crece por tramos desde 0 en el umbral k. "
            "Hogares bajo el umbral no reciben esta prioridad."
        ),
    ),
    Weight(
        "ethnic",
        _("Enfoque étnico"),
        _("Algún integrante se reconoce indígena, afrocolombiano, raizal, palenquero o Rrom."),
    ),
    Weight(
        "victim",
        _("Víctimas del conflicto armado"),
        _("Algún integrante está inscrito en el Registro Único de Víctimas."),
    ),
    Weight(
        "disability",
        _("Discapacidad"),
        _("Algún integrante tiene una discapacidad."),
    ),
    Weight(
        "female_head",
        _("Jefatura femenina"),
        _("Una mujer encabeza el hogar."),
    ),
)
WEIGHT_FIELDS: Final[tuple[str, ...]] = tuple(w.field for w in WEIGHTS)


def percent_of(value: Fraction) -> Decimal:
    """A weight as the percentage people type (``3/10`` → ``30``); exact when it has at most
    two decimals, rounded to two otherwise."""
    return (Decimal(value.numerator) * 100 / Decimal(value.denominator)).quantize(Decimal("0.01"))


def _plain(number: Decimal) -> Decimal:
    """Without trailing zeros and without an exponent (``30.00`` → ``30``, ``12.50`` → ``12.5``)."""
    return number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()


def percent_text(value: Fraction, *, sign: bool = True) -> str:
    """``3/10`` → ``"+30 %"``, ``1/8`` → ``"+12,5 %"`` (Spanish decimal comma)."""
    text = f"{_plain(percent_of(value)):f}".replace(".", ",")
    return f"{'+' if sign else ''}{text} %"


def default_percentages() -> dict[str, Decimal]:
    """The default policy's weights as percentages (the form's initial values)."""
    return {name: _plain(percent_of(getattr(DEFAULT_POLICY, name))) for name in WEIGHT_FIELDS}


def policy_from_percentages(percentages: Mapping[str, Any]) -> PriorityPolicy:
    """The default policy with the given weights (percentages, 0–100) replaced.

    The code stays the default's when nothing changed and gains ``-ajustada`` otherwise, so a
    run records whether its weights were edited. Raises ``ValueError`` on an unknown weight or
    a value out of range.
    """
    unknown = sorted(set(percentages) - set(WEIGHT_FIELDS))
    if unknown:
        raise ValueError(f"unknown policy weights: {unknown}")
    changes: dict[str, Any] = {}
    for name, percent in percentages.items():
        weight = Fraction(str(percent)) / 100
        if not 0 <= weight <= Fraction(MAX_PERCENT, 100):
            raise ValueError(f"policy weight {name} out of range: {percent}")
        changes[name] = weight
    policy = replace(DEFAULT_POLICY, **changes)
    if policy != DEFAULT_POLICY:
        policy = replace(policy, code=DEFAULT_POLICY.code + ADJUSTED_SUFFIX)
    return policy


def policy_of_run(parameters: Mapping[str, Any] | None) -> PriorityPolicy | None:
    """The policy stored in a run's ``parameters`` (``None`` when absent or unreadable)."""
    stored = (parameters or {}).get("policy")
    if not stored:
        return None
    try:
        return PriorityPolicy.from_dict(stored)
    except (TypeError, ValueError, ZeroDivisionError):
        return None


@dataclass(frozen=True)
class PolicyRow:
    label: str | Promise
    value: str
    help: str | Promise = ""
    changed: bool = False


def policy_rows(policy: PriorityPolicy) -> list[PolicyRow]:
    """The policy's weights for the run page: each bonus (marking those edited) and then the
    fixed parameters."""
    rows = [
        PolicyRow(
            label=w.label,
            value=percent_text(getattr(policy, w.field)),
            help=w.help,
            changed=getattr(policy, w.field) != getattr(DEFAULT_POLICY, w.field),
        )
        for w in WEIGHTS
    ]
    method = METHODS.get(policy.ipm_method)
    rows += [
        PolicyRow(
            label=_("Método IPM de los pesos de las privaciones"),
            value=f"{policy.ipm_method}" + (f" · {method.name_es}" if method else ""),
        ),
        PolicyRow(
            label=_("Umbral de pobreza multidimensional (k)"),
            value=percent_text(policy.k, sign=False),
        ),
        PolicyRow(
            label=_("Ancho de los tramos de intensidad"),
            value=percent_text(policy.intensity_band, sign=False),
        ),
        PolicyRow(
            label=_("Peso de la condición monetaria de una oferta"),
            value=percent_text(policy.monetary_weight, sign=False),
            help=_(
                "Para ofertas que atienden la pobreza monetaria; comparable al peso de un "
                "indicador IPM."
            ),
        ),
    ]
    return rows
