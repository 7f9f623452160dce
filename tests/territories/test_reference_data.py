"""Loading the shipped reference data: counts from the files, idempotence, published figures."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from oferta.territories.models import DataSource, Department, Figure, Municipality
from oferta.territories.services import DATA_DIR, reference_data_load

pytestmark = pytest.mark.django_db


def _figure(**lookup) -> Decimal:
    return Figure.objects.get(**lookup).value


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_load_creates_33_departments_1122_units_and_170_pdet(reference_data):
    # given the shipped files, loaded once for the module
    # then the counts are those of Colombia's 2018 geography
    assert reference_data["departments"] == Department.objects.count() == 33
    assert reference_data["municipalities"] == Municipality.objects.count() == 1122
    assert reference_data["pdet"] == Municipality.objects.filter(is_pdet=True).count() == 170
    assert Municipality.objects.exclude(pdet_subregion="").count() == 170


def test_loading_again_duplicates_nothing(reference_data):
    # given the data already loaded
    before = (Figure.objects.count(), DataSource.objects.count(), Municipality.objects.count())
    # when it is loaded a second time
    counts = reference_data_load()
    # then nothing is added and the reported counts are the same
    after = (Figure.objects.count(), DataSource.objects.count(), Municipality.objects.count())
    assert after == before
    assert counts == reference_data


def test_codes_keep_leading_zeros_and_units_have_area_and_creation_act(reference_data):
    medellin = Municipality.objects.get(code="05001")
    assert medellin.department_id == "05"
    assert medellin.name == "Medellín"
    assert medellin.area_km2 == Decimal("374.831")
    assert medellin.creation_act == "1965"
    assert Department.objects.get(code="05").name == "Antioquia"
    assert Department.objects.get(code="11").name == "Bogotá, D.C."


def test_pdet_flag_and_subregion_come_from_the_corrected_list(reference_data):
    # Murindó was listed with a wrong code (27425) in the original PDET file
    murindo = Municipality.objects.get(code="05475")
    assert murindo.is_pdet
    assert murindo.pdet_subregion == "Chocó"
    assert not Municipality.objects.get(code="05001").is_pdet


def test_uribia_census_ipm_is_the_published_92_2(reference_data):
    assert _figure(indicator="ipm_census", territory_code="44847", zone="total") == Decimal("92.2")
    assert Municipality.objects.get(code="44847").name == "Uribia"


def test_census_ipm_has_every_unit_and_no_urban_value_in_the_20_non_municipalised_areas(
    reference_data,
):
    rows = _rows("ipm_municipios.csv")
    without_cabecera = {r["cod_municipio"] for r in rows if not r["ipm_cabecera"]}
    census = Figure.objects.filter(indicator="ipm_census")
    assert census.filter(zone="total").count() == len(rows) == 1122
    assert len(without_cabecera) == 20
    assert not census.filter(zone="urban", territory_code__in=without_cabecera).exists()
    assert census.filter(zone="rural", territory_code__in=without_cabecera).count() == 20
    areas = Municipality.objects.filter(is_non_municipalized=True)
    assert set(areas.values_list("code", flat=True)) == without_cabecera
    assert reference_data["non_municipalized"] == 20


def test_bogota_survey_ipm_2018_is_4_1(reference_data):
    value = _figure(
        indicator="ipm_survey",
        territory_level="department",
        territory_code="11",
        zone="total",
        year=2018,
    )
    assert value == Decimal("4.1")


def test_national_monetary_poverty_2021_is_39_7_and_poverty_line_351480(reference_data):
    common = {"territory_level": "nation", "territory_code": "CO", "year": 2021}
    assert _figure(indicator="monetary_poverty", **common) == Decimal("39.7")
    assert _figure(indicator="extreme_monetary_poverty", **common) == Decimal("13.7")
    line = Figure.objects.get(indicator="poverty_line", **common)
    assert line.value == Decimal("351480")
    assert line.unit == "cop"


def test_deprivations_use_the_engine_codes_and_every_department(reference_data):
    illiteracy = Figure.objects.filter(indicator="deprivation:illiteracy", year=2024, zone="total")
    assert illiteracy.count() == 33
    assert _figure(
        indicator="deprivation:informal_work", territory_code="05", zone="total", year=2018
    ) == Decimal("66.2")
    assert (
        Figure.objects.filter(indicator__startswith="deprivation:")
        .values("indicator")
        .distinct()
        .count()
        == 15
    )


def test_each_figure_family_has_a_dane_source_with_its_release_date(reference_data):
    ipm = DataSource.objects.get(
        figures__indicator="ipm_survey",
        figures__territory_code="11",
        figures__year=2018,
        figures__zone="total",
    )
    monetary = DataSource.objects.filter(figures__indicator="monetary_poverty").distinct().get()
    assert (ipm.publisher, str(ipm.release_date)) == ("DANE", "2025-04-22")
    assert (monetary.publisher, str(monetary.release_date)) == ("DANE", "2024-08-30")
    assert (
        DataSource.objects.filter(figures__indicator="ipm_census").distinct().get().publisher
        == "DANE"
    )
