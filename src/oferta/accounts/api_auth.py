"""Authentication for the JSON API: a bearer token (ApiToken) or the staff session."""

from __future__ import annotations

from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from .models import ApiToken


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <key>``; the key is looked up by its SHA-256 digest."""

    def authenticate(self, request, token: str):
        token_row = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True)
            .first()
        )
        if token_row is None or not token_row.user.is_active:
            return None
        now = timezone.now()
        if token_row.expires_at and token_row.expires_at <= now:
            return None
        ApiToken.objects.filter(pk=token_row.pk).update(last_used_at=now)
        request.user = token_row.user
        return token_row.user


api_auth = [ApiTokenAuth(), django_auth]
"""Use as ``auth=api_auth`` on routers: token first, then the browser session (with CSRF)."""
