"""Sign-in security through the real login view: audit of sign-ins, lock-out after repeated
failures (django-axes), CSRF, session cookie flags, and no personal data in logs."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.test import Client

from oferta.accounts.models import AuditEvent, Role

LOGIN = "/cuentas/entrar/"
PASSWORD = "Cafetal-Verde-2024!"  # the conftest default password


def _post_login(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def test_successful_sign_in_is_audited(client, user_factory):
    # given an account
    user = user_factory(Role.NATIONAL_ANALYST, username="lucia")
    # when the person signs in through the login page
    response = _post_login(client, "lucia", PASSWORD)
    # then they are signed in and one auth.login event names them
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    event = AuditEvent.objects.get(action="auth.login")
    assert (event.actor, event.object_type, event.object_id) == (user, "user", "lucia")


def test_failed_sign_in_is_audited_with_the_username_but_no_password(client, user_factory):
    # given an account
    user_factory(username="lucia")
    # when a wrong password is typed
    response = _post_login(client, "lucia", "clave-equivocada-123")
    # then the form is shown again and one auth.login_failed event names the account only
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.object_id == "lucia"
    assert event.after == {"username": "lucia"}
    assert event.actor is None
    assert "clave-equivocada-123" not in json.dumps([event.before, event.after, event.message])


def test_account_is_locked_after_the_failure_limit_even_for_the_right_password(
    client, user_factory
):
    # given an account and the configured failure limit
    user_factory(username="lucia")
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    # when the wrong password is typed limit times
    responses = [_post_login(client, "lucia", f"mala-{n}-xyz") for n in range(limit)]
    # then the earlier attempts show the form and the last one is the Spanish lock-out page
    assert all(r.status_code == 200 for r in responses[:-1])
    assert responses[-1].status_code == 429
    # and the right password is refused while locked, with the lock-out page in Spanish
    locked = _post_login(client, "lucia", PASSWORD)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Cuenta bloqueada temporalmente" in page
    assert "demasiados intentos fallidos" in page
    assert "_auth_user_id" not in client.session
    # and the audit trail has the failures and the lock-out, without any password
    assert AuditEvent.objects.filter(action="auth.login_failed", object_id="lucia").count() >= limit
    assert AuditEvent.objects.filter(action="auth.locked_out", object_id="lucia").exists()
    assert not AuditEvent.objects.filter(action="auth.login").exists()
    dumped = json.dumps(list(AuditEvent.objects.values("before", "after", "message")))
    assert PASSWORD not in dumped
    assert "mala-" not in dumped


def test_one_failure_short_of_the_limit_still_allows_the_right_password(client, user_factory):
    user = user_factory(username="lucia")
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        _post_login(client, "lucia", f"mala-{n}-xyz")
    response = _post_login(client, "lucia", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_failed_sign_ins_put_no_username_in_the_logs(client, user_factory, caplog):
    # given an account whose name is personal
    user_factory(username="maria.perez")
    # when sign-in fails up to the lock-out, with every log level captured
    with caplog.at_level(logging.DEBUG):
        for n in range(settings.AXES_FAILURE_LIMIT + 1):
            _post_login(client, "maria.perez", f"mala-{n}-xyz")
    # then the logs say something happened without naming the person or the password
    assert caplog.records
    assert "maria.perez" not in caplog.text
    assert "mala-" not in caplog.text


def test_login_post_without_csrf_token_is_refused(user_factory):
    # given a browser that enforces CSRF like production
    user_factory(username="lucia")
    client = Client(enforce_csrf_checks=True)
    # when the login form is posted without the CSRF token
    response = _post_login(client, "lucia", PASSWORD)
    # then it is refused and nobody is signed in
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_login_post_with_csrf_token_is_accepted(user_factory):
    # given a browser that enforces CSRF and has loaded the form
    user_factory(username="lucia")
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    # when the form is posted with the token
    response = client.post(
        LOGIN, {"username": "lucia", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    # then the person is signed in (so the refusal above was the CSRF check)
    assert response.status_code == 302


def test_session_cookie_is_http_only_and_same_site_lax(client, user_factory):
    user_factory(username="lucia")
    response = _post_login(client, "lucia", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
