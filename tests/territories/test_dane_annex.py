"""DANE annex import: the shipped workbooks parse, and a workbook of the wrong shape is refused
with the sheet and the cell in the message, storing nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oferta.accounts.models import AuditEvent
from oferta.territories.dane_annex import DaneAnnexError, dane_annex_parse
from oferta.territories.models import DataSource, Figure
from oferta.territories.services import DATA_DIR, dane_annex_import

from .workbooks import monetary_workbook, multidimensional_workbook

MULTIDIMENSIONAL_FILE = DATA_DIR / "anex-PMultidimensional-Departamental-2024.xlsx"
MONETARY_FILE = DATA_DIR / "anex-PM-Departamental-2023.xlsx"


def _assert_nothing_stored() -> None:
    assert Figure.objects.count() == 0
    assert DataSource.objects.count() == 0
    assert not AuditEvent.objects.filter(action="dane_annex.imported").exists()


def test_shipped_multidimensional_annex_is_detected_and_parsed():
    annex = dane_annex_parse(path=MULTIDIMENSIONAL_FILE)
    assert annex.kind == "multidimensional"
    assert str(annex.release_date) == "2025-04-22"
    years = {f.year for f in annex.figures}
    assert years == set(range(2018, 2025))
    departments = {f.territory_code for f in annex.figures if f.territory_level == "department"}
    assert len(departments) == 33
    assert {f.territory_code for f in annex.figures if f.territory_level == "region"} >= {
        "Caribe",
        "Orinoquía-Amazonía",
    }


def test_shipped_monetary_annex_has_departments_and_the_nation():
    annex = dane_annex_parse(path=MONETARY_FILE)
    assert annex.kind == "monetary"
    assert str(annex.release_date) == "2024-08-30"
    national = {(f.indicator, f.year): f.value for f in annex.figures if f.territory_code == "CO"}
    assert national[("poverty_line", 2021)] == Decimal("351480")
    assert national[("extreme_poverty_line", 2022)] == Decimal("198698")
    assert national[("monetary_poverty", 2023)] == Decimal("33.0")


@pytest.mark.django_db
def test_import_stores_figures_once_and_writes_one_audit_event_per_import(tmp_path):
    path = multidimensional_workbook(tmp_path / "ipm.xlsx")
    # when the same workbook is imported twice
    first = dane_annex_import(path=path)
    second = dane_annex_import(path=path)
    # then the figures are stored once, and each import is audited
    assert first.counts == second.counts == {"deprivation": 12, "ipm_survey": 12}
    assert Figure.objects.count() == 24
    events = AuditEvent.objects.filter(action="dane_annex.imported")
    assert events.count() == 2
    assert events.first().object_id == "dane-ipm-departamental-2025-04-22"
    assert events.first().after["ipm_survey"] == 12
    bogota = Figure.objects.get(
        territory_code="11", indicator="ipm_survey", year=2018, zone="total"
    )
    assert bogota.value == Decimal("4.1")


@pytest.mark.django_db
def test_a_missing_sheet_is_named_and_nothing_is_stored(tmp_path):
    path = multidimensional_workbook(
        tmp_path / "bad.xlsx", lambda wb: wb.remove(wb["IPM_Variables_Departamento "])
    )
    with pytest.raises(DaneAnnexError, match="le falta la hoja 'IPM_Variables_Departamento'"):
        dane_annex_import(path=path)
    _assert_nothing_stored()


@pytest.mark.django_db
def test_a_renamed_header_names_sheet_cell_expected_and_found(tmp_path):
    def rename(wb):
        wb["IPM_Departamentos"]["A5"] = "XYZ"

    path = multidimensional_workbook(tmp_path / "bad.xlsx", rename)
    with pytest.raises(DaneAnnexError) as error:
        dane_annex_import(path=path)
    assert str(error.value) == (
        "Hoja 'IPM_Departamentos', celda A5: se esperaba 'Departamento' y se encontró 'XYZ'"
    )
    _assert_nothing_stored()


@pytest.mark.django_db
def test_a_renamed_zone_header_is_refused(tmp_path):
    def rename(wb):
        wb["IPM_Variables_Departamento "]["G4"] = "Urbano"

    path = multidimensional_workbook(tmp_path / "bad.xlsx", rename)
    with pytest.raises(
        DaneAnnexError,
        match=r"Hoja 'IPM_Variables_Departamento', celda G4: se esperaba 'Cabeceras'",
    ):
        dane_annex_import(path=path)
    _assert_nothing_stored()


@pytest.mark.django_db
def test_a_department_name_that_does_not_map_is_refused(tmp_path):
    def rename(wb):
        wb["IPM_Departamentos"]["A8"] = "Narnia"

    path = multidimensional_workbook(tmp_path / "bad.xlsx", rename)
    with pytest.raises(DaneAnnexError) as error:
        dane_annex_import(path=path)
    assert "Hoja 'IPM_Departamentos', celda A8" in str(error.value)
    assert "'Narnia' no corresponde a ningún código DIVIPOLA" in str(error.value)
    _assert_nothing_stored()


@pytest.mark.django_db
def test_a_department_listed_twice_is_refused(tmp_path):
    def duplicate(wb):
        wb["IPM_Departamentos"]["A8"] = "ANTIOQUIA"

    path = multidimensional_workbook(tmp_path / "bad.xlsx", duplicate)
    with pytest.raises(
        DaneAnnexError,
        match=r"Hoja 'IPM_Departamentos', celda A8: 'ANTIOQUIA' ya aparece en la fila 7",
    ):
        dane_annex_import(path=path)
    _assert_nothing_stored()


@pytest.mark.django_db
def test_text_in_a_numeric_cell_of_the_last_sheet_stores_nothing(tmp_path):
    # the earlier sheets are fine: the import must still store nothing
    def break_value(wb):
        wb["LPE Act.Met."]["C6"] = "n.d."

    path = monetary_workbook(tmp_path / "bad.xlsx", break_value)
    with pytest.raises(DaneAnnexError) as error:
        dane_annex_import(path=path)
    assert str(error.value) == (
        "Hoja 'LPE Act.Met.', celda C6: se esperaba un número y se encontró 'n.d.'"
    )
    _assert_nothing_stored()


@pytest.mark.django_db
def test_a_workbook_that_is_neither_annex_is_refused(tmp_path):
    path = monetary_workbook(
        tmp_path / "other.xlsx", lambda wb: setattr(wb["IP Act.Met."], "title", "Hoja1")
    )
    with pytest.raises(DaneAnnexError, match="no parece un anexo departamental del DANE"):
        dane_annex_import(path=path)
    _assert_nothing_stored()


def test_header_rows_are_found_when_a_new_edition_shifts_them(tmp_path):
    # given a workbook with two extra title rows on top of every sheet
    def shift(wb):
        for ws in wb.worksheets:
            ws.insert_rows(1, amount=2)

    path = monetary_workbook(tmp_path / "shifted.xlsx", shift)
    # when parsed, then the same figures are found
    annex = dane_annex_parse(path=path)
    national = {(f.indicator, f.year): f.value for f in annex.figures if f.territory_code == "CO"}
    assert national[("monetary_poverty", 2021)] == Decimal("39.7")
    assert len(annex.figures) == 16
