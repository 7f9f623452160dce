"""A transparent composite index to rank territories: normalised components, renormalised weights.

The method, in the order it is applied:

1. **Components.** One numeric column per component (a raw value per unit, null when unknown).
   A component named in the spec but absent from the frame counts as unknown for every unit.
2. **Normalisation to 0–100**, computed over the units that have a value:

   - ``minmax``: ``100 · (x − min) / (max − min)``; when every unit has the same value the
     component does not discriminate and every unit scores 50.
   - ``percentile``: ``100 · (r − 1) / (n − 1)`` with ``r`` the average rank of ``x`` among the
     ``n`` units with a value (ties share a rank; a single unit scores 50). Used for counts,
     whose few very large values would otherwise flatten everyone else near 0.

   With ``direction = "lower"`` the score is ``100 − score``: a *lower* raw value means a higher
   priority (for example institutional capacity).
3. **Weights** are relative: they are renormalised to sum 1 over the components
   (``IndexSpec.weights``); negative weights are refused and at least one must be positive.
4. **Missing values** (``IndexSpec.missing``):

   - ``renormalise`` (default): a unit's index is the weighted mean of the components it has,
     with the weights of the missing ones shared out among the rest. ``coverage`` says which
     share of the nominal weight the unit's index rests on.
   - ``zero``: a missing component scores 0 (the lowest priority), weights stay nominal.

   A unit with no positively weighted component at all has a null index and ranks last.
5. **Index** ``= Σ_j w_j · score_j`` (0–100), rounded to 6 decimals, and **rank**: 1 for the
   highest index; ties are broken by the unit code, ascending, so the order is deterministic.

Example
-------
>>> import polars as pl
>>> spec = IndexSpec(
...     name="demo",
...     label="Demo",
...     components=(
...         ComponentSpec("ipm", "IPM", "higher", "minmax", 3.0),
...         ComponentSpec("capacity", "Capacity", "lower", "minmax", 1.0),
...     ),
... )
>>> frame = pl.DataFrame({"code": ["a", "b", "c"], "ipm": [90.0, 50.0, 10.0],
...     "capacity": [80.0, 20.0, None]})
>>> priority_index(frame, spec).select("code", "index", "rank").rows()
[('a', 75.0, 1), ('b', 62.5, 2), ('c', 0.0, 3)]
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, cast, get_args

import polars as pl

Direction = Literal["higher", "lower"]
Normalisation = Literal["minmax", "percentile"]
MissingPolicy = Literal["renormalise", "zero"]

PRESETS_TOML: Final[Path] = Path(__file__).resolve().parent / "data" / "presets.toml"
SCORE_SUFFIX: Final[str] = "_score"
WEIGHT_SUFFIX: Final[str] = "_weight"
_INDEX_DECIMALS: Final[int] = 6


@dataclass(frozen=True, slots=True)
class ComponentSpec:
    """One component of the index.

    ``weight`` is relative (any non-negative number); only the proportions between the
    components' weights matter.
    """

    key: str
    label: str
    direction: Direction
    normalisation: Normalisation
    weight: float


@dataclass(frozen=True, slots=True)
class IndexSpec:
    """The components, their nominal weights and the policy for missing values."""

    name: str
    label: str
    components: tuple[ComponentSpec, ...]
    missing: MissingPolicy = "renormalise"

    def __post_init__(self) -> None:
        keys = [c.key for c in self.components]
        if not keys:
            raise ValueError("an index needs at least one component")
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate component keys in {keys}")
        for c in self.components:
            if c.direction not in get_args(Direction):
                raise ValueError(f"component {c.key!r}: unknown direction {c.direction!r}")
            if c.normalisation not in get_args(Normalisation):
                raise ValueError(f"component {c.key!r}: unknown normalisation {c.normalisation!r}")
            if not math.isfinite(c.weight) or c.weight < 0:
                raise ValueError(f"component {c.key!r}: weight must be a number >= 0")
        if sum(c.weight for c in self.components) <= 0:
            raise ValueError("at least one weight must be greater than zero")
        if self.missing not in get_args(MissingPolicy):
            raise ValueError(f"unknown missing-value policy {self.missing!r}")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.components)

    @property
    def weights(self) -> dict[str, float]:
        """The weights renormalised to sum 1, by component key.

        Example
        -------
        >>> spec = IndexSpec("x", "X", (ComponentSpec("a", "A", "higher", "minmax", 3),
        ...     ComponentSpec("b", "B", "lower", "minmax", 1)))
        >>> spec.weights
        {'a': 0.75, 'b': 0.25}
        """
        total = sum(c.weight for c in self.components)
        return {c.key: c.weight / total for c in self.components}

    def with_weights(self, weights: Mapping[str, float]) -> IndexSpec:
        """A copy with some nominal weights replaced; unknown keys raise ``ValueError``.

        Example
        -------
        >>> spec = PRESETS["ferias"].with_weights({"pdet": 100})
        >>> next(c.weight for c in spec.components if c.key == "pdet")
        100.0
        """
        unknown = sorted(set(weights) - set(self.keys))
        if unknown:
            raise ValueError(f"unknown components: {', '.join(unknown)}")
        components = tuple(
            dataclasses.replace(c, weight=float(weights[c.key])) if c.key in weights else c
            for c in self.components
        )
        return dataclasses.replace(self, components=components)


def load_presets(path: Path | str | None = None) -> dict[str, IndexSpec]:
    """The presets shipped as data (``data/presets.toml``): components and default weights.

    Example
    -------
    >>> sorted(load_presets())
    ['asistencia_tecnica', 'ferias']
    """
    raw: dict[str, Any] = tomllib.loads(Path(path or PRESETS_TOML).read_text(encoding="utf-8"))
    components: dict[str, dict[str, Any]] = raw["components"]
    presets: dict[str, IndexSpec] = {}
    for name, preset in raw["presets"].items():
        weights: dict[str, float] = preset["weights"]
        missing_keys = set(components) - set(weights)
        if missing_keys:
            raise ValueError(f"preset {name!r} has no weight for {sorted(missing_keys)}")
        presets[name] = IndexSpec(
            name=name,
            label=str(preset["label"]),
            missing=cast(MissingPolicy, preset.get("missing", "renormalise")),
            components=tuple(
                ComponentSpec(
                    key=key,
                    label=str(c["label"]),
                    direction=cast(Direction, c["direction"]),
                    normalisation=cast(Normalisation, c["normalisation"]),
                    weight=float(weights[key]),
                )
                for key, c in components.items()
            ),
        )
    return presets


PRESETS: Final[dict[str, IndexSpec]] = load_presets()


def normalised(column: str, *, direction: Direction, method: Normalisation) -> pl.Expr:
    """The 0–100 score of ``column`` (null stays null); see the module docstring.

    Example
    -------
    >>> import polars as pl
    >>> df = pl.DataFrame({"x": [10.0, 20.0, None, 30.0]})
    >>> df.select(normalised("x", direction="lower", method="minmax"))["x"].to_list()
    [100.0, 50.0, None, 0.0]
    """
    x = pl.col(column).cast(pl.Float64)
    if method == "minmax":
        low, high = x.min(), x.max()
        score = (
            pl.when(high > low)
            .then((x - low) / (high - low) * 100.0)
            .otherwise(pl.when(x.is_not_null()).then(pl.lit(50.0)))
        )
    else:
        n = x.count()
        score = (
            pl.when(n > 1)
            .then((x.rank("average") - 1.0) / (n - 1).cast(pl.Float64) * 100.0)
            .otherwise(pl.when(x.is_not_null()).then(pl.lit(50.0)))
        )
    if direction == "lower":
        score = 100.0 - score
    return score.cast(pl.Float64).alias(column)


def priority_index(
    components: pl.DataFrame, spec: IndexSpec, *, code_column: str = "code"
) -> pl.DataFrame:
    """Rank units by the weighted mean of their normalised components.

    Parameters
    ----------
    components
        One row per unit: ``code_column`` (unique text codes) and one numeric column per
        component key of ``spec`` (nulls allowed; a missing column counts as all null). Other
        columns are carried through untouched.
    spec
        Components, nominal weights and the missing-value policy.
    code_column
        The unit identifier, used to break ties (ascending).

    Returns
    -------
    polars.DataFrame
        Sorted by ``rank``: the input columns, then for each component ``<key>`` (raw value as
        Float64), ``<key>_score`` (0–100) and ``<key>_weight`` (the weight applied to this unit,
        after renormalisation), then ``coverage`` (0–1), ``index`` (0–100) and ``rank``
        (1 = highest priority).

    Example
    -------
    >>> import polars as pl
    >>> spec = IndexSpec("t", "T", (ComponentSpec("pdet", "PDET", "higher", "minmax", 1.0),))
    >>> frame = pl.DataFrame({"code": ["02", "01", "03"], "pdet": [1, 1, 0]})
    >>> priority_index(frame, spec)["code"].to_list()  # the tie between 01 and 02 goes by code
    ['01', '02', '03']
    """
    if code_column not in components.columns:
        raise ValueError(f"the components frame has no {code_column!r} column")
    if components[code_column].is_duplicated().any():
        raise ValueError(f"duplicate codes in {code_column!r}")
    frame = components.with_columns(
        (pl.col(k) if k in components.columns else pl.lit(None)).cast(pl.Float64).alias(k)
        for k in spec.keys
    )
    weights = spec.weights
    scores = [
        normalised(c.key, direction=c.direction, method=c.normalisation).alias(c.key + SCORE_SUFFIX)
        for c in spec.components
    ]
    frame = frame.with_columns(scores)
    present = {k: pl.col(k + SCORE_SUFFIX).is_not_null() for k in spec.keys}
    if spec.missing == "renormalise":
        available = pl.sum_horizontal(
            pl.when(present[k]).then(pl.lit(weights[k])).otherwise(0.0) for k in spec.keys
        )
        applied = {
            k: pl.when(present[k] & (available > 0))
            .then(pl.lit(weights[k]) / available)
            .otherwise(0.0)
            for k in spec.keys
        }
        coverage = available
        has_index = available > 0
    else:
        applied = {k: pl.lit(weights[k]) for k in spec.keys}
        coverage = pl.sum_horizontal(
            pl.when(present[k]).then(pl.lit(weights[k])).otherwise(0.0) for k in spec.keys
        )
        has_index = pl.lit(True)
    frame = frame.with_columns(
        [applied[k].cast(pl.Float64).alias(k + WEIGHT_SUFFIX) for k in spec.keys]
        + [coverage.cast(pl.Float64).alias("coverage"), has_index.alias("_has_index")]
    )
    weighted = pl.sum_horizontal(
        pl.col(k + WEIGHT_SUFFIX) * pl.col(k + SCORE_SUFFIX).fill_null(0.0) for k in spec.keys
    )
    frame = frame.with_columns(
        pl.when(pl.col("_has_index"))
        .then(weighted.round(_INDEX_DECIMALS))
        .otherwise(None)
        .cast(pl.Float64)
        .alias("index")
    )
    ordered = frame.sort(["index", code_column], descending=[True, False], nulls_last=True).drop(
        "_has_index"
    )
    ordered = ordered.with_row_index("rank", offset=1).with_columns(pl.col("rank").cast(pl.Int64))
    columns = [c for c in components.columns if c not in spec.keys]
    for k in spec.keys:
        columns += [k, k + SCORE_SUFFIX, k + WEIGHT_SUFFIX]
    return ordered.select([*columns, "coverage", "index", "rank"])
