"""Background jobs of the household registry (django-tasks; run by ``oferta manage db_worker``)."""

from __future__ import annotations

import logging
from pathlib import Path

from django_tasks import task

from .models import ImportStatus, RegistryImport
from .services import registry_import_run

logger = logging.getLogger(__name__)


@task()
def registry_import_task(
    import_uuid: str, households_path: str, persons_path: str, remove_files: bool = True
) -> str:
    """Run a queued registry import; the uploaded files are removed afterwards (they hold
    personal data and are no longer needed once loaded). Returns the final status."""
    registry_import = RegistryImport.objects.get(uuid=import_uuid)
    try:
        registry_import = registry_import_run(
            registry_import=registry_import,
            households_path=Path(households_path),
            persons_path=Path(persons_path),
        )
    finally:
        if remove_files:
            for path in (Path(households_path), Path(persons_path)):
                path.unlink(missing_ok=True)
    if registry_import.status == ImportStatus.SUCCEEDED:
        from oferta.insights.services import insights_refresh

        insights_refresh(municipality_codes=list(registry_import.municipality_codes))
    return registry_import.status
