"""The SVG charts of the profile: accessible, escaped, styled by classes only."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from oferta.insights import charts
from oferta.territories.selectors import ZoneValues


def _rows():
    return [
        ZoneValues("2018", "2018", Decimal("19.1"), Decimal("13.8"), Decimal("37.6")),
        ZoneValues("2024", "2024", Decimal("11.5"), Decimal("7.8"), None),
    ]


def test_line_chart_has_a_title_a_description_and_one_line_per_zone_with_data():
    with translation.override("es"):
        svg = str(charts.line_chart(title="IPM <ECV>", rows=_rows()))
    assert svg.startswith('<svg class="chart chart-line"')
    assert "<title id=" in svg
    assert "IPM &lt;ECV&gt;" in svg
    assert "<desc id=" in svg
    assert "2018: Total 19,1" in svg
    assert svg.count("<polyline") == 3
    assert "style=" not in svg


def test_bar_chart_draws_a_bar_per_zone_value_and_skips_missing_values():
    rows = [ZoneValues("illiteracy", "Analfabetismo", Decimal("8.15"), Decimal("5"), None)]
    with translation.override("es"):
        svg = str(charts.bar_chart(title="Privaciones", rows=rows))
    assert svg.count('<rect class="chart-total" x="300"') == 1
    assert "chart-rural" not in svg  # no rural value: no bar and no legend entry
    assert "8,2" in svg  # rounded half up, not truncated


def test_charts_without_rows_render_nothing():
    assert charts.line_chart(title="x", rows=[]) == ""
    assert charts.bar_chart(title="x", rows=[]) == ""
