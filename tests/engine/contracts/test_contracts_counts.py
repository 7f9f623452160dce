"""Counts always reconcile (read = accepted + rejected), also in strict mode."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from .builders import Row, child, household, person, problems, validate

# Ways to break one cell; each must reject its row.
HOUSEHOLD_BREAKS: list[dict[str, str | None]] = [
    {"zone": "mountain"},
    {"sleeping_rooms": "many"},
    {"sleeping_rooms": "77"},
    {"municipality_code": "5001"},
    {"water_source": None},
    {"accompaniment": "perhaps"},
    {"monthly_income": "-1"},
]
PERSON_BREAKS: list[dict[str, str | None]] = [
    {"sex": "?"},
    {"birth_date": "2030-01-01"},
    {"birth_date": "01/01/2000"},
    {"years_of_schooling": "40"},
    {"activity": "unemployed"},
    {"household_id": "nowhere"},
    {"health_insured": None},
    {"early_childhood_care_adequate": None, "birth_date": "2023-01-01"},
]


@st.composite
def registries(draw: st.DrawFn) -> tuple[list[Row], list[Row]]:
    n = draw(st.integers(1, 6))
    households: list[Row] = []
    persons: list[Row] = []
    for i in range(n):
        hid = draw(st.sampled_from([f"h{i}", "h0"]))  # sometimes a duplicate id
        breaks = draw(st.lists(st.sampled_from(HOUSEHOLD_BREAKS), max_size=2))
        households.append(
            household(household_id=hid, **{k: v for b in breaks for k, v in b.items()})
        )
        for j in range(draw(st.integers(0, 3))):
            pbreaks = draw(st.lists(st.sampled_from(PERSON_BREAKS), max_size=2))
            values = {k: v for b in pbreaks for k, v in b.items()}
            make = person if j == 0 else child
            persons.append(make(**{"person_id": f"p{i}-{j}", "household_id": hid, **values}))
    return households, persons


@settings(max_examples=60, deadline=None)
@given(registries(), st.booleans())
def test_counts_reconcile_and_every_rejected_row_is_in_the_rejects(
    registry: tuple[list[Row], list[Row]], strict: bool
) -> None:
    households, persons = registry
    result = validate(households, persons, strict=strict)
    for table, accepted, rows in (
        ("households", result.households, households),
        ("persons", result.persons, persons),
    ):
        counts = result.counts[table]
        assert counts.read == len(rows)
        assert counts.read == counts.accepted + counts.rejected
        assert counts.accepted == accepted.height
        rows_in_rejects = {row for file, row, _, _ in problems(result) if file == table}
        assert counts.with_errors == len(rows_in_rejects)
        if not result.strict_failed:
            assert counts.rejected == len(rows_in_rejects)
    assert result.strict_failed == (strict and not result.rejects.is_empty())


def test_strict_mode_rejects_the_whole_registry_on_one_bad_row() -> None:
    # given two households, one with a bad zone
    households = [household(), household(household_id="h2", zone="?")]
    persons = [person(), person(person_id="p2", household_id="h2")]
    # when validated strictly
    result = validate(households, persons, strict=True)
    # then nothing is accepted, the counts say so, and the rejects still show the real problem
    assert result.strict_failed
    assert result.households.is_empty()
    assert result.persons.is_empty()
    hh = result.counts["households"]
    assert (hh.read, hh.accepted, hh.rejected, hh.with_errors) == (2, 0, 2, 1)
    assert ("households", 2, "zone", "unknown_code") in problems(result)


def test_strict_mode_accepts_a_clean_registry() -> None:
    result = validate([household()], [person()], strict=True)
    assert not result.strict_failed
    assert result.counts["persons"].accepted == 1


def test_strict_failure_keeps_the_accepted_frames_typed() -> None:
    result = validate([household(zone="?")], [person()], strict=True)
    lenient = validate([household()], [person()])
    assert result.households.schema == lenient.households.schema
    assert result.persons.schema == lenient.persons.schema
