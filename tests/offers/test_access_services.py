"""Catalogue scope (oferta.offers.access): who may view and edit which offers and entities.

Each role is checked from both sides: what it may edit and what it may not, with real rows.
"""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser

from oferta.accounts.models import Role, User
from oferta.core.errors import ObjectNotFound
from oferta.offers.access import (
    access_organization_for_edit,
    access_service_for_edit,
    access_service_for_view,
    organizations_editable_by,
    services_editable_by,
    user_can_edit_service,
)
from oferta.offers.models import EntityLevel, Organization, Service

ALL = {
    "nacional",
    "nacional_con_codigo",
    "gob_antioquia",
    "alc_medellin",
    "alc_abejorral",
    "gob_guajira",
    "alc_uribia",
    "sin_entidad",
}


@pytest.fixture
def catalogue(db, department_factory, municipality_factory):
    """Entities at every level in two departments (05 Antioquia, 44 La Guajira), one offer each,
    and one offer without an entity. Returns offers by key."""
    department_factory(code="05", name="Antioquia")
    department_factory(code="44", name="La Guajira")
    municipality_factory(code="05001", name="Medellín")
    municipality_factory(code="05002", name="Abejorral")
    municipality_factory(code="44847", name="Uribia")
    organizations = {
        "nacional": (EntityLevel.NATIONAL, ""),
        # A national entity that recorded a department code must not fall in regional scope.
        "nacional_con_codigo": (EntityLevel.NATIONAL, "05"),
        "gob_antioquia": (EntityLevel.DEPARTMENTAL, "05"),
        "alc_medellin": (EntityLevel.MUNICIPAL, "05001"),
        "alc_abejorral": (EntityLevel.MUNICIPAL, "05002"),
        "gob_guajira": (EntityLevel.DEPARTMENTAL, "44"),
        "alc_uribia": (EntityLevel.MUNICIPAL, "44847"),
    }
    services = {}
    for key, (level, code) in organizations.items():
        organization = Organization.objects.create(
            name=key, description="", level=level, territory_code=code
        )
        services[key] = Service.objects.create(name=f"Oferta {key}", organization=organization)
    services["sin_entidad"] = Service.objects.create(name="Oferta sin entidad")
    return services


def make_user(role: str, *, departments=(), organization=None, municipality=None, **extra):
    user = User.objects.create_user(
        username=f"u{uuid.uuid4().hex[:10]}",
        password="x",
        role=role,
        organization=organization,
        municipality_id=municipality,
        **extra,
    )
    user.departments.set(departments)
    return user


def _org(catalogue, key):
    return catalogue[key].organization


# (case name, user builder, keys of the offers it may edit)
EDIT_CASES = [
    ("national_admin", lambda c: make_user(Role.NATIONAL_ADMIN), ALL),
    ("national_analyst", lambda c: make_user(Role.NATIONAL_ANALYST), ALL),
    (
        "superuser_with_other_role",
        lambda c: make_user(Role.FAIR_OPERATOR, is_superuser=True),
        ALL,
    ),
    (
        "regional_analyst_05",
        lambda c: make_user(Role.REGIONAL_ANALYST, departments=["05"]),
        {"gob_antioquia", "alc_medellin", "alc_abejorral"},
    ),
    (
        "regional_analyst_05_44",
        lambda c: make_user(Role.REGIONAL_ANALYST, departments=["05", "44"]),
        {"gob_antioquia", "alc_medellin", "alc_abejorral", "gob_guajira", "alc_uribia"},
    ),
    ("regional_analyst_without_departments", lambda c: make_user(Role.REGIONAL_ANALYST), set()),
    (
        "partner_user",
        lambda c: make_user(Role.PARTNER_USER, organization=_org(c, "alc_uribia")),
        {"alc_uribia"},
    ),
    (
        "partner_user_of_national_entity",
        lambda c: make_user(Role.PARTNER_USER, organization=_org(c, "nacional")),
        {"nacional"},
    ),
    ("partner_user_without_entity", lambda c: make_user(Role.PARTNER_USER), set()),
    (
        "municipal_user",
        lambda c: make_user(Role.MUNICIPAL_USER, municipality="05001"),
        {"alc_medellin"},
    ),
    ("municipal_user_without_municipality", lambda c: make_user(Role.MUNICIPAL_USER), set()),
    ("fair_operator", lambda c: make_user(Role.FAIR_OPERATOR), set()),
    ("inactive_national_admin", lambda c: make_user(Role.NATIONAL_ADMIN, is_active=False), set()),
]


@pytest.mark.parametrize(("case", "build", "allowed"), EDIT_CASES, ids=[c[0] for c in EDIT_CASES])
def test_each_role_edits_exactly_the_offers_in_its_scope(catalogue, case, build, allowed):
    # given a user of the role and offers at every level
    user = build(catalogue)
    # when the editable offers are listed
    editable = set(services_editable_by(user=user))
    # then they are exactly the allowed ones
    assert editable == {catalogue[key] for key in allowed}


