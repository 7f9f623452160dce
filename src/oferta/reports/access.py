"""Who may request and download director's reports: the one place where report scope is decided.

- national administrators and analysts (and superusers): any territory, the nation included;
- regional analysts: their departments and the municipalities in them;
- municipal users: their municipality;
- partner-entity users, fair operators, inactive or anonymous users: none.

A report is served only to the person who requested it, and only while the territory is still
in their scope: :func:`access_report` raises the same error for "does not exist" and "not
yours" (the pattern of Zulip's ``access_stream_by_id``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from oferta.accounts.models import Role
from oferta.core.errors import ObjectNotFound
from oferta.core.identifiers import as_uuid, is_active_user

from .models import DirectorReport

NATION_CODE = "CO"
REPORTING_ROLES = {
    Role.NATIONAL_ADMIN,
    Role.NATIONAL_ANALYST,
    Role.REGIONAL_ANALYST,
    Role.MUNICIPAL_USER,
}


def user_can_request_reports(*, user: Any) -> bool:
    if not is_active_user(user):
        return False
    return bool(user.is_superuser or user.role in REPORTING_ROLES)


def user_territory_codes(*, user: Any) -> list[str] | None:
    """The codes a territorial user may report on (departments or one municipality); None
    means any territory (national roles); an empty list means none."""
    if not user_can_request_reports(user=user):
        return []
    if user.is_national:
        return None
    if user.role == Role.REGIONAL_ANALYST:
        return sorted(user.departments.values_list("code", flat=True))
    if user.role == Role.MUNICIPAL_USER and user.municipality_id:
        return [user.municipality_id]
    return []


def user_may_report_on(*, user: Any, code: str) -> bool:
    """Whether ``user`` may request (and read) a report of the territory ``code``."""
    allowed = user_territory_codes(user=user)
    if allowed is None:
        return True
    code = (code or "").strip().upper()
    if code == NATION_CODE:
        return False
    return any(code == c or (len(c) == 2 and code.startswith(c)) for c in allowed)


def reports_visible_to(*, user: Any) -> QuerySet[DirectorReport]:
    """The reports ``user`` requested, newest first."""
    if not user_can_request_reports(user=user):
        return DirectorReport.objects.none()
    return DirectorReport.objects.filter(created_by=user)


def access_report(*, user: Any, report_uuid: Any) -> DirectorReport:
    """The report ``report_uuid`` if ``user`` requested it and may still see its territory."""
    not_found = ObjectNotFound(_("El informe no existe o no tiene acceso a él."))
    key = as_uuid(report_uuid)
    if key is None:
        raise not_found
    report = reports_visible_to(user=user).filter(uuid=key).first()
    if report is None or not user_may_report_on(user=user, code=report.territory_code):
        raise not_found
    return report
