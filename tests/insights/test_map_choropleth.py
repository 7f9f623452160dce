"""Choropleth SVG maps: quantile classes, legend, hover titles in Colombian format, links."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import translation

from oferta.territories.maps import choropleth_svg, quantile_breaks, svg_map


@pytest.fixture(autouse=True)
def _spanish():
    with translation.override("es-co"):
        yield


def _class_of(svg: str, code: str) -> str:
    return re.search(rf'data-code="{code}" class="([a-z0-9]+)"', svg).group(1)


def test_quantile_breaks_use_the_nearest_rank_and_drop_repeated_breaks():
    assert quantile_breaks([Decimal(v) for v in range(1, 11)], 5) == tuple(
        Decimal(v) for v in (2, 4, 6, 8)
    )
    # many equal values: fewer classes rather than empty ones
    assert quantile_breaks([Decimal(v) for v in (1, 2, 4, 4, 4, 4, 4, 4, 4, 4)], 5) == (Decimal(2),)
    assert quantile_breaks([], 5) == ()


def test_uribia_title_reads_name_department_and_value_in_colombian_format():
    chart = choropleth_svg(
        values={"44847": Decimal("92.2000"), "05001": Decimal("12.8")},
        level="municipality",
        title="IPM censal",
        unit="%",
        link_pattern="/territorios/{code}/",
    )
    assert "<title>Uribia (La Guajira): 92,2 %</title>" in chart.svg
    assert '<a href="/territorios/44847/"><path data-code="44847"' in chart.svg
    assert chart.svg.count("<path data-code=") == 1122


def test_units_without_a_value_are_in_the_sin_dato_class():
    chart = choropleth_svg(
        values={"44847": 92.2, "05001": None},
        level="municipality",
        title="x",
        unit="%",
        link_pattern=None,
    )
    assert _class_of(chart.svg, "05001") == "nodata"
    assert "<title>Medellín (Antioquia): sin dato</title>" in chart.svg
    nodata = chart.legend[-1]
    assert (nodata.css_class, nodata.count) == ("nodata", 1121)
    assert "<a " not in chart.svg


def test_classes_split_the_units_evenly_and_the_legend_counts_them():
    codes = [
        "05001",
        "05002",
        "05004",
        "05021",
        "05030",
        "05031",
        "05034",
        "05036",
        "05038",
        "05040",
    ]
    chart = choropleth_svg(
        values={c: i + 1 for i, c in enumerate(codes)},
        level="municipality",
        title="x",
        unit="",
        link_pattern=None,
        decimals=0,
    )
    data_classes = [c for c in chart.legend if c.css_class != "nodata"]
    assert [c.count for c in data_classes] == [2, 2, 2, 2, 2]
    assert [c.label for c in data_classes] == ["1 – 2", "2 – 4", "4 – 6", "6 – 8", "8 – 10"]
    assert _class_of(chart.svg, "05001") == "q0"
    assert _class_of(chart.svg, "05040") == "q4"
    assert chart.scale_class == "k5"
    assert chart.units_with_data == 10


def test_department_level_draws_the_33_department_polygons_with_links():
    chart = choropleth_svg(
        values={"44": Decimal("46.7"), "11": Decimal("4.1")},
        level="department",
        title="IPM ECV",
        unit="%",
        link_pattern="/territorios/{code}/",
    )
    assert chart.svg.count("<path data-code=") == 33
    assert "<title>La Guajira: 46,7 %</title>" in chart.svg
    assert '<a href="/territorios/44/">' in chart.svg
    assert _class_of(chart.svg, "44") == "q1"
    assert _class_of(chart.svg, "11") == "q0"


def test_large_numbers_use_the_dot_as_thousands_separator():
    chart = choropleth_svg(
        values={"11": 1234567}, level="department", title="x", unit="personas",
        link_pattern=None, decimals=0,
    )  # fmt: skip
    assert ": 1.234.567 personas</title>" in chart.svg


def test_titles_and_labels_are_escaped_and_invalid_arguments_refused():
    chart = choropleth_svg(
        values={}, level="municipality", title="<b>", unit="<%>", link_pattern=None
    )
    assert "&lt;b&gt;" in chart.svg
    assert "<b>" not in chart.svg
    assert [c.css_class for c in chart.legend] == ["nodata"]
    with pytest.raises(ValueError, match="between 2 and 7"):
        choropleth_svg(
            values={}, level="municipality", title="", unit="", link_pattern=None, classes=9
        )


def test_svg_map_still_highlights_as_before():
    assert 'data-code="44847" class="on"' in svg_map(highlighted=["44847"])
