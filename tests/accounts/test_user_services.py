"""Account services: role/scope validation, and one audit event per change without secrets."""

from __future__ import annotations

import json

import pytest

from oferta.accounts.models import AuditEvent, Role, User
from oferta.accounts.selectors import audit_events_for
from oferta.accounts.services import user_create, user_deactivate, user_update_role_scope
from oferta.core.errors import PermissionDenied, ValidationFailed

STRONG_PASSWORD = "Cafetal-Verde-2024!"  # same as conftest's default password


def _create(actor, **overrides):
    arguments = {
        "actor": actor,
        "username": "ana.regional",
        "email": "ana@example.gov.co",
        "role": Role.NATIONAL_ANALYST,
        "password": STRONG_PASSWORD,
    }
    arguments.update(overrides)
    return user_create(**arguments)


def test_user_create_stores_role_scope_and_a_usable_password(admin_user, department_factory):
    # given two departments
    antioquia, guajira = department_factory("05", "Antioquia"), department_factory("44", "Guajira")
    # when an administrator creates a regional analyst for both
    user = _create(admin_user, role=Role.REGIONAL_ANALYST, departments=[antioquia, guajira])
    # then the account has the role, the departments and the password
    user.refresh_from_db()
    assert user.role == Role.REGIONAL_ANALYST
    assert sorted(user.departments.values_list("code", flat=True)) == ["05", "44"]
    assert user.check_password(STRONG_PASSWORD)
    assert user.is_active


def test_user_create_writes_one_event_with_the_scope_and_no_password(
    admin_user, department_factory
):
    # given a department and no events for the new account
    department = department_factory("05")
    # when the account is created
    user = _create(admin_user, role=Role.REGIONAL_ANALYST, departments=[department])
    # then exactly one event records who created what, without any password material
    events = list(audit_events_for(object_type="user", object_id=user.username))
    assert len(events) == 1
    event = events[0]
    assert event.action == "user.create"
    assert event.actor == admin_user
    assert event.before is None
    assert event.after == {
        "username": "ana.regional",
        "email": "ana@example.gov.co",
        "role": "regional_analyst",
        "departments": ["05"],
        "organization": None,
        "municipality": None,
        "is_active": True,
    }
    dumped = json.dumps([event.before, event.after, event.message])
    assert STRONG_PASSWORD not in dumped
    assert user.password not in dumped
    assert "password" not in dumped


@pytest.mark.parametrize(
    ("role", "scope", "field", "message"),
    [
        (Role.REGIONAL_ANALYST, {}, "departments", "al menos un departamento"),
        (Role.PARTNER_USER, {}, "organization", "necesita su entidad"),
        (Role.MUNICIPAL_USER, {}, "municipality", "necesita su municipio"),
        (Role.NATIONAL_ANALYST, {"departments": "dept"}, "departments", "no lleva departamentos"),
        (Role.FAIR_OPERATOR, {"organization": "org"}, "organization", "no lleva entidad"),
        (Role.NATIONAL_ADMIN, {"municipality": "muni"}, "municipality", "no lleva municipio"),
        (Role.PARTNER_USER, {"municipality": "muni", "organization": "org"}, "municipality", ""),
        ("superheroe", {}, "role", "Rol no válido"),
    ],
)
def test_user_create_refuses_a_scope_that_does_not_fit_the_role(
    admin_user, organization, municipality_factory, department_factory, role, scope, field, message
):
    # given scope objects of every kind
    objects = {
        "dept": [department_factory("05")],
        "org": organization,
        "muni": municipality_factory("44847", "Uribia"),
    }
    arguments = {key: objects[value] for key, value in scope.items()}
    # when an account is created with a scope that does not fit its role
    with pytest.raises(ValidationFailed) as info:
        _create(admin_user, role=role, **arguments)
    # then the field is named with a Spanish message and nothing is written
    assert message in " ".join(info.value.errors[field])
    assert not User.objects.filter(username="ana.regional").exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("role", "scope_key"),
    [
        (Role.REGIONAL_ANALYST, "departments"),
        (Role.PARTNER_USER, "organization"),
        (Role.MUNICIPAL_USER, "municipality"),
        (Role.NATIONAL_ADMIN, None),
        (Role.NATIONAL_ANALYST, None),
        (Role.FAIR_OPERATOR, None),
    ],
)
def test_user_create_accepts_each_role_with_its_own_scope(
    admin_user, organization, municipality_factory, department_factory, role, scope_key
):
    scope = {
        "departments": {"departments": [department_factory("05")]},
        "organization": {"organization": organization},
        "municipality": {"municipality": municipality_factory("44847", "Uribia")},
        None: {},
    }[scope_key]
    user = _create(admin_user, role=role, **scope)
    assert User.objects.get(pk=user.pk).role == role


