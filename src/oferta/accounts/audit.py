"""The audit trail: every change writes one event, in the caller's transaction."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from .models import AuditEvent


def _jsonable(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def audit_event_record(
    *,
    actor: Any | None,
    action: str,
    object_type: str,
    object_id: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
) -> AuditEvent:
    """Record that ``actor`` (a user, or None for the system) did ``action`` on an object.

    ``object_id`` is the external identifier (UUID, DIVIPOLA code, user name). ``before`` and
    ``after`` hold the changed fields only; never put household personal data in ``message``.
    """
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_user,
        actor_label=actor_user.get_username() if actor_user else "sistema",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=_jsonable(before),
        after=_jsonable(after),
        message=message[:255],
    )
