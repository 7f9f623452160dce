"""Security settings: Argon2 in production, CSP without inline code, secure cookies and HSTS."""

from __future__ import annotations

import importlib
import re
import sys

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher

from oferta.accounts.models import Role


def test_argon2_is_the_production_password_hasher():
    # given the shared settings (test settings swap in a fast hasher, so read base directly)
    base = importlib.import_module("oferta.config.settings.base")
    # then Argon2 hashes new passwords, and argon2-cffi is installed so it can
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("una-clave-larga", hasher.salt())
    assert encoded.startswith("argon2$")
    assert hasher.verify("una-clave-larga", encoded)


@pytest.fixture
def production_settings(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "clave-de-prueba-no-usar-en-produccion-1234567890")
    sys.modules.pop("oferta.config.settings.production", None)
    module = importlib.import_module("oferta.config.settings.production")
    yield module
    sys.modules.pop("oferta.config.settings.production", None)


def test_production_sends_cookies_only_over_https_and_sets_hsts(production_settings):
    assert production_settings.DEBUG is False
    assert production_settings.SESSION_COOKIE_SECURE is True
    assert production_settings.CSRF_COOKIE_SECURE is True
    assert production_settings.SESSION_COOKIE_HTTPONLY is True
    assert production_settings.SECURE_HSTS_SECONDS >= 365 * 24 * 60 * 60
    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    sys.modules.pop("oferta.config.settings.production", None)
    try:
        with pytest.raises(KeyError):
            importlib.import_module("oferta.config.settings.production")
    finally:
        sys.modules.pop("oferta.config.settings.production", None)


def _csp(response) -> str:
    return response.headers["Content-Security-Policy"]


def test_pages_send_a_csp_that_allows_only_own_scripts(client, db):
    response = client.get("/cuentas/entrar/")
    assert not _INLINE_SCRIPT.search(response.content.decode())
    policy = _csp(response)
    assert "script-src 'self'" in policy
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
_INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)


@pytest.mark.parametrize(
    "path",
    [
        "/cuentas/tokens/",
        "/cuentas/usuarios/",
        "/cuentas/usuarios/nuevo/",
        "/cuentas/usuarios/{me}/",
    ],
)
def test_account_pages_carry_no_inline_scripts_or_styles(client, user_factory, path):
    # given a national administrator (who may open every account page)
    admin = user_factory(Role.NATIONAL_ADMIN)
    client.force_login(admin)
    # when the page is rendered
    response = client.get(path.format(me=admin.uuid))
    # then CSP applies and there is nothing inline for it to block
    assert response.status_code == 200
    html = response.content.decode()
    assert not _INLINE_SCRIPT.search(html)
    assert not _INLINE_STYLE.search(html)
    assert "script-src 'self'" in _csp(response)
