"""Background jobs of director's reports (django-tasks; run by ``oferta manage db_worker``)."""

from __future__ import annotations

from django_tasks import task

from .models import DirectorReport
from .services import report_generate


@task()
def director_report_task(report_uuid: str) -> str:
    """Generate a queued report; returns its final status."""
    report = DirectorReport.objects.select_related("created_by").get(uuid=report_uuid)
    return str(report_generate(report=report).status)
