"""Sign-in events into the audit trail (thin receivers: the services write the events)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import services


@receiver(user_logged_in, dispatch_uid="oferta_audit_login")
def _on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.auth_login_record(user=user)


@receiver(user_login_failed, dispatch_uid="oferta_audit_login_failed")
def _on_login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # Django has already masked the password in ``credentials``; only the user name is read.
    username_field = get_user_model().USERNAME_FIELD
    services.auth_login_failed_record(username=str(credentials.get(username_field) or ""))


@receiver(user_locked_out, dispatch_uid="oferta_audit_locked_out")
def _on_locked_out(sender: Any, username: Any = None, **kwargs: Any) -> None:
    services.auth_locked_out_record(username=str(username or ""))
