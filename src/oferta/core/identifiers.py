"""Helpers shared by the access chokepoints: external identifiers and active users."""

from __future__ import annotations

import uuid
from typing import Any


def as_uuid(value: Any) -> uuid.UUID | None:
    """The UUID written in ``value``, or None when it is not one (callers answer "not found")."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def is_active_user(user: Any) -> bool:
    """Signed in and not deactivated: the precondition of every scope."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))
