"""API tokens: created with a key shown once, stored as a digest, refused once revoked or expired,
and audited without the key."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from oferta.accounts.models import ApiToken, AuditEvent, Role
from oferta.accounts.selectors import audit_events_for
from oferta.accounts.services import api_token_create, api_token_revoke
from oferta.core.errors import PermissionDenied, ValidationFailed

ME = "/api/accounts/me"


def _bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_api_token_create_stores_only_a_digest_of_the_key(user_factory):
    # given a user
    user = user_factory(Role.PARTNER_USER)
    # when they create a token
    token, key = api_token_create(actor=user, user=user, name="integración", expires_in_days=30)
    # then the key is long and random, and only its digest and a short prefix are stored
    assert len(key) >= 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == ApiToken.digest_of(key)
    assert key not in {stored.digest, stored.name}
    assert stored.prefix == key[:8]
    assert timedelta(days=29) < stored.expires_at - timezone.now() <= timedelta(days=30)


def test_api_token_create_writes_one_event_without_secrets(user_factory):
    user = user_factory(Role.NATIONAL_ANALYST, username="carla")
    token, key = api_token_create(actor=user, user=user, name="tablero", expires_in_days=90)
    event = audit_events_for(object_type="api_token", object_id=str(token.uuid)).get()
    assert event.action == "api_token.create"
    assert event.actor == user
    assert event.before is None
    assert event.after["user"] == "carla"
    assert event.after["name"] == "tablero"
    dumped = json.dumps([event.before, event.after, event.message, event.object_id])
    assert key not in dumped
    assert token.digest not in dumped
    assert token.prefix not in dumped


@pytest.mark.parametrize(
    ("name", "days", "field"),
    [
        ("", 30, "name"),
        ("x" * 101, 30, "name"),
        ("ok", 0, "expires_in_days"),
        ("ok", 366, "expires_in_days"),
    ],
)
def test_api_token_create_refuses_bad_input(user_factory, name, days, field):
    user = user_factory()
    with pytest.raises(ValidationFailed) as info:
        api_token_create(actor=user, user=user, name=name, expires_in_days=days)
    assert field in info.value.errors
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_user_cannot_create_a_token_for_someone_else(user_factory):
    owner, other = user_factory(), user_factory(Role.REGIONAL_ANALYST)
    with pytest.raises(PermissionDenied):
        api_token_create(actor=other, user=owner, name="ajeno", expires_in_days=30)
    assert not ApiToken.objects.exists()


def test_api_token_revoke_writes_one_event_and_is_idempotent(user_factory):
    # given a token
    user = user_factory()
    token, _ = api_token_create(actor=user, user=user, name="t", expires_in_days=30)
    # when it is revoked twice
    api_token_revoke(actor=user, token=token)
    api_token_revoke(actor=user, token=token)
    # then it is revoked and one revoke event exists
    token.refresh_from_db()
    assert token.revoked_at is not None
    events = audit_events_for(object_type="api_token", object_id=str(token.uuid))
    revokes = [e for e in events if e.action == "api_token.revoke"]
    assert len(revokes) == 1
    assert revokes[0].before == {"revoked_at": None}
    assert revokes[0].after["revoked_at"] is not None


def test_a_user_cannot_revoke_someone_elses_token(user_factory):
    owner, other = user_factory(), user_factory(Role.PARTNER_USER)
    token, _ = api_token_create(actor=owner, user=owner, name="t", expires_in_days=30)
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=other, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None


# --- the API ----------------------------------------------------------------------------


def test_anonymous_api_request_is_refused_with_401(client, db):
    response = client.get(ME)
    assert response.status_code == 401


def test_bearer_token_identifies_the_user(client, user_factory):
    # given a partner user with a token
    user = user_factory(Role.PARTNER_USER, username="aliada")
    _, key = api_token_create(actor=user, user=user, name="t", expires_in_days=30)
    # when the API is called with it
    response = client.get(ME, **_bearer(key))
    # then it answers as that user and records the use
    assert response.status_code == 200
    assert response.json() == {"username": "aliada", "role": "partner_user"}
    assert ApiToken.objects.get(user=user).last_used_at is not None


def test_revoked_token_is_refused(client, user_factory):
    user = user_factory()
    token, key = api_token_create(actor=user, user=user, name="t", expires_in_days=30)
    assert client.get(ME, **_bearer(key)).status_code == 200
    api_token_revoke(actor=user, token=token)
    assert client.get(ME, **_bearer(key)).status_code == 401


def test_expired_token_is_refused(client, user_factory):
    user = user_factory()
    token, key = api_token_create(actor=user, user=user, name="t", expires_in_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(ME, **_bearer(key)).status_code == 401


def test_token_of_a_deactivated_user_is_refused(client, user_factory):
    user = user_factory()
    _, key = api_token_create(actor=user, user=user, name="t", expires_in_days=30)
    user.is_active = False
    user.save()
    assert client.get(ME, **_bearer(key)).status_code == 401


def test_unknown_token_is_refused(client, db):
    assert client.get(ME, **_bearer("no-es-un-token")).status_code == 401


def test_signed_in_session_may_call_the_api(client, user_factory):
    user = user_factory(Role.FAIR_OPERATOR, username="feria")
    client.force_login(user)
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["role"] == "fair_operator"


def test_openapi_document_lists_the_accounts_endpoint_and_docs_are_served(client, db):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    assert "/api/accounts/me" in schema.json()["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert b"openapi.json" in docs.content
