"""`oferta diagnose` end to end on a tiny CSV registry (via a Typer app wrapping the command)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from oferta.commands.diagnose import diagnose_command

pytest.importorskip("oferta.engine.contracts.validation")

app = typer.Typer()
app.command()(diagnose_command)
runner = CliRunner()


def _adult(pid: str, hid: str, **over: Any) -> dict[str, Any]:
    row = {
        "person_id": pid,
        "household_id": hid,
        "document_type": "CC",
        "document_number": f"1{pid[1:]}000",
        "first_names": "Ana",
        "last_names": "Pérez",
        "sex": "female",
        "birth_date": "1980-01-01",
        "relationship": "head",
        "ethnicity": "none",
        "disability": "false",
        "victim": "false",
        "can_read_write": "true",
        "years_of_schooling": "11",
        "attends_school": "false",
        "activity": "employed",
        "unemployed_months": "",
        "contributes_to_pension": "true",
        "receives_pension": "false",
        "health_insured": "true",
        "health_need_last_30_days": "false",
        "health_need_attended": "",
        "early_childhood_care_adequate": "",
        "early_childhood_nutrition_adequate": "",
    }
    row.update(over)
    return row


def _household(hid: str, municipality: str, **over: Any) -> dict[str, Any]:
    row = {
        "household_id": hid,
        "municipality_code": municipality,
        "zone": "urban",
        "sleeping_rooms": "2",
        "water_source": "aqueduct",
        "toilet": "sewer",
        "floor_material": "cement_gravel",
        "wall_material": "brick_block_stone",
        "monthly_income": "3000000",
    }
    row.update(over)
    return row


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def registry(tmp_path: Path) -> tuple[Path, Path]:
    households = [
        # poor at exactly 0.33: illiteracy, informal work, floors, walls (0.28) + school lag 0.05
        _household(
            "h1",
            "05001",
            floor_material="earth_sand",
            wall_material="none",
            monthly_income="300000",
        ),
        _household("h2", "05001"),
        _household("h3", "11001", monthly_income=""),
    ]
    persons = [
        _adult("p1", "h1", can_read_write="false", contributes_to_pension="false"),
        _adult(
            "p2",
            "h1",
            relationship="child",
            birth_date="2012-01-01",
            years_of_schooling="2",
            attends_school="true",
            activity="inactive",
            contributes_to_pension="false",
            can_read_write="true",
        ),
        _adult("p3", "h2"),
        _adult("p4", "h3"),
    ]
    return (
        _write(tmp_path / "hogares.csv", households),
        _write(tmp_path / "personas.csv", persons),
    )


def _run(registry: tuple[Path, Path], out: Path, *extra: str) -> Any:
    hh, pp = registry
    return runner.invoke(
        app,
        [
            "--households",
            str(hh),
            "--persons",
            str(pp),
            "--out",
            str(out),
            "--as-of",
            "2024-06-30",
            *extra,
        ],
    )


def test_writes_households_aggregates_and_summary(
    registry: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = _run(registry, out, "--by", "municipality_code")
    assert result.exit_code == 0, result.output
    households = pl.read_parquet(out / "households.parquet").sort("household_id")
    assert households["household_id"].to_list() == ["h1", "h2", "h3"]
    assert households["score_units"].to_list() == [33, 0, 0]
    assert households["poor"].to_list() == [True, False, False]
    assert households["monetary_status"].to_list() == ["extreme_poor", "not_poor", None]
    assert households["quadrant"].to_list() == ["both", "neither", None]
    aggregates = pl.read_parquet(out / "aggregates.parquet")
    assert aggregates["grouping"].to_list() == ["nation", "municipality_code", "municipality_code"]
    assert aggregates["group"].to_list() == [None, "05001", "11001"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["method"] == "dane-ecv-2018"
    assert summary["k"] == "33/100"
    assert summary["k_text"] == "0.33"
    assert summary["as_of"] == "2024-06-30"
    assert summary["counts"]["households"] == 3
    assert summary["national"]["H"] == pytest.approx(0.5)  # 2 of 4 persons


def test_prints_national_figures_in_spanish(registry: tuple[Path, Path], tmp_path: Path) -> None:
    result = _run(registry, tmp_path / "out")
    assert "Incidencia (H): 50,00 %" in result.output
    assert "Intensidad (A): 33,00 %" in result.output
    assert "Incidencia ajustada (M0): 0,1650" in result.output


def test_k_one_third_is_exact(registry: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _run(registry, out, "--k", "1/3")
    assert result.exit_code == 0, result.output
    assert "Incidencia (H): 0,00 %" in result.output
    assert not pl.read_parquet(out / "households.parquet")["poor"].any()


def test_unknown_method_is_refused(registry: tuple[Path, Path], tmp_path: Path) -> None:
    result = _run(registry, tmp_path / "out", "--method", "nope")
    assert result.exit_code != 0
    assert "método desconocido" in result.output


def test_year_without_lines_is_refused(registry: tuple[Path, Path], tmp_path: Path) -> None:
    result = _run(registry, tmp_path / "out", "--lines-year", "2010")
    assert result.exit_code != 0
    assert "2010" in result.output


def test_rejects_file_has_the_contract_format(tmp_path: Path) -> None:
    # given a registry with one household of an unknown zone
    households = _write(
        tmp_path / "hogares.csv", [_household("h1", "05001"), _household("h2", "05001", zone="x")]
    )
    persons = _write(tmp_path / "personas.csv", [_adult("p1", "h1"), _adult("p2", "h2")])
    # when it is diagnosed
    result = _run((households, persons), tmp_path / "out")
    # then the rejects file has the documented Spanish headers, like the platform import's
    assert result.exit_code == 0, result.output
    rejects = (tmp_path / "out" / "rejects.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rejects[0].split(",")[:4] == ["archivo", "fila", "columna", "regla"]
    assert any(",zone," in line for line in rejects[1:])
