"""Errors raised when a rule cannot be evaluated: invalid (checker problems) or not supported.

Example
-------
>>> from oferta.engine.eligibility.compile import compile_rule
>>> try:
...     compile_rule("edad > 60", scope="person")
... except RuleError as error:
...     [p.kind for p in error.problems]
['unknown_variable']
"""

from __future__ import annotations

from collections.abc import Sequence

from .checker import RuleProblem
from .syntax import Position

__all__ = ["RuleError", "RuleNotSupportedError"]


class RuleError(ValueError):
    """The rule is not valid CEL over the documented variables.

    ``problems`` are the checker's problems (kind, line, column, detail), the facts a user
    interface needs for a message in Spanish (``oferta.offers.eligibility.problem_message``).
    """

    def __init__(self, expression: str, problems: Sequence[RuleProblem]) -> None:
        self.expression = expression
        self.problems = tuple(problems)
        super().__init__("; ".join(_describe(problem) for problem in self.problems))


class RuleNotSupportedError(RuleError):
    """The rule is valid CEL but uses a form the evaluators do not run (e.g. a map literal).

    The checker accepts it, so ``problems`` is empty; ``position`` is where the form starts,
    ``construct`` a short English name of it and ``message_es`` a sentence for the interface.
    """

    def __init__(self, expression: str, *, position: Position, construct: str) -> None:
        from .messages import unsupported_es

        self.position = position
        self.construct = construct
        self.message_es = unsupported_es(construct, position)
        ValueError.__init__(self, f"unsupported {construct} at {position.line}:{position.column}")
        self.expression = expression
        self.problems = ()


def _describe(problem: RuleProblem) -> str:
    where = f" at {problem.line}:{problem.column}" if problem.line is not None else ""
    detail = ", ".join(f"{key}={value!r}" for key, value in problem.detail.items())
    return f"{problem.kind}{where}" + (f" ({detail})" if detail else "")
