"""`oferta synth registry`: writes both tables, same bytes for the same arguments."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from oferta.commands.synth import synth_app

runner = CliRunner()


def _run(out: Path, *extra: str) -> None:
    args = ["registry", "--households", "200", "--seed", "4", "--out", str(out), *extra]
    result = runner.invoke(synth_app, args)
    assert result.exit_code == 0, result.output
    assert "200 hogares" in result.output


def test_registry_writes_households_and_persons_parquet(tmp_path: Path) -> None:
    _run(tmp_path, "--departments", "05,68")
    households = pl.read_parquet(tmp_path / "households.parquet")
    persons = pl.read_parquet(tmp_path / "persons.parquet")
    assert households.height == 200
    assert set(households["municipality_code"].str.slice(0, 2).unique()) == {"05", "68"}
    assert set(persons["household_id"].unique()) == set(households["household_id"])
    assert not list(tmp_path.glob(".synth-*"))  # no temporary chunks left


def test_same_arguments_write_the_same_bytes(tmp_path: Path) -> None:
    _run(tmp_path / "a", "--departments", "19,27")
    _run(tmp_path / "b", "--departments", "19,27")
    for name in ("households.parquet", "persons.parquet"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_csv_format_writes_one_header_and_joined_programs(tmp_path: Path) -> None:
    _run(tmp_path, "--departments", "44,47", "--format", "csv")
    text = (tmp_path / "households.csv").read_text(encoding="utf-8")
    assert text.count("household_id,") == 1
    households = pl.read_csv(tmp_path / "households.csv", infer_schema=False)
    assert households.height == 200
    programs = households["programs"].drop_nulls()
    assert programs.str.contains(";").any()
    persons = pl.read_csv(tmp_path / "persons.csv", infer_schema=False)
    assert persons["birth_date"].str.contains(r"^\d{4}-\d{2}-\d{2}$").all()


def test_unknown_department_fails_with_a_clear_message(tmp_path: Path) -> None:
    result = runner.invoke(
        synth_app, ["registry", "--households", "10", "--out", str(tmp_path), "--departments", "42"]
    )
    assert result.exit_code != 0
    assert "42" in result.output
