"""Security hooks for third-party packages (django-axes) that keep personal data out of logs."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings


def axes_client_str(
    username: Any, ip_address: Any, user_agent: Any, path_info: Any, request: Any
) -> str:
    """How django-axes names a client in its log lines: a keyed pseudonym, not the user name or
    address, so that repeated failures can still be correlated without personal data in logs
    (the audit trail, which is access-controlled, keeps the user name)."""
    material = f"{username or ''}|{ip_address or ''}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), material, hashlib.sha256).hexdigest()
    return f"cliente:{digest[:12]}"
