"""Background jobs of the territorial reading (django-tasks; run by ``oferta manage db_worker``)."""

from __future__ import annotations

from django_tasks import task

from .services import insights_refresh


@task()
def insights_refresh_task(municipality_codes: list[str]) -> int:
    """Refresh the aggregates of ``municipality_codes``; returns the number of gap rows."""
    return insights_refresh(municipality_codes=municipality_codes).gap_rows
