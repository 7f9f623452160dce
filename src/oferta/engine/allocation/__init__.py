"""Allocation of offer places to households: priority policy, instance and household classes,
exact min-cost flow and greedy solvers, a solver-independent verifier, and explanations."""

from oferta.engine.allocation.instance import (
    DEFAULT_K,
    NEED_CODES,
    AllocationInstance,
    build_instance,
)
from oferta.engine.allocation.policy import (
    DEFAULT_POLICY,
    MONETARY_TERMS,
    PRIORITY_FLAGS,
    PriorityPolicy,
    pair_value,
)
from oferta.engine.allocation.solve import (
    Allocation,
    disaggregate,
    solve_greedy,
    solve_min_cost_flow,
    solve_min_cost_flow_full,
)
from oferta.engine.allocation.verify import (
    AllocationInvalid,
    VerificationReport,
    Violation,
    assert_valid,
    verify_allocation,
)

__all__ = [
    "DEFAULT_K",
    "DEFAULT_POLICY",
    "MONETARY_TERMS",
    "NEED_CODES",
    "PRIORITY_FLAGS",
    "Allocation",
    "AllocationInstance",
    "AllocationInvalid",
    "PriorityPolicy",
    "VerificationReport",
    "Violation",
    "assert_valid",
    "build_instance",
    "disaggregate",
    "pair_value",
    "solve_greedy",
    "solve_min_cost_flow",
    "solve_min_cost_flow_full",
    "verify_allocation",
]
