"""Writes of director's reports: request one, generate it (the background job), record a
download. Every change writes an audit event."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oferta.accounts.audit import audit_event_record
from oferta.core.errors import ObjectNotFound, ValidationFailed
from oferta.territories.selectors import territory_get

from .access import user_can_request_reports, user_may_report_on
from .content import report_content_build
from .models import DirectorReport, ReportFormat, ReportStatus

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
OBJECT_TYPE = "director_report"


def reports_dir() -> Path:
    """Where generated reports are kept: ``<VAR_DIR>/reports``."""
    return Path(settings.VAR_DIR) / "reports"


def _actor_label(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def report_request(*, actor: Any, code: str, fmt: str, language: str = "es-co") -> DirectorReport:
    """A queued report of territory ``code`` ("CO", a department or a municipality) in ``fmt``
    (pdf or xlsx). Raises ValidationFailed (Spanish messages) for an unknown format or
    territory, or a territory outside ``actor``'s scope. The caller enqueues the job."""
    errors: dict[str, list[str]] = {}
    if fmt not in ReportFormat.values:
        errors["fmt"] = [_("Formato desconocido: use PDF o XLSX.")]
    if not user_can_request_reports(user=actor):
        raise ValidationFailed({"__all__": [_("Su rol no puede solicitar informes.")]})
    code = (code or "").strip().upper()
    try:
        territory = territory_get(code=code)
    except ObjectNotFound:
        errors["code"] = [_("No existe un territorio con el código «%(code)s».") % {"code": code}]
    else:
        if not user_may_report_on(user=actor, code=territory.code):
            errors["code"] = [_("Solo puede pedir informes de los territorios a su cargo.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        report = DirectorReport.objects.create(
            territory_code=territory.code,
            territory_label=territory.label[:200],
            format=fmt,
            language=language[:10],
            created_by=actor,
            stage=_("En cola"),
        )
        audit_event_record(
            actor=actor,
            action="director_report.requested",
            object_type=OBJECT_TYPE,
            object_id=str(report.uuid),
            after={"territory_code": report.territory_code, "format": fmt, "status": "queued"},
        )
    return report


class _Recorder:
    """Stores percent and stage on the report row as the job goes (the status page polls it)."""

    def __init__(self, report: DirectorReport, also: Progress | None) -> None:
        self.pk = report.pk
        self.also = also

    def __call__(self, percent: int, stage: str) -> None:
        percent = max(0, min(100, int(percent)))
        DirectorReport.objects.filter(pk=self.pk).update(progress=percent, stage=stage[:120])
        if self.also is not None:
            self.also(percent, stage)


def _render(report: DirectorReport, progress: Progress) -> bytes:
    actor = report.created_by
    content = report_content_build(
        code=report.territory_code,
        user=actor,
        requested_by=_actor_label(actor),
        progress=progress,
    )
    if report.format == ReportFormat.PDF:
        progress(80, _("Componiendo el PDF"))
        from .pdf import report_pdf  # WeasyPrint is a heavy import: only when needed

        return report_pdf(content)
    progress(80, _("Componiendo el libro XLSX"))
    from .xlsx import report_xlsx

    return report_xlsx(content)


def _finish(report: DirectorReport, **fields: Any) -> DirectorReport:
    before = {"status": report.status}
    for name, value in fields.items():
        setattr(report, name, value)
    report.finished_at = timezone.now()
    with transaction.atomic():
        report.save(update_fields=[*fields, "finished_at"])
        audit_event_record(
            actor=None,
            action=f"director_report.{report.status}",
            object_type=OBJECT_TYPE,
            object_id=str(report.uuid),
            before=before,
            after={"status": report.status, "file_size": report.file_size},
            message=report.error_message,
        )
    return report


def report_generate(*, report: DirectorReport, progress: Progress | None = None) -> DirectorReport:
    """Build and store the file of a queued report; returns the finished report.

    Never raises for a failure of the content or the rendering: the report ends ``failed``
    with a Spanish message (details go to the log). ``progress(percent, stage)`` is called
    along the way, and the percent and stage are stored on the row.
    """
    recorder = _Recorder(report, progress)
    before = report.status
    report.status = ReportStatus.RUNNING
    report.started_at = timezone.now()
    report.error_message = ""
    with transaction.atomic():
        report.save(update_fields=["status", "started_at", "error_message"])
        audit_event_record(
            actor=None,
            action="director_report.running",
            object_type=OBJECT_TYPE,
            object_id=str(report.uuid),
            before={"status": before},
            after={"status": report.status},
        )
    try:
        with translation.override(report.language or settings.LANGUAGE_CODE):
            data = _render(report, recorder)
            recorder(95, _("Guardando el archivo"))
            directory = reports_dir()
            directory.mkdir(parents=True, exist_ok=True)
            path = directory / f"{report.uuid}.{report.format}"
            partial = path.with_suffix(".part")
            partial.write_bytes(data)
            partial.replace(path)  # never leave a half-written report behind
    except Exception:
        logger.exception("director report %s failed", report.uuid)
        return _finish(
            report,
            status=ReportStatus.FAILED,
            stage=_("Fallido"),
            error_message=_(
                "No se pudo generar el informe. Intente de nuevo; si el problema sigue, "
                "avise al equipo de soporte con el identificador %(uuid)s."
            )
            % {"uuid": report.uuid},
        )
    return _finish(
        report,
        status=ReportStatus.SUCCEEDED,
        progress=100,
        stage=_("Listo"),
        file_path=str(path),
        file_size=len(data),
    )


def report_download_record(*, report: DirectorReport, actor: Any) -> None:
    """Audit that ``actor`` downloaded ``report`` (reports carry territorial figures and the
    referrals the requester may see)."""
    audit_event_record(
        actor=actor,
        action="director_report.downloaded",
        object_type=OBJECT_TYPE,
        object_id=str(report.uuid),
        after={"territory_code": report.territory_code, "format": report.format},
    )
