"""Prioritisation of territories: a transparent, configurable composite index (pure Polars).

See :mod:`oferta.engine.prioritisation.index` for the method (normalisation, weights, missing
values, ties) and ``data/presets.toml`` for the shipped presets and their default weights.

Example
-------
>>> from oferta.engine.prioritisation import PRESETS
>>> round(sum(PRESETS["asistencia_tecnica"].weights.values()), 9)
1.0
"""

from __future__ import annotations

from .index import (
    PRESETS,
    SCORE_SUFFIX,
    WEIGHT_SUFFIX,
    ComponentSpec,
    Direction,
    IndexSpec,
    MissingPolicy,
    Normalisation,
    load_presets,
    normalised,
    priority_index,
)

__all__ = [
    "PRESETS",
    "SCORE_SUFFIX",
    "WEIGHT_SUFFIX",
    "ComponentSpec",
    "Direction",
    "IndexSpec",
    "MissingPolicy",
    "Normalisation",
    "load_presets",
    "normalised",
    "priority_index",
]
