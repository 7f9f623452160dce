"""Background jobs of routing (django-tasks; run by ``oferta manage db_worker``)."""

from __future__ import annotations

from django_tasks import task

from .models import RoutingRun, RunStatus
from .routing import routing_run_execute


@task()
def routing_run_task(run_uuid: str, actor_id: int | None = None) -> str:
    """Execute a queued routing run; returns its final status."""
    from django.contrib.auth import get_user_model

    run = RoutingRun.objects.get(uuid=run_uuid)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    run = routing_run_execute(run=run, actor=actor, progress=None)
    if run.status == RunStatus.SUCCEEDED:
        # Uptake and unmet need of the run's territories change with its referrals.
        from oferta.insights.services import insights_refresh

        insights_refresh(municipality_codes=[str(code) for code in run.scope], actor=actor)
    return str(run.status)
