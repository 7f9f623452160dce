"""Territories fixtures: the real reference data loaded once per module, and tiny workbooks."""

from __future__ import annotations

import pytest


def _wipe() -> None:
    from oferta.accounts.models import AuditEvent
    from oferta.territories.models import DataSource, Department, Figure, Municipality

    Figure.objects.all().delete()
    Municipality.objects.all().delete()
    Department.objects.all().delete()
    DataSource.objects.all().delete()
    AuditEvent.objects.filter(action__in=["dane_annex.imported", "reference_data.loaded"]).delete()


@pytest.fixture(scope="module")
def reference_data(django_db_setup, django_db_blocker):
    """The shipped reference data, loaded once for the module (about a second) and removed
    afterwards so that other test modules start from empty territory tables."""
    from database_guard import assert_test_database
    from oferta.territories.services import reference_data_load

    with django_db_blocker.unblock():
        assert_test_database()
        counts = reference_data_load()
    yield counts
    with django_db_blocker.unblock():
        _wipe()


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(username="analista", password="x")
    client.force_login(user)
    return client
