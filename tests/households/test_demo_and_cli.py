"""The demo registry and `oferta registry import`."""

from __future__ import annotations

import time

import pytest
from typer.testing import CliRunner

from oferta.households.cli import registry_app
from oferta.households.demo import demo_registry_load
from oferta.households.models import Household, ImportStatus, Person, RegistryImport

from .factories import household_row, person_row, write_registry

pytestmark = pytest.mark.django_db


def test_demo_registry_loads_synthetic_households_of_the_demo_departments(territories):
    # given the demo departments' municipalities are known (the test loads three of them)
    from oferta.territories.models import Municipality

    # when a small demo registry is loaded
    started = time.perf_counter()
    result = demo_registry_load(households=60, departments=("27",))
    elapsed = time.perf_counter() - started
    # then it succeeds (rows of municipalities unknown to this test database are rejected,
    # with the rest loaded), quickly, with diagnostics stored
    assert result.status == ImportStatus.SUCCEEDED, result.error_message
    assert elapsed < 20
    known = set(Municipality.objects.values_list("code", flat=True))
    assert set(Household.objects.values_list("municipality_code", flat=True)) <= known
    assert Person.objects.count() == result.persons_accepted > 0
    assert result.households_read == result.households_accepted + result.households_rejected


def test_demo_registry_again_updates_the_same_households(territories):
    demo_registry_load(households=30, departments=("27",))
    before = dict(Household.objects.values_list("registry_id", "uuid"))
    demo_registry_load(households=30, departments=("27",))
    assert dict(Household.objects.values_list("registry_id", "uuid")) == before


def test_cli_imports_and_prints_counts_and_the_rejects_path(tmp_path, territories):
    # given a registry with one bad household
    hh, pp = write_registry(
        tmp_path,
        [household_row("H1"), household_row("H2", zone="suburban")],
        [person_row("P1", "H1"), person_row("P2", "H2")],
    )
    # when it is imported from the command line
    result = CliRunner().invoke(
        registry_app,
        [
            "import",
            "--households",
            str(hh),
            "--persons",
            str(pp),
            "--as-of",
            "2025-06-30",
            "--method",
            "dane-ecv-2018",
            "--k",
            "1/3",
        ],
    )
    # then the counts and the rejects path are printed and the good household is loaded
    assert result.exit_code == 0, result.output
    registry_import = RegistryImport.objects.get()
    assert "Hogares: 2 leídos, 1 aceptados, 1 rechazados" in result.output
    assert f"Rechazos: {registry_import.rejects_path}" in result.output
    assert registry_import.k == "1/3"
    assert registry_import.method_code == "dane-ecv-2018"
    assert Household.objects.get().k == "1/3"


def test_cli_strict_mode_exits_with_an_error_and_loads_nothing(tmp_path, territories):
    hh, pp = write_registry(
        tmp_path, [household_row("H1", zone="suburban")], [person_row("P1", "H1")]
    )
    result = CliRunner().invoke(
        registry_app, ["import", "--households", str(hh), "--persons", str(pp), "--strict"]
    )
    assert result.exit_code == 1
    assert not Household.objects.exists()


def test_cli_refuses_an_unknown_method(tmp_path, territories):
    hh, pp = write_registry(tmp_path, [household_row("H1")], [person_row("P1", "H1")])
    result = CliRunner().invoke(
        registry_app, ["import", "--households", str(hh), "--persons", str(pp), "--method", "x"]
    )
    assert result.exit_code == 2
    assert not RegistryImport.objects.exists()
