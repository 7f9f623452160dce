"""A guard for fixtures that write to the database outside a test (module- or session-scoped).

pytest-django creates the test databases only when a selected test needs one; a fixture that
unblocks database access while no such test is selected (for example `pytest -k` on tests that
do not use the database) would otherwise write to the configured, real database.
"""

from __future__ import annotations


def assert_test_database() -> None:
    """Raise unless the default connection points at a test database."""
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if name.startswith("file:memorydb") or name.rsplit("/", 1)[-1].startswith("test_"):
        return
    raise RuntimeError(
        f"refusing to load fixture data into {name!r}: it is not a test database "
        "(mark the module's tests with pytest.mark.django_db)"
    )
