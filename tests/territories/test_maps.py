"""The server-rendered SVG map."""

from __future__ import annotations

import csv
import re
import time

from oferta.territories.maps import svg_map
from oferta.territories.services import DATA_DIR


def _on_codes(svg: str) -> set[str]:
    return set(re.findall(r'data-code="(\d{5})" class="on"', svg))


def _codes_of_department(code: str) -> set[str]:
    with (DATA_DIR / "divipola_municipios_mgn2018.csv").open(encoding="utf-8") as fh:
        return {r["cod_mpio"] for r in csv.DictReader(fh) if r["cod_dpto"] == code}


def test_a_municipality_code_highlights_only_that_municipality():
    svg = svg_map(highlighted=["44847"])
    assert _on_codes(svg) == {"44847"}
    assert svg.count("<path data-code=") == 1122
    assert "<title>Uribia (La Guajira)</title>" in svg


def test_a_department_code_highlights_all_its_municipalities():
    assert _on_codes(svg_map(highlighted=["44"])) == _codes_of_department("44")
    assert len(_codes_of_department("44")) == 15


def test_the_nation_highlights_every_unit_and_department_outlines_are_drawn():
    svg = svg_map(highlighted=["CO"])
    assert len(_on_codes(svg)) == 1122
    assert svg.count('class="dept"') == 33


def test_link_pattern_links_each_unit_and_title_is_escaped():
    svg = svg_map(highlighted=[], title="<Mapa>", link_pattern="/territorios/{code}/")
    assert '<a href="/territorios/05001/">' in svg
    assert "&lt;Mapa&gt;" in svg
    assert _on_codes(svg) == set()


def test_map_is_small_and_fast():
    svg_map(highlighted=["05"])  # warm the cached geometry
    started = time.perf_counter()
    svg = svg_map(highlighted=["05", "44847"], link_pattern="/territorios/{code}/")
    elapsed = time.perf_counter() - started
    assert elapsed < 0.1
    assert len(svg.encode()) < 600_000
