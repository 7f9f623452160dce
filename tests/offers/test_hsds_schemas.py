"""Validation of HSDS objects against the vendored official schemas and oferta's profile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oferta.offers.hsds.schemas import SCHEMA_DIR, validate

SHARED_SCHEMAS = Path("/work/shared/standards/hsds-3.0/schema")
EXAMPLES = Path(__file__).parent / "hsds_examples"

SERVICE = {"id": "ac148810-d857-441c-9679-408f346de14b", "name": "Consejería", "status": "active"}


def test_vendored_schemas_are_unchanged_copies_of_the_standard():
    if not SHARED_SCHEMAS.exists():
        pytest.skip("shared standards not available")
    for path in SHARED_SCHEMAS.glob("*.json"):
        assert (SCHEMA_DIR / path.name).read_bytes() == path.read_bytes(), path.name


@pytest.mark.parametrize(
    ("file", "kind"),
    [
        ("service_full.json", "service"),
        ("organization_full.json", "organization"),
        ("service_at_location_full.json", "service_at_location"),
        ("location.json", "location"),
        ("taxonomy.json", "taxonomy"),
        ("taxonomy_term.json", "taxonomy_term"),
    ],
)
def test_official_examples_are_valid(file, kind):
    obj = json.loads((EXAMPLES / file).read_text())

    assert validate(kind, obj) == []


def test_a_value_outside_an_enum_is_named_with_its_field_and_the_allowed_values():
    issues = validate("service", {**SERVICE, "status": "abierto"})

    assert [str(i) for i in issues] == [
        "service 'ac148810-d857-441c-9679-408f346de14b' campo 'status': 'abierto' no es uno de "
        "active, inactive, defunct, temporarily closed"
    ]


def test_each_missing_required_field_is_reported():
    issues = validate("service", {"id": SERVICE["id"]})

    assert {(i.field, i.message) for i in issues} == {
        ("name", "falta el campo obligatorio"),
        ("status", "falta el campo obligatorio"),
    }


def test_formats_uuid_email_uri_and_date_time_are_checked():
    obj = {
        **SERVICE,
        "id": "no-es-uuid",
        "email": "sin-arroba",
        "url": "www.sin-esquema.co",
        "last_modified": "ayer",
    }

    issues = validate("service", obj)

    assert {i.field: i.message for i in issues} == {
        "id": "'no-es-uuid' no tiene el formato uuid",
        "email": "'sin-arroba' no tiene el formato email",
        "url": "'www.sin-esquema.co' no tiene el formato uri",
        "last_modified": "'ayer' no tiene el formato date-time",
    }


def test_nested_objects_are_validated_with_their_path():
    obj = {**SERVICE, "phones": [{"id": "1554f2e2-a373-45db-a3fa-9fc48a61c15e"}]}

    issues = validate("service", obj)

    assert [(i.field, i.message) for i in issues] == [
        ("phones[0].number", "falta el campo obligatorio")
    ]


def test_the_profile_extension_is_checked_only_with_the_profile():
    obj = {**SERVICE, "x_oferta": {"eligibility_scope": "barrio", "slots": [{"id": "x"}]}}

    with_profile = validate("service", obj)
    official_only = validate("service", obj, profile=False)

    assert official_only == []
    assert "x_oferta.eligibility_scope" in {i.field for i in with_profile}
    assert "x_oferta.slots[0].places" in {i.field for i in with_profile}
