"""The linkage funnel (identified → referred → accepted → enrolled → served) on a small,
hand-counted set of referrals, grouped four ways and scoped to the user."""

from __future__ import annotations

import pytest

from oferta.referrals.models import Referral
from oferta.referrals.selectors import linkage_funnel

pytestmark = pytest.mark.django_db


def _numbers(row):
    return (row.identified, row.referred, row.accepted, row.enrolled, row.served)


def test_funnel_by_offer(world, funnel_referrals):
    funnel = linkage_funnel(user=world.national, by="offer")
    rows = {row.label: row for row in funnel.rows}
    assert list(rows) == ["Oferta A1", "Oferta B"]
    assert _numbers(rows["Oferta A1"]) == (5, 4, 2, 2, 1)
    assert rows["Oferta A1"].median_days_to_enrolment == 7.0
    assert rows["Oferta A1"].rejection_reasons == {"no_capacity": 1}
    assert _numbers(rows["Oferta B"]) == (3, 3, 1, 0, 0)
    assert rows["Oferta B"].median_days_to_enrolment is None
    assert rows["Oferta B"].rejection_reasons == {"client_refused": 2}
    assert _numbers(funnel.total) == (8, 7, 3, 2, 1)
    assert funnel.total.median_days_to_enrolment == 7.0
    assert funnel.total.rejection_reasons == {"no_capacity": 1, "client_refused": 2}


def test_funnel_by_entity(world, funnel_referrals):
    rows = {row.label: row for row in linkage_funnel(user=world.national, by="organization").rows}
    assert _numbers(rows["Entidad A"]) == (5, 4, 2, 2, 1)
    assert _numbers(rows["Entidad B"]) == (3, 3, 1, 0, 0)


def test_funnel_by_municipality_and_department(world, funnel_referrals):
    by_municipality = {
        r.label: r for r in linkage_funnel(user=world.national, by="municipality").rows
    }
    assert _numbers(by_municipality["Uribia"]) == (3, 2, 1, 1, 1)
    assert by_municipality["Uribia"].median_days_to_enrolment == 4.0
    assert _numbers(by_municipality["Riohacha"]) == (3, 3, 1, 1, 0)
    assert by_municipality["Riohacha"].median_days_to_enrolment == 10.0
    assert by_municipality["Riohacha"].rejection_reasons == {"client_refused": 1}
    assert _numbers(by_municipality["Quibdó"]) == (2, 2, 1, 0, 0)
    by_department = {r.key: r for r in linkage_funnel(user=world.national, by="department").rows}
    assert _numbers(by_department["44"]) == (6, 5, 2, 2, 1)
    assert by_department["44"].label == "La Guajira"
    assert _numbers(by_department["27"]) == (2, 2, 1, 0, 0)


def test_funnel_is_scoped_to_the_user_and_the_run(world, funnel_referrals):
    partner = linkage_funnel(user=world.partner_a, by="offer")
    assert [r.label for r in partner.rows] == ["Oferta A1"]
    assert _numbers(partner.total) == (4, 4, 2, 2, 1)  # partners never see proposals
    regional = linkage_funnel(user=world.regional, by="department")
    assert [r.key for r in regional.rows] == ["44"]
    Referral.objects.filter(pk__in=[r.pk for r in funnel_referrals[:3]]).update(
        routing_run=world.run
    )
    by_run = linkage_funnel(user=world.national, by="offer", run=world.run)
    assert _numbers(by_run.total) == (3, 2, 0, 0, 0)


def test_unknown_grouping_is_an_error(world):
    with pytest.raises(ValueError, match="unknown funnel grouping"):
        linkage_funnel(user=world.national, by="planet")