@pytest.mark.parametrize(("case", "build", "allowed"), EDIT_CASES, ids=[c[0] for c in EDIT_CASES])
def test_access_for_edit_returns_allowed_offers_and_refuses_the_rest(
    catalogue, case, build, allowed
):
    # given a user of the role
    user = build(catalogue)
    for key, service in catalogue.items():
        if key in allowed:
            # when an allowed offer is opened for editing / then it is returned
            assert access_service_for_edit(user=user, service_id=service.id) == service
            assert user_can_edit_service(user=user, service=service) is True
        else:
            # when any other offer is opened for editing / then it is "not found"
            with pytest.raises(ObjectNotFound):
                access_service_for_edit(user=user, service_id=service.id)
            assert user_can_edit_service(user=user, service=service) is False


@pytest.mark.parametrize(("case", "build", "allowed"), EDIT_CASES, ids=[c[0] for c in EDIT_CASES])
def test_entity_scope_matches_offer_scope(catalogue, case, build, allowed):
    # given a user of the role
    user = build(catalogue)
    allowed_orgs = {catalogue[key].organization for key in allowed if key != "sin_entidad"}
    # when editable entities are listed / then they are the entities of the editable offers
    assert set(organizations_editable_by(user=user)) == allowed_orgs
    for service in catalogue.values():
        if service.organization is None:
            continue
        if service.organization in allowed_orgs:
            assert (
                access_organization_for_edit(
                    user=user, organization_id=str(service.organization.id)
                )
                == service.organization
            )
        else:
            with pytest.raises(ObjectNotFound):
                access_organization_for_edit(user=user, organization_id=service.organization.id)


def _error_of(call) -> ObjectNotFound:
    with pytest.raises(ObjectNotFound) as info:
        call()
    return info.value


def test_not_found_and_not_yours_raise_identical_errors_for_offers(catalogue):
    # given a municipal user of Medellín and an offer of Uribia they may not edit
    user = make_user(Role.MUNICIPAL_USER, municipality="05001")
    # when they open it, an unknown id and a malformed id
    not_yours = _error_of(
        lambda: access_service_for_edit(user=user, service_id=catalogue["alc_uribia"].id)
    )
    missing = _error_of(lambda: access_service_for_edit(user=user, service_id=uuid.uuid4()))
    malformed = _error_of(lambda: access_service_for_edit(user=user, service_id="1 OR 1=1"))
    # then the three errors are indistinguishable
    assert type(not_yours) is type(missing) is type(malformed) is ObjectNotFound
    assert str(not_yours) == str(missing) == str(malformed)
    assert str(not_yours)  # a message, not an empty error


def test_not_found_and_not_yours_raise_identical_errors_for_entities(catalogue):
    # given a partner user of one entity
    user = make_user(Role.PARTNER_USER, organization=_org(catalogue, "nacional"))
    # when they open another entity and an unknown one
    not_yours = _error_of(
        lambda: access_organization_for_edit(
            user=user, organization_id=_org(catalogue, "gob_guajira").id
        )
    )
    missing = _error_of(
        lambda: access_organization_for_edit(user=user, organization_id=uuid.uuid4())
    )
    # then the errors are indistinguishable
    assert type(not_yours) is type(missing)
    assert str(not_yours) == str(missing)


@pytest.mark.parametrize("role", Role.values)
def test_every_active_role_may_view_any_catalogue_offer(catalogue, role):
    # given an active user of any role (the catalogue is public offer information)
    user = make_user(role)
    # when they open offers outside any edit scope / then each is returned
    for service in catalogue.values():
        assert access_service_for_view(user=user, service_id=str(service.id)) == service


@pytest.mark.parametrize("bad_id", [None, "", "no-es-un-uuid", 42, uuid.uuid4()])
def test_view_of_unknown_or_malformed_offer_id_is_not_found(catalogue, bad_id):
    user = make_user(Role.NATIONAL_ADMIN)
    with pytest.raises(ObjectNotFound):
        access_service_for_view(user=user, service_id=bad_id)


def test_view_refuses_inactive_and_anonymous_users_like_a_missing_offer(catalogue):
    # given an existing offer, an inactive user and an anonymous visitor
    service = catalogue["nacional"]
    inactive = make_user(Role.NATIONAL_ADMIN, is_active=False)
    # when they open it / then it is "not found", same message as a missing offer
    missing = _error_of(
        lambda: access_service_for_view(
            user=make_user(Role.NATIONAL_ADMIN), service_id=uuid.uuid4()
        )
    )
    for user in (inactive, AnonymousUser()):
        error = _error_of(lambda u=user: access_service_for_view(user=u, service_id=service.id))
        assert str(error) == str(missing)


def test_regional_scope_follows_a_change_of_departments(catalogue):
    # given a regional analyst of Antioquia who may edit the Governorship of Antioquia
    user = make_user(Role.REGIONAL_ANALYST, departments=["05"])
    assert user_can_edit_service(user=user, service=catalogue["gob_antioquia"])
    # when their departments change to La Guajira
    user.departments.set(["44"])
    # then Antioquia is out of scope and La Guajira in it (no stale cache)
    assert not user_can_edit_service(user=user, service=catalogue["gob_antioquia"])
    assert user_can_edit_service(user=user, service=catalogue["gob_guajira"])
