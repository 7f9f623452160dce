"""Registry import (oferta.households.services): validation, rejects, diagnostics, loading."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from oferta.accounts.models import AuditEvent
from oferta.households.models import Household, ImportStatus, Person
from oferta.households.services import registry_import_create, registry_import_run

from .factories import AS_OF, household_row, person_row, write_registry

pytestmark = pytest.mark.django_db


def _run(
    paths: tuple[Path, Path], *, strict: bool = False, method: str = "dane-cnpv-2018", actor=None
):
    registry_import = registry_import_create(
        households_file_name=paths[0].name,
        persons_file_name=paths[1].name,
        as_of=AS_OF,
        method_code=method,
        strict=strict,
        actor=actor,
    )
    seen: list[tuple[int, str]] = []
    result = registry_import_run(
        registry_import=registry_import,
        households_path=paths[0],
        persons_path=paths[1],
        progress=lambda percent, stage: seen.append((percent, stage)),
    )
    return result, seen


def _rejects(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def registry_with_bad_rows(tmp_path, territories):
    """Two good households (5 good persons), one household with an unknown zone (and its
    member), and one person with an impossible birth date in a good household."""
    households = [
        household_row("H1", municipality_code="44847"),
        household_row("H2", municipality_code="44001", zone="rural", sleeping_rooms="1"),
        household_row("H3", municipality_code="44847", zone="suburban"),
    ]
    persons = [
        person_row("P1", "H1", first_names="Ana María", last_names="Núñez"),
        person_row(
            "P2",
            "H1",
            relationship="child",
            birth_date="2013-01-15",
            first_names="Luis",
            sex="male",
            years_of_schooling="3",
            attends_school="true",
            activity="inactive",
            contributes_to_pension="false",
        ),
        person_row("P3", "H1", relationship="spouse", birth_date="not-a-date"),
        person_row("P4", "H2", first_names="José", last_names="Epiayú"),
        person_row(
            "P5",
            "H2",
            relationship="child",
            birth_date="2020-02-01",
            years_of_schooling="0",
            activity="inactive",
            contributes_to_pension="false",
            early_childhood_care_adequate="true",
            early_childhood_nutrition_adequate="true",
        ),
        person_row("P6", "H2", relationship="spouse", first_names="Rosa"),
        person_row("P7", "H3"),
    ]
    return write_registry(tmp_path / "in", households, persons)


def test_good_rows_are_all_loaded_and_bad_rows_listed_in_the_rejects_file(registry_with_bad_rows):
    # given a registry with one bad household and one bad person
    # when it is imported
    result, _ = _run(registry_with_bad_rows)
    # then every good row is in the database and the bad ones are in the rejects file
    assert result.status == ImportStatus.SUCCEEDED, result.error_message
    assert set(Household.objects.values_list("registry_id", flat=True)) == {"H1", "H2"}
    assert set(Person.objects.values_list("registry_id", flat=True)) == {
        "P1",
        "P2",
        "P4",
        "P5",
        "P6",
    }
    rejects = _rejects(result.rejects_path)
    rejected_rows = {(r["archivo"], r["fila"], r["columna"]) for r in rejects}
    assert ("hogares.csv", "4", "zone") in rejected_rows
    assert ("personas.csv", "4", "birth_date") in rejected_rows
    assert any(r["archivo"] == "personas.csv" and r["fila"] == "8" for r in rejects)


def test_counts_reconcile(registry_with_bad_rows):
    result, _ = _run(registry_with_bad_rows)
    assert (result.households_read, result.households_accepted, result.households_rejected) == (
        3,
        2,
        1,
    )
    assert (result.persons_read, result.persons_accepted, result.persons_rejected) == (7, 5, 2)
    assert Household.objects.count() == result.households_accepted
    assert Person.objects.count() == result.persons_accepted


def test_strict_mode_loads_nothing(registry_with_bad_rows):
    result, _ = _run(registry_with_bad_rows, strict=True)
    assert result.status == ImportStatus.FAILED
    assert "estricto" in result.error_message
    assert Household.objects.count() == 0
    assert Person.objects.count() == 0
    assert len(_rejects(result.rejects_path)) >= 2


def test_diagnostics_are_stored_for_the_method_indicators(registry_with_bad_rows):
    result, _ = _run(registry_with_bad_rows, method="dane-cnpv-2018")
    h1 = Household.objects.get(registry_id="H1")
    assert h1.method_code == "dane-cnpv-2018"
    assert h1.as_of == AS_OF
    assert h1.k == "0.33"
    assert h1.deprived_long_term_unemployment is None  # not in the census method
    assert h1.deprived_high_economic_dependency is False  # 2 persons, 1 employed
    assert h1.deprived_school_lag is True  # Luis, 12 años, 3 años aprobados
    assert h1.score_units == 5
    assert str(h1.score) == "0.0500"
    assert h1.poor is False
    assert h1.size == 2
    assert h1.programs == ["renta_ciudadana", "unidos"]
    assert h1.monetary_status == "not_poor"
    assert h1.quadrant == "neither"
    assert h1.registry_import_id == result.pk


def test_search_name_is_lower_case_and_accent_free(registry_with_bad_rows):
    _run(registry_with_bad_rows)
    assert Person.objects.get(registry_id="P1").search_name == "ana maria nunez"


def test_progress_is_reported_up_to_100(registry_with_bad_rows):
    result, seen = _run(registry_with_bad_rows)
    percents = [p for p, _ in seen]
    assert percents == sorted(percents)
    assert percents[-1] == 100
    assert result.progress == 100
    assert result.stage


def test_one_audit_event_with_counts_and_no_personal_data(registry_with_bad_rows, users):
    result, _ = _run(registry_with_bad_rows, actor=users["national_admin"])
    events = AuditEvent.objects.filter(action="registry.imported")
    assert events.count() == 1
    event = events.get()
    assert event.object_id == str(result.uuid)
    assert event.actor == users["national_admin"]
    assert event.after["households_accepted"] == 2
    assert event.after["persons_rejected"] == 2
    text = f"{event.after} {event.message}"
    for personal in ("Ana", "Núñez", "Epiayú", "José"):
        assert personal not in text


def test_reimport_updates_in_place_and_replaces_the_municipality_set(tmp_path, territories):
    # given a first import with two households in Uribia and one in Riohacha
    first = write_registry(
        tmp_path / "v1",
        [household_row("H1"), household_row("H9"), household_row("H2", municipality_code="44001")],
        [
            person_row("P1", "H1"),
            person_row(
                "P2",
                "H1",
                relationship="child",
                birth_date="2012-01-01",
                years_of_schooling="5",
                attends_school="true",
                activity="inactive",
            ),
            person_row("P9", "H9"),
            person_row("P21", "H2"),
        ],
    )
    _run(first)
    h1_uuid = Household.objects.get(registry_id="H1").uuid
    p1_uuid = Person.objects.get(registry_id="P1").uuid
    # when a second extract of Uribia only comes without H9 and without P2
    second = write_registry(
        tmp_path / "v2",
        [household_row("H1", floor_material="earth_sand")],
        [person_row("P1", "H1", first_names="Ana Lucía")],
    )
    result, _ = _run(second)
    # then H1 keeps its uuid with the new facts, H9 and P2 are gone, Riohacha is untouched
    assert result.status == ImportStatus.SUCCEEDED
    h1 = Household.objects.get(registry_id="H1")
    assert h1.uuid == h1_uuid
    assert h1.floor_material == "earth_sand"
    assert h1.size == 1
    assert h1.deprived_inadequate_floors is True
    assert Person.objects.get(registry_id="P1").uuid == p1_uuid
    assert Person.objects.get(registry_id="P1").first_names == "Ana Lucía"
    assert not Household.objects.filter(registry_id="H9").exists()
    assert not Person.objects.filter(registry_id__in=["P2", "P9"]).exists()
    assert Household.objects.filter(registry_id="H2").exists()
    assert result.households_removed == 1
    assert result.municipality_codes == ["44847"]


def test_unknown_municipality_is_rejected_when_territories_are_loaded(tmp_path, territories):
    paths = write_registry(
        tmp_path,
        [household_row("H1"), household_row("H2", municipality_code="99999")],
        [person_row("P1", "H1"), person_row("P2", "H2")],
    )
    result, _ = _run(paths)
    assert result.households_rejected == 1
    assert not Household.objects.filter(registry_id="H2").exists()


def test_a_file_missing_a_column_fails_with_a_message_naming_it(tmp_path, territories):
    households, persons = write_registry(tmp_path, [household_row("H1")], [person_row("P1")])
    households.write_text("household_id,municipality_code\nH1,44847\n", encoding="utf-8")
    result, _ = _run((households, persons))
    assert result.status == ImportStatus.FAILED
    assert "hogares.csv" in result.error_message
    assert "zone" in result.error_message
    assert Household.objects.count() == 0


def test_an_unknown_method_fails_before_reading(tmp_path, territories):
    from oferta.households.services import RegistryImportFailed

    with pytest.raises(RegistryImportFailed):
        registry_import_create(
            households_file_name="h.csv",
            persons_file_name="p.csv",
            as_of=AS_OF,
            method_code="dane-2099",
            actor=None,
        )
