"""Synthetic household registries (contract v1) calibrated to DANE's census IPM and ECV rates.

Example
-------
>>> from datetime import date
>>> from oferta.engine.synth import generate_registry
>>> households, persons = generate_registry(
...     households=30, seed=3, departments=["27"], as_of=date(2024, 6, 30))
>>> sorted(households["zone"].unique())
['rural', 'urban']
"""

from __future__ import annotations

from .calibration import cell_table, municipal_targets, plan_municipalities
from .generator import PROGRAMS, WrittenRegistry, generate_registry, iter_registry, write_registry
from .model import INDICATORS, WEIGHT_UNITS

__all__ = [
    "INDICATORS",
    "PROGRAMS",
    "WEIGHT_UNITS",
    "WrittenRegistry",
    "cell_table",
    "generate_registry",
    "iter_registry",
    "municipal_targets",
    "plan_municipalities",
    "write_registry",
]
