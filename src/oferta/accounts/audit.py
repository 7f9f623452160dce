"""The audit trail: every change writes one event, in the caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from .models import AuditEvent


def _jsonable(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _actor_user_and_label(actor: Any | None) -> tuple[Any | None, str]:
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    return actor_user, actor_user.get_username() if actor_user else "sistema"


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
    actor_user, actor_label = _actor_user_and_label(actor)
    return AuditEvent.objects.create(
        actor=actor_user,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=_jsonable(before),
        after=_jsonable(after),
        message=message[:255],
    )


@dataclass(frozen=True, slots=True)
class AuditChange:
    """One object's change inside a bulk action (see :func:`audit_events_record_bulk`)."""

    object_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    message: str = ""


def audit_events_record_bulk(
    *,
    actor: Any | None,
    action: str,
    object_type: str,
    changes: Iterable[AuditChange],
    batch_size: int = 2000,
) -> int:
    """Record one event per changed object with batched inserts (a bulk action on thousands of
    objects must not issue thousands of queries). Same rules as :func:`audit_event_record`;
    returns the number of events written."""
    actor_user, actor_label = _actor_user_and_label(actor)
    events = AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                actor=actor_user,
                actor_label=actor_label,
                action=action,
                object_type=object_type,
                object_id=str(change.object_id),
                before=_jsonable(change.before),
                after=_jsonable(change.after),
                message=change.message[:255],
            )
            for change in changes
        ),
        batch_size=batch_size,
    )
    return len(events)
