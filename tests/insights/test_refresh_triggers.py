"""Where the refresh runs: `oferta insights refresh`, the end of a registry import and of a
routing run."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from oferta.cli import app
from oferta.insights.models import MunicipalIndicatorGap, MunicipalRegistrySummary

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_cli_refresh_recomputes_every_municipality(world):
    result = runner.invoke(app, ["insights", "refresh"])
    assert result.exit_code == 0, result.output
    assert "3 municipios" in result.output
    assert MunicipalRegistrySummary.objects.count() == 3


def test_cli_refresh_of_one_municipality(world):
    result = runner.invoke(app, ["insights", "refresh", "-m", "44847"])
    assert result.exit_code == 0, result.output
    assert list(MunicipalRegistrySummary.objects.values_list("municipality_code", flat=True)) == [
        "44847"
    ]


def test_cli_refuses_a_code_that_is_not_divipola(world):
    result = runner.invoke(app, ["insights", "refresh", "-m", "Uribia"])
    assert result.exit_code == 2
    assert not MunicipalRegistrySummary.objects.exists()


def test_a_succeeded_routing_run_refreshes_its_territories(world, monkeypatch):
    from oferta.referrals import tasks

    monkeypatch.setattr(tasks, "routing_run_execute", lambda *, run, actor, progress: run)
    tasks.routing_run_task.call(str(world.run.uuid))
    assert set(MunicipalIndicatorGap.objects.values_list("municipality_code", flat=True)) == {
        "44847",
        "44001",
    }


def test_a_succeeded_registry_import_refreshes_the_imported_municipalities(
    world, monkeypatch, tmp_path
):
    from oferta.households import tasks
    from oferta.households.models import ImportStatus, RegistryImport

    registry_import = RegistryImport.objects.create(
        households_file_name="h.csv",
        persons_file_name="p.csv",
        as_of="2025-06-30",
        method_code="dane-cnpv-2018",
        status=ImportStatus.SUCCEEDED,
        municipality_codes=["27001"],
    )
    monkeypatch.setattr(tasks, "registry_import_run", lambda **kwargs: registry_import)
    tasks.registry_import_task.call(
        str(registry_import.uuid), str(tmp_path / "h.csv"), str(tmp_path / "p.csv")
    )
    assert list(MunicipalRegistrySummary.objects.values_list("municipality_code", flat=True)) == [
        "27001"
    ]


def _gap(code: str, indicator: str) -> MunicipalIndicatorGap:
    return MunicipalIndicatorGap.objects.get(municipality_code=code, indicator=indicator)


def test_a_partner_answer_refreshes_the_uptake_of_its_municipality_after_commit(
    world, django_capture_on_commit_callbacks
):
    # given refreshed figures and a sent (referred) literacy referral of Uribia's second household
    from oferta.insights.services import insights_refresh
    from oferta.referrals.services import referral_accept

    from .conftest import referral_make

    sent = referral_make(world.uribia[1], world.literacy, stage="referred")
    insights_refresh()
    before = _gap("44847", "illiteracy").accepted

    # when the entity's user accepts it
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        referral_accept(referral=sent, actor=world.partner)

    # then one refresh ran after the commit and the accepted count went up by one
    assert len(callbacks) == 1
    assert _gap("44847", "illiteracy").accepted == before + 1


def test_many_changes_in_one_transaction_schedule_a_single_refresh(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    # given two sent referrals in two municipalities
    from django.db import transaction

    from oferta.referrals.services import referral_accept

    from .conftest import referral_make

    first = referral_make(world.uribia[1], world.literacy, stage="referred")
    second = referral_make(world.riohacha, world.water, stage="referred")
    enqueued: list[list[str]] = []
    from oferta.insights import tasks as insights_tasks

    class Recorder:
        @staticmethod
        def enqueue(codes):
            enqueued.append(codes)

    # when both are accepted in one transaction (as a partner's CSV upload does)
    monkeypatch.setattr(insights_tasks, "insights_refresh_task", Recorder)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        referral_accept(referral=first, actor=None)
        referral_accept(referral=second, actor=None)

    # then one refresh was scheduled, for both municipalities
    assert len(callbacks) == 1
    assert enqueued == [["44001", "44847"]]
