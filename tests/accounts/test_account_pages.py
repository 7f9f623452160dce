"""Account pages: own API tokens (key shown once), user management for national administrators."""

from __future__ import annotations

import uuid

import pytest

from oferta.accounts.models import ApiToken, AuditEvent, Role, User
from oferta.accounts.services import api_token_create

TOKENS = "/cuentas/tokens/"
USERS = "/cuentas/usuarios/"
NEW_USER = "/cuentas/usuarios/nuevo/"


def test_tokens_page_requires_sign_in(client, db):
    response = client.get(TOKENS)
    assert response.status_code == 302
    assert "/cuentas/entrar/" in response["Location"]


def test_creating_a_token_shows_the_key_once(client, user_factory):
    # given a signed-in partner user
    user = user_factory(Role.PARTNER_USER)
    client.force_login(user)
    # when they create a token on the page
    response = client.post(TOKENS, {"name": "integración", "expires_in_days": "90"})
    # then the page shows the key, which works, and is not cached
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key in response.content.decode()
    assert "no se volverá a mostrar" in response.content.decode()
    assert "no-store" in response.headers["Cache-Control"]
    assert ApiToken.objects.get(user=user).digest == ApiToken.digest_of(key)
    # and when the page is loaded again the key is no longer there
    again = client.get(TOKENS)
    assert key not in again.content.decode()
    assert "integración" in again.content.decode()


def test_token_form_errors_are_shown_in_spanish(client, user_factory):
    client.force_login(user_factory())
    response = client.post(TOKENS, {"name": "", "expires_in_days": "90"})
    assert response.status_code == 200
    assert "Este campo es obligatorio." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_own_token_from_the_page(client, user_factory):
    # given a user with a token
    user = user_factory()
    token, _ = api_token_create(actor=user, user=user, name="viejo", expires_in_days=30)
    client.force_login(user)
    # when they revoke it
    response = client.post(f"/cuentas/tokens/{token.uuid}/revocar/", follow=True)
    # then it is revoked and the page says so
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "revocado" in response.content.decode()


def test_revoking_someone_elses_token_is_not_found_like_a_missing_one(client, user_factory):
    # given another person's token
    owner = user_factory()
    token, _ = api_token_create(actor=owner, user=owner, name="ajeno", expires_in_days=30)
    client.force_login(user_factory(Role.NATIONAL_ADMIN))
    # when someone else tries to revoke it, and a token that does not exist
    foreign = client.post(f"/cuentas/tokens/{token.uuid}/revocar/")
    missing = client.post(f"/cuentas/tokens/{uuid.uuid4()}/revocar/")
    # then both are 404 and the token is untouched
    assert foreign.status_code == missing.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_needs_post(client, user_factory):
    user = user_factory()
    token, _ = api_token_create(actor=user, user=user, name="t", expires_in_days=30)
    client.force_login(user)
    assert client.get(f"/cuentas/tokens/{token.uuid}/revocar/").status_code == 405


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.NATIONAL_ADMIN])
def test_user_management_is_refused_to_other_roles(client, user_factory, role):
    other = user_factory(Role.NATIONAL_ANALYST)
    client.force_login(user_factory(role))
    assert client.get(USERS).status_code == 403
    assert client.get(NEW_USER).status_code == 403
    assert client.get(f"{USERS}{other.uuid}/").status_code == 404


def test_national_admin_sees_the_user_list(client, admin_user, user_factory):
    user_factory(Role.FAIR_OPERATOR, username="operador.feria")
    client.force_login(admin_user)
    response = client.get(USERS)
    assert response.status_code == 200
    page = response.content.decode()
    assert "operador.feria" in page
    assert "Operador de feria" in page


def test_national_admin_creates_a_municipal_user(client, admin_user, municipality_factory):
    # given a municipality
    municipality_factory("44847", "Uribia")
    client.force_login(admin_user)
    # when the administrator fills in the form
    response = client.post(
        NEW_USER,
        {
            "username": "uribia.enlace",
            "email": "",
            "password1": "Cafetal-Verde-2024!",
            "password2": "Cafetal-Verde-2024!",
            "role": Role.MUNICIPAL_USER,
            "municipality": "44847",
        },
    )
    # then the account exists with its municipality and the creation is audited
    assert response.status_code == 302
    user = User.objects.get(username="uribia.enlace")
    assert (user.role, user.municipality_id) == (Role.MUNICIPAL_USER, "44847")
    assert AuditEvent.objects.filter(action="user.create", actor=admin_user).count() == 1


def test_user_form_shows_the_scope_rule_broken_in_spanish(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        NEW_USER,
        {
            "username": "sin.departamento",
            "password1": "Cafetal-Verde-2024!",
            "password2": "Cafetal-Verde-2024!",
            "role": Role.REGIONAL_ANALYST,
        },
    )
    assert response.status_code == 200
    assert "Un analista regional necesita al menos un departamento." in response.content.decode()
    assert not User.objects.filter(username="sin.departamento").exists()


def test_user_form_refuses_mismatched_passwords(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        NEW_USER,
        {
            "username": "x.y",
            "password1": "Cafetal-Verde-2024!",
            "password2": "otra-cosa-2024!",
            "role": Role.NATIONAL_ANALYST,
        },
    )
    assert "Las contraseñas no coinciden." in response.content.decode()
    assert not User.objects.filter(username="x.y").exists()


def test_admin_changes_role_and_deactivates_from_the_detail_page(
    client, admin_user, user_factory, department_factory
):
    # given a national analyst and a department
    user = user_factory(Role.NATIONAL_ANALYST, username="rosa")
    department_factory("05", "Antioquia")
    client.force_login(admin_user)
    # when the administrator makes them a regional analyst of Antioquia and then deactivates them
    changed = client.post(
        f"{USERS}{user.uuid}/", {"role": Role.REGIONAL_ANALYST, "departments": ["05"]}
    )
    deactivated = client.post(f"{USERS}{user.uuid}/desactivar/")
    # then both changes are stored and audited, and shown in the account's history
    assert changed.status_code == deactivated.status_code == 302
    user.refresh_from_db()
    assert user.role == Role.REGIONAL_ANALYST
    assert list(user.departments.values_list("code", flat=True)) == ["05"]
    assert user.is_active is False
    page = client.get(f"{USERS}{user.uuid}/").content.decode()
    assert "user.update_role_scope" in page
    assert "user.deactivate" in page
