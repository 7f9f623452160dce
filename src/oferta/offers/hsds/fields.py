"""The mapping between HSDS 3.0 objects and oferta's models, shared by export and import.

One table per object type lists its scalar fields (HSDS name = model field name), its references
to other objects (``*_id``) and its profile fields (carried in ``x_oferta``). Export and import read
the same table, which is what keeps the round trip exact.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from oferta.offers import models as m


@dataclass(frozen=True)
class Field:
    name: str  # the HSDS name and the model field name
    type: str = "str"  # str | int | decimal | date | time | datetime | bool
    required: bool = False  # required by the HSDS schema: emitted even when empty


@dataclass(frozen=True)
class Link:
    name: str  # HSDS name, e.g. "organization_id"
    attname: str  # model column, e.g. "organization_id"
    kind: str  # object type referred to


@dataclass(frozen=True)
class Spec:
    kind: str
    model: type[models.Model]
    fields: tuple[Field, ...]
    links: tuple[Link, ...] = ()
    profile: tuple[Field, ...] = ()  # x_oferta fields (slots and windows are handled apart)


def _f(*names: str, type: str = "str", required: bool = False) -> tuple[Field, ...]:
    return tuple(Field(name, type, required) for name in names)


def _l(*pairs: tuple[str, str]) -> tuple[Link, ...]:
    return tuple(Link(f"{name}_id", f"{name}_id", kind) for name, kind in pairs)


SPECS: dict[str, Spec] = {
    s.kind: s
    for s in (
        Spec(
            "taxonomy",
            m.Taxonomy,
            (*_f("name", "description", required=True), *_f("uri", "version")),
        ),
        Spec(
            "taxonomy_term",
            m.TaxonomyTerm,
            (
                *_f("code"),
                *_f("name", "description", required=True),
                *_f("taxonomy", "language", "term_uri"),
            ),
            (
                Link("parent_id", "parent_id", "taxonomy_term"),
                Link("taxonomy_id", "taxonomy_detail_id", "taxonomy"),
            ),
        ),
        Spec(
            "organization",
            m.Organization,
            (
                *_f("name", required=True),
                *_f("alternate_name"),
                *_f("description", required=True),
                *_f("email", "website", "tax_status", "tax_id"),
                Field("year_incorporated", "int"),
                *_f("legal_status", "logo", "uri"),
            ),
            _l(("parent_organization", "organization")),
            (*_f("level", "sector", "territory_code"), Field("is_demo", "bool")),
        ),
        Spec(
            "organization_identifier",
            m.OrganizationIdentifier,
            (*_f("identifier_scheme"), *_f("identifier_type", "identifier", required=True)),
            _l(("organization", "organization")),
        ),
        Spec(
            "program",
            m.Program,
            (*_f("name", required=True), *_f("alternate_name"), *_f("description", required=True)),
            _l(("organization", "organization")),
        ),
        Spec(
            "service",
            m.Service,
            (
                *_f("name", required=True),
                *_f("alternate_name", "description", "url", "email"),
                *_f("status", required=True),
                *_f(
                    "interpretation_services",
                    "application_process",
                    "fees_description",
                    "wait_time",
                    "fees",
                    "accreditations",
                    "eligibility_description",
                ),
                *_f("minimum_age", "maximum_age", type="int"),
                Field("assured_date", "date"),
                *_f("assurer_email", "licenses", "alert"),
                Field("last_modified", "datetime"),
            ),
            _l(("organization", "organization"), ("program", "program")),
            (
                *_f(
                    "eligibility_rule",
                    "eligibility_scope",
                    "eligibility_rule_description",
                    "legal_basis",
                ),
                Field("is_demo", "bool"),
            ),
        ),
        Spec(
            "service_area",
            m.ServiceArea,
            _f("name", "description", "extent", "extent_type", "uri"),
            _l(("service", "service")),
            _f("scope", "divipola_code"),
        ),
        Spec(
            "location",
            m.Location,
            (
                *_f("location_type", required=True),
                *_f("url", "name", "alternate_name", "description", "transportation"),
                *_f("latitude", "longitude", type="decimal"),
                *_f("external_identifier", "external_identifier_type"),
            ),
            _l(("organization", "organization")),
            _f("municipality_code"),
        ),
        Spec(
            "service_at_location",
            m.ServiceAtLocation,
            _f("description"),
            _l(("service", "service"), ("location", "location")),
        ),
        Spec(
            "address",
            m.Address,
            (
                *_f("attention"),
                *_f("address_1", required=True),
                *_f("address_2"),
                *_f("city", required=True),
                *_f("region"),
                *_f("state_province", "postal_code", "country", "address_type", required=True),
            ),
            _l(("location", "location")),
        ),
        Spec(
            "schedule",
            m.Schedule,
            (
                *_f("valid_from", "valid_to", "dtstart", type="date"),
                Field("timezone", "int"),
                Field("until", "date"),
                Field("count", "int"),
                *_f("wkst", "freq"),
                Field("interval", "int"),
                *_f("byday", "byweekno", "bymonthday", "byyearday", "description"),
                *_f("opens_at", "closes_at", type="time"),
                *_f("schedule_link", "attending_type", "notes"),
            ),
            _l(
                ("service", "service"),
                ("location", "location"),
                ("service_at_location", "service_at_location"),
            ),
        ),
        Spec(
            "cost_option",
            m.CostOption,
            (
                *_f("valid_from", "valid_to", type="date"),
                *_f("option", "currency"),
                Field("amount", "decimal"),
                *_f("amount_description"),
            ),
            _l(("service", "service")),
        ),
        Spec(
            "required_document",
            m.RequiredDocument,
            _f("document", "uri"),
            _l(("service", "service")),
        ),
        Spec(
            "contact",
            m.Contact,
            _f("name", "title", "department", "email"),
            _l(
                ("organization", "organization"),
                ("service", "service"),
                ("service_at_location", "service_at_location"),
                ("location", "location"),
            ),
        ),
        Spec(
            "phone",
            m.Phone,
            (*_f("number", required=True), Field("extension", "int"), *_f("type", "description")),
            _l(
                ("location", "location"),
                ("service", "service"),
                ("organization", "organization"),
                ("contact", "contact"),
                ("service_at_location", "service_at_location"),
            ),
        ),
        Spec(
            "language",
            m.Language,
            _f("name", "code", "note"),
            _l(("service", "service"), ("location", "location"), ("phone", "phone")),
        ),
        Spec(
            "funding",
            m.Funding,
            _f("source"),
            _l(("organization", "organization"), ("service", "service")),
        ),
        Spec(
            "accessibility",
            m.Accessibility,
            _f("description", "details", "url"),
            _l(("location", "location")),
        ),
        Spec(
            "attribute",
            m.Attribute,
            _f("link_id", "link_type", "link_entity", "value"),
            _l(("taxonomy_term", "taxonomy_term")),
        ),
        Spec(
            "metadata",
            m.FieldChange,
            (
                *_f("resource_id", "resource_type"),
                Field("last_action_date", "datetime", required=True),
                *_f(
                    "last_action_type",
                    "field_name",
                    "previous_value",
                    "replacement_value",
                    "updated_by",
                    required=True,
                ),
            ),
        ),
    )
}

# The order in which object types are written, so that references point backwards where possible.
WRITE_ORDER: tuple[str, ...] = (
    "taxonomy",
    "taxonomy_term",
    "organization",
    "organization_identifier",
    "program",
    "location",
    "service",
    "service_area",
    "cost_option",
    "required_document",
    "funding",
    "service_at_location",
    "contact",
    "phone",
    "language",
    "schedule",
    "address",
    "accessibility",
    "attribute",
    "metadata",
)
assert set(WRITE_ORDER) == set(SPECS)
