"""`oferta routing run`: the database routing run from the command line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from oferta.accounts.models import Role
from oferta.cli import app
from oferta.referrals.models import Referral, RoutingRun, RunStatus
from offers.factories import territories_make, user_make

from .test_routing_run import _world

pytestmark = pytest.mark.django_db
runner = CliRunner(env={"COLUMNS": "240"})  # error boxes wide enough to read whole


def test_a_run_from_the_command_line_proposes_referrals_and_reports_both_solvers():
    # given households and offers of La Guajira, and a national analyst
    territories_make()
    _world()
    user_make(Role.NATIONAL_ANALYST, username="analista-cli")

    # when the analyst routes Uribia and Riohacha from the command line with K = 2
    result = runner.invoke(
        app, ["routing", "run", "-t", "44847", "-t", "44001", "--user", "analista-cli", "--k", "2"]
    )

    # then one succeeded run proposed referrals within K, and both solvers are reported
    assert result.exit_code == 0, result.output
    run = RoutingRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED
    assert run.scope == ["44001", "44847"]
    assert run.parameters["k_max"] == 2
    referrals = Referral.objects.filter(routing_run=run)
    assert referrals.count() == run.places_filled > 0
    assert "Terminada" in result.output
    assert "Voraz:" in result.output
    assert "Verificador: sin incumplimientos" in result.output


def test_a_user_outside_the_territory_cannot_route_it():
    # given a regional analyst of Nariño
    territories_make()
    user_make(Role.REGIONAL_ANALYST, username="regional-narino", departments=["52"])

    # when they try to route Uribia
    result = runner.invoke(app, ["routing", "run", "-t", "44847", "--user", "regional-narino"])

    # then the command refuses and no run is created
    assert result.exit_code == 2
    assert "fuera del alcance" in result.output
    assert not RoutingRun.objects.exists()


def test_a_partner_user_cannot_route():
    territories_make()
    user_make(Role.PARTNER_USER, username="enlace")

    result = runner.invoke(app, ["routing", "run", "-t", "44", "--user", "enlace"])

    assert result.exit_code == 2
    assert "no puede correr focalizaciones" in result.output
    assert not RoutingRun.objects.exists()


def test_a_code_that_is_not_divipola_is_refused():
    territories_make()
    user_make(Role.NATIONAL_ANALYST, username="analista-cli")

    result = runner.invoke(app, ["routing", "run", "-t", "Uribia", "--user", "analista-cli"])

    assert result.exit_code == 2
    assert not RoutingRun.objects.exists()
