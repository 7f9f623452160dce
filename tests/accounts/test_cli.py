"""`oferta accounts create-user` and `create-token`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from oferta.accounts.cli import accounts_app
from oferta.accounts.models import ApiToken, AuditEvent, Role, User

PASSWORD = "Cafetal-Verde-2024!"


@pytest.fixture
def runner():
    return CliRunner()


def test_create_user_reads_the_password_from_stdin(runner, department_factory):
    # given two departments
    department_factory("05", "Antioquia")
    department_factory("44", "La Guajira")
    # when a regional analyst is created with the password on stdin
    result = runner.invoke(
        accounts_app,
        [
            "create-user",
            "ana",
            "--role",
            "regional_analyst",
            "--department",
            "05",
            "--department",
            "44",
            "--password-stdin",
        ],
        input=f"{PASSWORD}\n",
    )
    # then the account exists with its departments and password, audited as the system
    assert result.exit_code == 0, result.output
    user = User.objects.get(username="ana")
    assert user.role == Role.REGIONAL_ANALYST
    assert sorted(user.departments.values_list("code", flat=True)) == ["05", "44"]
    assert user.check_password(PASSWORD)
    assert AuditEvent.objects.get(action="user.create").actor_label == "sistema"
    assert PASSWORD not in result.output


def test_create_user_prompts_for_the_password(runner, organization):
    result = runner.invoke(
        accounts_app,
        ["create-user", "aliada", "--role", "partner_user", "--organization", str(organization.id)],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert User.objects.get(username="aliada").organization == organization


def test_create_user_reports_unknown_codes_and_scope_errors_in_spanish(runner, db):
    result = runner.invoke(
        accounts_app,
        [
            "create-user",
            "luis",
            "--role",
            "municipal_user",
            "--municipality",
            "99999",
            "--password-stdin",
        ],
        input=f"{PASSWORD}\n",
    )
    assert result.exit_code == 1
    assert "No existe el municipio con código DIVIPOLA 99999." in result.output
    assert not User.objects.filter(username="luis").exists()


def test_create_user_refuses_a_role_without_its_scope(runner, db):
    result = runner.invoke(
        accounts_app,
        ["create-user", "luis", "--role", "municipal_user", "--password-stdin"],
        input=f"{PASSWORD}\n",
    )
    assert result.exit_code == 1
    assert "Un usuario municipal necesita su municipio." in result.output


def test_create_token_prints_the_key_once_and_stores_its_digest(runner, user_factory):
    # given an account
    user = user_factory(username="integrador")
    # when a token is created for it
    result = runner.invoke(accounts_app, ["create-token", "integrador", "--name", "sisben"])
    # then the key is the last line printed and only its digest is stored
    assert result.exit_code == 0, result.output
    key = result.stdout.strip().splitlines()[-1]
    token = ApiToken.objects.get(user=user)
    assert token.digest == ApiToken.digest_of(key)
    assert token.name == "sisben"


def test_create_token_for_an_unknown_user_fails(runner, db):
    result = runner.invoke(accounts_app, ["create-token", "nadie", "--name", "x"])
    assert result.exit_code == 1
    assert "No existe el usuario nadie." in result.output
    assert not ApiToken.objects.exists()
