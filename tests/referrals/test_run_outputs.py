"""What a run leaves open: unfilled places and unmet need per indicator × municipality, stored
with the run, shown on its page and downloadable as XLSX."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from oferta.accounts.models import Role
from oferta.referrals.models import Referral, RunStatus
from oferta.referrals.routing import routing_run_create, routing_run_execute
from offers.factories import territories_make, user_make

from .test_routing_run import _world

pytestmark = pytest.mark.django_db


@pytest.fixture
def run():
    territories_make()
    _world()
    run = routing_run_create(actor=None, scope=["44001", "44847"], k_max=1)
    routing_run_execute(run=run, actor=None)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error_message
    return run


def test_unfilled_places_are_the_slots_minus_the_referrals_of_the_run(run):
    # given the run's places per offer and territory (see _world) and its referrals
    filled: dict[tuple[str, str], int] = {}
    for referral in Referral.objects.filter(routing_run=run).select_related("offer"):
        key = (str(referral.offer_id), referral.territory_code)
        filled[key] = filled.get(key, 0) + 1

    # then each stored unfilled row is places - filled, and only rows with places left appear
    assert run.unfilled_places
    for row in run.unfilled_places:
        assert row["unfilled"] == row["places"] - row["filled"] > 0
        if len(row["territory_code"]) == 5:
            assert row["filled"] == filled.get((row["offer_id"], row["territory_code"]), 0)


def test_unmet_need_counts_households_in_need_without_a_covering_assignment(run):
    # given the run's unmet need rows
    by_key = {(r["indicator"], r["municipality_code"]): r for r in run.unmet_need}

    # then each row is need - covered, positive, for municipalities of the run
    assert by_key
    for row in by_key.values():
        assert row["unmet"] == row["households_in_need"] - row["covered"] > 0
        assert row["municipality_code"] in {"44001", "44847"}
    # illiteracy: 15 deprived households in Riohacha (even i), 4 literacy places there, K = 1
    illiteracy = by_key.get(("illiteracy", "44001"))
    assert illiteracy is not None
    assert illiteracy["households_in_need"] == 15
    assert illiteracy["covered"] <= 4


def test_the_run_page_shows_both_tables_and_the_xlsx_has_every_row(client, run):
    # given a national analyst
    client.force_login(user_make(Role.NATIONAL_ANALYST))

    # when they open the run and download what it left open
    page = client.get(reverse("referrals:routing_run", kwargs={"run_id": run.uuid}))
    download = client.get(
        reverse("referrals:routing_run_outputs_xlsx", kwargs={"run_id": run.uuid})
    )

    # then the page lists unmet need and unfilled places with Spanish labels
    html = page.content.decode()
    assert 'id="necesidad-no-cubierta"' in html
    assert 'id="cupos-sin-asignar"' in html
    assert "Analfabetismo" in html
    assert "Alfabetización" in html
    # and the workbook holds every row, with DIVIPOLA codes as text
    assert download.status_code == 200
    book = openpyxl.load_workbook(BytesIO(download.content))
    unfilled = list(book["Cupos sin asignar"].iter_rows(min_row=2, values_only=True))
    unmet = list(book["Necesidad no cubierta"].iter_rows(min_row=2, values_only=True))
    assert len(unfilled) == len(run.unfilled_places)
    assert len(unmet) == len(run.unmet_need)
    assert {row[3] for row in unmet} <= {"44001", "44847"}
    assert book["Necesidad no cubierta"]["D2"].number_format == "@"


def test_a_partner_cannot_download_a_runs_open_ends(client, run):
    client.force_login(user_make(Role.PARTNER_USER))

    response = client.get(
        reverse("referrals:routing_run_outputs_xlsx", kwargs={"run_id": run.uuid})
    )

    assert response.status_code in (403, 404)