def test_user_create_refuses_weak_password_taken_name_and_bad_email(admin_user):
    # given an existing account "ana.regional"
    _create(admin_user)
    # when another is created with the same name (other case), a weak password and a bad e-mail
    with pytest.raises(ValidationFailed) as info:
        _create(admin_user, username="Ana.Regional", password="123", email="no-es-correo")
    # then each field says what is wrong, in Spanish
    errors = info.value.errors
    assert errors["username"] == ["Ya existe una cuenta con ese nombre de usuario."]
    assert errors["email"] == ["Escriba un correo válido."]
    assert errors["password"]
    assert User.objects.filter(username__iexact="ana.regional").count() == 1


def test_only_national_admins_create_accounts(user_factory):
    # given a national analyst (not an administrator)
    analyst = user_factory(Role.NATIONAL_ANALYST)
    # when they try to create an account / then it is refused and nothing is written
    with pytest.raises(PermissionDenied):
        _create(analyst)
    assert not User.objects.filter(username="ana.regional").exists()
    assert not AuditEvent.objects.exists()


def test_the_system_may_create_accounts_and_is_named_in_the_event(db):
    user = _create(None)
    event = audit_events_for(object_type="user", object_id=user.username).get()
    assert event.actor is None
    assert event.actor_label == "sistema"


def test_user_update_role_scope_records_only_changed_fields(
    admin_user, user_factory, organization, department_factory
):
    # given a regional analyst of Antioquia
    department = department_factory("05")
    user = user_factory(Role.REGIONAL_ANALYST, username="luis", departments=[department])
    # when they become a partner user of an entity
    user_update_role_scope(
        actor=admin_user, user=user, role=Role.PARTNER_USER, organization=organization
    )
    # then the account changed and one event holds the changed fields before and after
    user.refresh_from_db()
    assert user.role == Role.PARTNER_USER
    assert user.organization == organization
    assert not user.departments.exists()
    event = audit_events_for(object_type="user", object_id="luis").get()
    assert event.action == "user.update_role_scope"
    assert event.before == {"role": "regional_analyst", "departments": ["05"], "organization": None}
    assert event.after == {
        "role": "partner_user",
        "departments": [],
        "organization": str(organization.id),
    }


def test_user_update_role_scope_without_change_writes_no_event(admin_user, user_factory):
    user = user_factory(Role.FAIR_OPERATOR, username="feria")
    user_update_role_scope(actor=admin_user, user=user, role=Role.FAIR_OPERATOR)
    assert not audit_events_for(object_type="user", object_id="feria").exists()


def test_user_update_role_scope_validates_the_new_pair(admin_user, user_factory):
    # given a national analyst
    user = user_factory(Role.NATIONAL_ANALYST, username="marta")
    # when they are made municipal users without a municipality
    with pytest.raises(ValidationFailed) as info:
        user_update_role_scope(actor=admin_user, user=user, role=Role.MUNICIPAL_USER)
    # then it is refused and the account is unchanged
    assert "municipality" in info.value.errors
    user.refresh_from_db()
    assert user.role == Role.NATIONAL_ANALYST
    assert not AuditEvent.objects.exists()


def test_an_administrator_cannot_change_their_own_role(admin_user):
    with pytest.raises(ValidationFailed) as info:
        user_update_role_scope(actor=admin_user, user=admin_user, role=Role.FAIR_OPERATOR)
    assert info.value.errors["role"] == ["No puede cambiar su propio rol ni su alcance."]
    admin_user.refresh_from_db()
    assert admin_user.role == Role.NATIONAL_ADMIN


def test_user_deactivate_writes_one_event_and_is_idempotent(admin_user, user_factory):
    # given an active account
    user = user_factory(Role.NATIONAL_ANALYST, username="pedro")
    # when it is deactivated twice
    user_deactivate(actor=admin_user, user=user)
    user_deactivate(actor=admin_user, user=user)
    # then it is inactive and one event records the change
    user.refresh_from_db()
    assert user.is_active is False
    event = audit_events_for(object_type="user", object_id="pedro").get()
    assert (event.action, event.before, event.after) == (
        "user.deactivate",
        {"is_active": True},
        {"is_active": False},
    )


def test_an_administrator_cannot_deactivate_themselves(admin_user):
    with pytest.raises(ValidationFailed):
        user_deactivate(actor=admin_user, user=admin_user)
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_non_admin_cannot_deactivate_accounts(user_factory):
    analyst = user_factory(Role.REGIONAL_ANALYST)
    other = user_factory(Role.NATIONAL_ANALYST)
    with pytest.raises(PermissionDenied):
        user_deactivate(actor=analyst, user=other)
    other.refresh_from_db()
    assert other.is_active
