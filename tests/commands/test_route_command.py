"""`oferta route` on tiny files: a registry in contract v1 and an HSDS services.json."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from households.factories import household_row, person_row, write_registry
from oferta.cli import app

runner = CliRunner()


def _registry(directory: Path) -> None:
    households, persons = [], []
    for i in range(8):
        hid = f"H{i}"
        municipality = "44847" if i % 2 else "44001"
        # low schooling and informal work in every other household: deprivations to close
        households.append(
            household_row(hid, municipality_code=municipality, monthly_income="100000")
        )
        persons.append(
            person_row(
                f"P{i}a",
                hid,
                years_of_schooling="2" if i % 2 == 0 else "11",
                can_read_write="false" if i % 2 == 0 else "true",
                activity="employed",
                contributes_to_pension="false",
            )
        )
        persons.append(
            person_row(
                f"P{i}b",
                hid,
                relationship="child",
                birth_date="2012-05-01",
                activity="student",
                attends_school="true",
                years_of_schooling="5",
                contributes_to_pension="false",
            )
        )
    write_registry(directory, households, persons)


def _service(
    sid: str, *, rule: str, scope: str, indicators: list[str], slots: list[tuple[str, int]]
):
    return {
        "id": sid,
        "name": f"Oferta {sid[-1]}",
        "status": "active",
        "attributes": [
            {"link_type": "ipm_indicators", "taxonomy_term": {"code": code}} for code in indicators
        ],
        "x_oferta": {
            "eligibility_rule": rule,
            "eligibility_scope": scope,
            "slots": [
                {
                    "id": f"00000000-0000-0000-0000-00000000000{n}",
                    "territory_code": code,
                    "period_start": "2025-01-01",
                    "period_end": "2025-12-31",
                    "places": places,
                }
                for n, (code, places) in enumerate(slots)
            ],
        },
    }


def _services(path: Path) -> Path:
    services = [
        _service(
            "11111111-1111-1111-1111-111111111111",
            rule="",
            scope="household",
            indicators=["illiteracy", "low_educational_attainment"],
            slots=[("44001", 2), ("44847", 1)],
        ),
        _service(
            "22222222-2222-2222-2222-222222222222",
            rule="members.exists(m, m.age >= 18)",
            scope="household",
            indicators=["informal_work"],
            slots=[("44", 3)],
        ),
        _service(
            "33333333-3333-3333-3333-333333333333",
            rule="person.age < 18",
            scope="person",
            indicators=["school_lag"],
            slots=[("44001", 1)],
        ),
        {
            **_service(
                "44444444-4444-4444-4444-444444444444",
                rule="",
                scope="household",
                indicators=["illiteracy"],
                slots=[("44001", 9)],
            ),
            "status": "inactive",
        },
    ]
    path.write_text(json.dumps(services), encoding="utf-8")
    return path


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    _registry(tmp_path / "registro")
    return tmp_path / "registro", _services(tmp_path / "services.json")


def _run(directory: Path, services: Path, out: Path, *extra: str):
    return runner.invoke(
        app,
        [
            "route",
            "--households",
            str(directory),
            "--offers",
            str(services),
            "--out",
            str(out),
            "--as-of",
            "2025-06-30",
            *extra,
        ],
    )


def test_route_writes_the_four_outputs_and_a_spanish_summary(inputs, tmp_path):
    directory, services = inputs
    out = tmp_path / "salida"

    result = _run(directory, services, out, "--k", "2")

    assert result.exit_code == 0, result.output
    assert "[100 %] Terminada" in result.output
    assert "Verificación: todas las restricciones se cumplen" in result.output
    for name in (
        "assignments.parquet",
        "unfilled_places.parquet",
        "unmet_need.parquet",
        "run.json",
    ):
        assert (out / name).exists(), name
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["verifier"]["ok"] is True
    assert record["parameters"]["k_max"] == 2
    assert record["figures"]["objective"] >= record["figures"]["greedy_objective"]
    assert record["policy"]["code"]
    assert record["inputs"]["offers"] == 3  # the inactive service is left out


def test_route_respects_places_and_k(inputs, tmp_path):
    directory, services = inputs
    out = tmp_path / "salida"

    result = _run(directory, services, out, "--k", "1")

    assert result.exit_code == 0, result.output
    assignments = pl.read_parquet(out / "assignments.parquet")
    assert assignments.height > 0
    assert assignments.group_by("household_id").len()["len"].max() == 1
    used = assignments.group_by("offer_id", "territory_code").len()
    limits = {
        ("11111111-1111-1111-1111-111111111111", "44001"): 2,
        ("11111111-1111-1111-1111-111111111111", "44847"): 1,
        ("22222222-2222-2222-2222-222222222222", "44"): 3,
        ("33333333-3333-3333-3333-333333333333", "44001"): 1,
    }
    for offer_id, territory, n in used.iter_rows():
        assert n <= limits[(offer_id, territory)]
    person_rows = assignments.filter(pl.col("offer_id") == "33333333-3333-3333-3333-333333333333")
    assert person_rows["person_id"].is_not_null().all()


def test_route_is_reproducible(inputs, tmp_path):
    directory, services = inputs

    first = _run(directory, services, tmp_path / "a")
    second = _run(directory, services, tmp_path / "b")

    assert first.exit_code == second.exit_code == 0
    assert pl.read_parquet(tmp_path / "a" / "assignments.parquet").equals(
        pl.read_parquet(tmp_path / "b" / "assignments.parquet")
    )


def test_route_accepts_household_and_person_files(inputs, tmp_path):
    directory, services = inputs

    result = runner.invoke(
        app,
        [
            "route",
            "--households",
            str(directory / "hogares.csv"),
            "--persons",
            str(directory / "personas.csv"),
            "--offers",
            str(services),
            "--out",
            str(tmp_path / "c"),
            "--as-of",
            "2025-06-30",
        ],
    )

    assert result.exit_code == 0, result.output


def test_route_rejects_a_file_that_is_not_an_hsds_export(inputs, tmp_path):
    directory, _ = inputs
    bad = tmp_path / "malo.json"
    bad.write_text('{"no": "es una lista"}', encoding="utf-8")

    result = _run(directory, bad, tmp_path / "d")

    assert result.exit_code != 0
    assert "services.json" in result.output


@pytest.mark.django_db
def test_offers_are_read_from_a_real_catalogue_export(tmp_path):
    from oferta.offers.hsds.export import catalogue_export
    from oferta.referrals.routing import offers_from_hsds
    from offers.factories import service_make

    service = service_make(
        indicators=("illiteracy",),
        eligibility_rule="person.age >= 15",
        eligibility_scope="person",
        slots=(("44001", 4),),
    )
    catalogue_export(directory=tmp_path)

    offers, places = offers_from_hsds(
        json.loads((tmp_path / "services.json").read_text(encoding="utf-8"))
    )

    row = offers.filter(pl.col("offer_id") == str(service.pk)).row(0, named=True)
    assert row["rule"] == "person.age >= 15"
    assert row["scope"] == "person"
    assert row["indicators"] == ["illiteracy"]
    assert places.filter(pl.col("offer_id") == str(service.pk)).select(
        "territory_code", "places"
    ).rows() == [("44001", 4)]
