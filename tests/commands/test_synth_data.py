"""The synth engine's calibration CSVs are exactly what `oferta synth derive-data` derives."""

from __future__ import annotations

from oferta.commands.synth import derived_files


def test_derived_calibration_files_are_up_to_date() -> None:
    for path, text in derived_files().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is stale: run `python -m oferta.commands.synth`"
        )


def test_targets_cover_every_municipal_unit_and_rates_every_department() -> None:
    files = {p.name: t for p, t in derived_files().items()}
    targets = files["municipal_targets.csv"].splitlines()
    assert len(targets) == 1 + 1122
    rates = files["deprivation_rates.csv"].splitlines()[1:]
    departments = {line.split(",")[0] for line in rates}
    assert len(departments) == 33
