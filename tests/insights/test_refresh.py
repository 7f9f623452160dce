"""insights_refresh: need, supply, uptake and unmet need per municipality and indicator."""

from __future__ import annotations

import pytest

from oferta.accounts.models import AuditEvent
from oferta.insights.models import MunicipalIndicatorGap, MunicipalRegistrySummary
from oferta.insights.services import insights_refresh

pytestmark = pytest.mark.django_db

FIELDS = (
    "households_deprived",
    "households_deprived_poor",
    "persons_deprived",
    "offers",
    "places_municipal",
    "places_department",
    "referred",
    "accepted",
    "enrolled",
    "served",
    "unmet_need",
)


def _gap(municipality: str, indicator: str) -> dict:
    row = MunicipalIndicatorGap.objects.get(municipality_code=municipality, indicator=indicator)
    return {name: getattr(row, name) for name in FIELDS}


def test_refresh_gives_the_expected_need_supply_and_uptake_for_uribia_literacy(world):
    # given the small world (3 deprived households in Uribia, 2 of them poor; 1 local place
    # and a pool of 3 in La Guajira; one served referral and one cancelled after sending)
    # when
    insights_refresh()
    # then
    assert _gap("44847", "illiteracy") == {
        "households_deprived": 3,
        "households_deprived_poor": 2,
        "persons_deprived": 4,
        "offers": 1,  # the inactive and the expired offers do not count
        "places_municipal": 1,
        "places_department": 3,
        "referred": 2,  # the proposed referral was never sent; uribia_4 is not deprived
        "accepted": 1,
        "enrolled": 1,
        "served": 1,
        "unmet_need": 1,  # uribia_2's referral was cancelled
    }


def test_refresh_counts_water_uptake_only_for_offers_closing_water(world):
    insights_refresh()
    assert _gap("44847", "no_improved_water") == {
        "households_deprived": 2,
        "households_deprived_poor": 1,
        "persons_deprived": 3,
        "offers": 0,  # the water offer has places in Riohacha only
        "places_municipal": 0,
        "places_department": 0,
        "referred": 1,
        "accepted": 1,
        "enrolled": 0,
        "served": 0,
        "unmet_need": 0,
    }
    assert _gap("44001", "no_improved_water")["places_municipal"] == 5
    assert _gap("44001", "no_improved_water")["unmet_need"] == 1


def test_unmet_need_is_null_where_no_routing_run_covers_the_municipality(world):
    insights_refresh()
    assert _gap("27001", "illiteracy")["unmet_need"] is None
    assert _gap("27001", "illiteracy")["households_deprived"] == 1
    assert (
        MunicipalIndicatorGap.objects.get(
            municipality_code="44847", indicator="illiteracy"
        ).routing_run_uuid
        == world.run.uuid
    )


def test_indicators_the_registry_does_not_measure_get_no_row(world):
    # given households with only two indicator flags set (the others are null)
    insights_refresh()
    assert set(
        MunicipalIndicatorGap.objects.filter(municipality_code="44847").values_list(
            "indicator", flat=True
        )
    ) == {"illiteracy", "no_improved_water"}


def test_refresh_writes_the_registry_summary(world):
    insights_refresh()
    summary = MunicipalRegistrySummary.objects.get(municipality_code="44847")
    assert (summary.households, summary.persons) == (4, 5)
    assert (summary.households_poor, summary.persons_poor) == (2, 3)
    assert summary.households_monetary_poor == 2
    assert summary.households_extreme_poor == 1
    assert summary.households_double_condition == 1
    assert summary.department_code == "44"


def test_refresh_of_some_municipalities_leaves_the_others_alone(world):
    insights_refresh()
    world.quibdo.delete()
    # when only La Guajira (a department code) is refreshed
    outcome = insights_refresh(municipality_codes=["44"])
    # then Quibdó keeps its rows and La Guajira's are rebuilt
    assert outcome.municipalities == 2
    assert MunicipalRegistrySummary.objects.filter(municipality_code="27001").exists()
    assert MunicipalRegistrySummary.objects.count() == 3


def test_refresh_is_idempotent_and_audited_only_when_figures_change(world):
    # given a first refresh
    first_outcome = insights_refresh()
    first = sorted(MunicipalIndicatorGap.objects.values_list("municipality_code", "indicator"))
    refreshed_at = MunicipalIndicatorGap.objects.values_list("refreshed_at", flat=True).first()

    # when it runs again with nothing changed
    second_outcome = insights_refresh()

    # then the rows are the same, untouched, and only the first refresh was audited
    assert first_outcome.changed
    assert not second_outcome.changed
    assert (
        sorted(MunicipalIndicatorGap.objects.values_list("municipality_code", "indicator")) == first
    )
    assert set(MunicipalIndicatorGap.objects.values_list("refreshed_at", flat=True)) == {
        refreshed_at
    }
    events = AuditEvent.objects.filter(action="insights.refreshed")
    assert events.count() == 1
    assert events.first().actor_label == "sistema"
    assert events.first().after["gap_rows"] == len(first)

    # when a household's deprivation changes, then the next refresh writes and is audited
    world.riohacha.deprived_illiteracy = not world.riohacha.deprived_illiteracy
    world.riohacha.save(update_fields=["deprived_illiteracy"])
    assert insights_refresh().changed
    assert AuditEvent.objects.filter(action="insights.refreshed").count() == 2


def test_a_municipality_that_left_the_registry_is_removed_on_refresh(world):
    insights_refresh()
    from oferta.referrals.models import Referral

    Referral.objects.filter(household__municipality_code="44001").delete()
    world.riohacha.delete()
    insights_refresh(municipality_codes=["44001"])
    assert not MunicipalRegistrySummary.objects.filter(municipality_code="44001").exists()
    assert not MunicipalIndicatorGap.objects.filter(municipality_code="44001").exists()
