"""`oferta territories …` commands."""

from __future__ import annotations

from decimal import Decimal

import pytest
from typer.testing import CliRunner

from oferta.cli import app
from oferta.territories.models import Figure
from oferta.territories.services import DATA_DIR

from .workbooks import monetary_workbook

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_import_dane_annex_imports_the_shipped_monetary_annex_and_prints_counts():
    result = runner.invoke(
        app, ["territories", "import-dane-annex", str(DATA_DIR / "anex-PM-Departamental-2023.xlsx")]
    )
    assert result.exit_code == 0, result.output
    assert "Anexo de pobreza monetaria importado" in result.output
    assert "300 cifras en total" in result.output
    line = Figure.objects.get(indicator="poverty_line", territory_code="CO", year=2021)
    assert line.value == Decimal("351480")


def test_import_dane_annex_exits_2_with_the_message_on_a_bad_workbook(tmp_path):
    def break_header(wb):
        wb["IP Act.Met."]["B3"] = "Periodo"

    path = monetary_workbook(tmp_path / "bad.xlsx", break_header)
    result = runner.invoke(app, ["territories", "import-dane-annex", str(path)])
    assert result.exit_code == 2
    assert (
        "Hoja 'IP Act.Met.', celda B3: se esperaba 'Año' y se encontró 'Periodo'" in result.output
    )
    assert Figure.objects.count() == 0


def test_load_reference_loads_and_reports_counts():
    result = runner.invoke(app, ["territories", "load-reference"])
    assert result.exit_code == 0, result.output
    assert "1122 unidades municipales" in result.output
    assert "170 municipios PDET" in result.output
    assert Figure.objects.filter(indicator="ipm_census", territory_code="44847").exists()
