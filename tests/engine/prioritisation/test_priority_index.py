"""The prioritisation index on tiny hand-built frames: normalisation, weights, ties, missing."""

from __future__ import annotations

import polars as pl
import pytest

from oferta.engine.prioritisation import (
    PRESETS,
    ComponentSpec,
    IndexSpec,
    load_presets,
    normalised,
    priority_index,
)


def _spec(*components: ComponentSpec, missing: str = "renormalise") -> IndexSpec:
    return IndexSpec("t", "T", components, missing=missing)  # type: ignore[arg-type]


def _c(key: str, weight: float, direction: str = "higher", method: str = "minmax"):
    return ComponentSpec(key, key, direction, method, weight)  # type: ignore[arg-type]


def _scores(values: list[float | None], **kwargs) -> list[float | None]:
    return pl.DataFrame({"x": values}).select(normalised("x", **kwargs))["x"].to_list()


def test_minmax_maps_lowest_to_0_and_highest_to_100():
    assert _scores([10.0, 20.0, 30.0], direction="higher", method="minmax") == [0.0, 50.0, 100.0]


def test_lower_direction_reverses_the_score():
    assert _scores([10.0, 20.0, 30.0], direction="lower", method="minmax") == [100.0, 50.0, 0.0]


def test_a_constant_component_scores_50_and_nulls_stay_null():
    assert _scores([7.0, None, 7.0], direction="higher", method="minmax") == [50.0, None, 50.0]


def test_percentile_uses_average_ranks_for_ties():
    assert _scores([1.0, 5.0, 5.0, 1000.0], direction="higher", method="percentile") == [
        0.0,
        50.0,
        50.0,
        100.0,
    ]


def test_weights_are_renormalised_to_sum_one():
    spec = _spec(_c("a", 30), _c("b", 10))
    assert spec.weights == {"a": 0.75, "b": 0.25}


@pytest.mark.parametrize(
    ("weights", "message"),
    [((0, 0), "at least one weight"), ((-1, 2), ">= 0"), ((float("nan"), 1), ">= 0")],
)
def test_invalid_weights_are_refused(weights, message):
    with pytest.raises(ValueError, match=message):
        _spec(_c("a", weights[0]), _c("b", weights[1]))


def test_index_is_the_weighted_mean_of_scores():
    frame = pl.DataFrame({"code": ["x", "y", "z"], "a": [0.0, 5.0, 10.0], "b": [1.0, 0.0, 0.0]})
    out = priority_index(frame, _spec(_c("a", 3), _c("b", 1)))
    assert out.select("code", "index", "rank").rows() == [
        ("z", 75.0, 1),
        ("y", 37.5, 2),
        ("x", 25.0, 3),
    ]
    assert out["a_score"].to_list() == [100.0, 50.0, 0.0]
    assert out["a_weight"].to_list() == [0.75, 0.75, 0.75]


def test_changing_a_weight_changes_the_ranking():
    # given x is the poorest and y the PDET one
    frame = pl.DataFrame({"code": ["x", "y"], "ipm": [90.0, 60.0], "pdet": [0, 1]})
    # when the IPM weighs most, x leads; when PDET weighs most, y leads
    ipm_first = priority_index(frame, _spec(_c("ipm", 3), _c("pdet", 1)))
    pdet_first = priority_index(frame, _spec(_c("ipm", 1), _c("pdet", 3)))
    assert ipm_first["code"].to_list() == ["x", "y"]
    assert pdet_first["code"].to_list() == ["y", "x"]


def test_ties_are_broken_by_code_and_every_unit_gets_its_own_rank():
    frame = pl.DataFrame({"code": ["44847", "05001", "27001"], "a": [1.0, 1.0, 1.0]})
    out = priority_index(frame, _spec(_c("a", 1)))
    assert out["code"].to_list() == ["05001", "27001", "44847"]
    assert out["rank"].to_list() == [1, 2, 3]


def test_renormalise_shares_a_missing_components_weight_among_the_others():
    frame = pl.DataFrame({"code": ["x", "y", "z"], "a": [0.0, 10.0, 10.0], "b": [0.0, None, 10.0]})
    out = priority_index(frame, _spec(_c("a", 1), _c("b", 1))).sort("code")
    # y has no b: its index rests on a alone, with coverage 0.5
    assert out.filter(pl.col("code") == "y").select(
        "a_weight", "b_weight", "coverage", "index"
    ).row(0) == (1.0, 0.0, 0.5, 100.0)
    assert out["index"].to_list() == [0.0, 100.0, 100.0]


def test_zero_policy_scores_a_missing_component_as_lowest_priority():
    frame = pl.DataFrame({"code": ["x", "y"], "a": [10.0, 10.0], "b": [10.0, None]})
    out = priority_index(frame, _spec(_c("a", 1), _c("b", 1), missing="zero"))
    assert out.select("code", "index").rows() == [("x", 50.0), ("y", 25.0)]


def test_a_component_absent_from_the_frame_counts_as_unknown_for_every_unit():
    frame = pl.DataFrame({"code": ["x", "y"], "a": [1.0, 2.0]})
    out = priority_index(frame, _spec(_c("a", 1), _c("capacity", 1, direction="lower")))
    assert out["capacity"].null_count() == 2
    assert out["index"].to_list() == [100.0, 0.0]


def test_a_unit_without_any_weighted_value_has_no_index_and_ranks_last():
    frame = pl.DataFrame({"code": ["a1", "a2", "a3"], "a": [None, 1.0, 2.0]})
    out = priority_index(frame, _spec(_c("a", 1)))
    assert out.select("code", "index", "rank").rows() == [
        ("a3", 100.0, 1),
        ("a2", 0.0, 2),
        ("a1", None, 3),
    ]


def test_duplicate_codes_are_refused():
    with pytest.raises(ValueError, match="duplicate codes"):
        priority_index(pl.DataFrame({"code": ["x", "x"], "a": [1, 2]}), _spec(_c("a", 1)))


def test_extra_columns_are_carried_through():
    frame = pl.DataFrame({"code": ["x"], "name": ["Uribia"], "a": [1.0]})
    assert priority_index(frame, _spec(_c("a", 1)))["name"].to_list() == ["Uribia"]


def test_presets_are_data_with_different_default_weights():
    presets = load_presets()
    assert set(presets) == {"asistencia_tecnica", "ferias"}
    assert presets["asistencia_tecnica"].weights != presets["ferias"].weights
    for spec in presets.values():
        assert abs(sum(spec.weights.values()) - 1) < 1e-12
        assert spec.keys == PRESETS["ferias"].keys
    capacity = next(
        c for c in presets["asistencia_tecnica"].components if c.key == "institutional_capacity"
    )
    assert capacity.direction == "lower"


def test_with_weights_refuses_unknown_components():
    with pytest.raises(ValueError, match="unknown components: nope"):
        PRESETS["ferias"].with_weights({"nope": 1})
