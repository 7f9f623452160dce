"""HSDS 3.0 JSON output of the catalogue: the object serializer (also used by the API) and export.

Rules that keep ``import(export(catalogue))`` exact: optional fields that are empty ("" or null)
and empty lists are omitted, fields the schema requires are always written, every nested list is
sorted by id, and every reference a row holds (``organization_id``, ``service_id``...) is written
even where nesting already implies it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from oferta.offers.models import (
    Attribute,
    FieldChange,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

from . import selectors
from .fields import SPECS, Field
from .profile import CLASSIFICATION_FIELDS, EXTENSION_KEY, classification_attribute_id
from .schemas import HsdsIssue, validate

EXPORT_FILES: dict[str, str] = {
    "organizations": "organization",
    "services": "service",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}
_CHUNK = 500


def _by_id(rows: Iterable[Any]) -> list[Any]:
    return sorted(rows, key=lambda row: str(row.pk))


def datetime_text(value: datetime) -> str:
    text = value.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


def number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _value(field: Field, value: Any) -> Any:
    """The JSON value of a model value, or None when the field is empty and so omitted."""
    if field.type == "bool":
        return bool(value)
    if value is None or value == "":
        return "" if field.required else None
    if field.type == "int":
        return int(value)
    if field.type == "decimal":
        return number(value)
    if field.type == "datetime" and isinstance(value, datetime):
        return datetime_text(value)
    if field.type in {"date", "time"} and isinstance(value, date | time):
        return value.isoformat()
    return value


class HsdsSerializer:
    """Turns model instances (prefetched by ``selectors``) into HSDS dicts.

    Attributes and metadata of every object emitted are loaded in bulk by ``finish()``, which must
    be called once after the last object.
    """

    def __init__(self) -> None:
        self._emitted: list[dict[str, Any]] = []

    # -- building blocks -------------------------------------------------------------------
    def _object(self, kind: str, instance: Any, *, track: bool = True) -> dict[str, Any]:
        spec = SPECS[kind]
        data: dict[str, Any] = {"id": str(instance.pk)}
        for link in spec.links:
            ref = getattr(instance, link.attname)
            if ref is not None:
                data[link.name] = str(ref)
        for fld in spec.fields:
            value = _value(fld, getattr(instance, fld.name))
            if value is not None:
                data[fld.name] = value
        extension = {}
        for fld in spec.profile:
            value = _value(fld, getattr(instance, fld.name))
            if value is not None:
                extension[fld.name] = value
        if extension:
            data[EXTENSION_KEY] = extension
        if track:
            self._emitted.append(data)
        return data

    @staticmethod
    def _put(data: dict[str, Any], key: str, items: list[dict[str, Any]]) -> None:
        if items:
            data[key] = items

    def _many(self, kind: str, rows: Iterable[Any]) -> list[dict[str, Any]]:
        return [self._object(kind, row) for row in _by_id(rows)]

    # -- objects ---------------------------------------------------------------------------
    def phone(self, phone) -> dict[str, Any]:
        data = self._object("phone", phone)
        self._put(data, "languages", self._many("language", phone.languages.all()))
        return data

    def phones(self, rows) -> list[dict[str, Any]]:
        return [self.phone(p) for p in _by_id(rows)]

    def contacts(self, rows) -> list[dict[str, Any]]:
        result = []
        for contact in _by_id(rows):
            data = self._object("contact", contact)
            self._put(data, "phones", self.phones(contact.phones.all()))
            result.append(data)
        return result

    def location(self, location) -> dict[str, Any]:
        data = self._object("location", location)
        self._put(data, "languages", self._many("language", location.languages.all()))
        self._put(data, "addresses", self._many("address", location.addresses.all()))
        self._put(data, "contacts", self.contacts(location.contacts.all()))
        self._put(data, "accessibility", self._many("accessibility", location.accessibility.all()))
        self._put(data, "phones", self.phones(location.phones.all()))
        self._put(data, "schedules", self._many("schedule", location.schedules.all()))
        return data

    def location_basic(self, location) -> dict[str, Any]:
        return self._object("location", location)

    def organization_basic(self, organization: Organization) -> dict[str, Any]:
        return self._object("organization", organization)

    def organization(self, organization: Organization) -> dict[str, Any]:
        """A fully nested organization (without its services: those are separate objects)."""
        data = self._object("organization", organization)
        self._put(data, "funding", self._many("funding", organization.funding.all()))
        self._put(data, "contacts", self.contacts(organization.contacts.all()))
        self._put(data, "phones", self.phones(organization.phones.all()))
        self._put(
            data, "locations", [self.location(x) for x in _by_id(organization.locations.all())]
        )
        self._put(data, "programs", self._many("program", organization.programs.all()))
        self._put(
            data,
            "organization_identifiers",
            self._many("organization_identifier", organization.organization_identifiers.all()),
        )
        return data

    def service_fields(self, service: Service) -> dict[str, Any]:
        """A service with its one-to-one fields only (as nested in an organization)."""
        return self._object("service", service)

    def service_basic(self, service: Service) -> dict[str, Any]:
        """A service with its one-to-one fields, organization and program (the list shape)."""
        data = self._object("service", service)
        if service.organization is not None:
            data["organization"] = self.organization_basic(service.organization)
        if service.program is not None:
            data["program"] = self._object("program", service.program)
        return data

    def service_at_location(self, sal: ServiceAtLocation) -> dict[str, Any]:
        data = self._object("service_at_location", sal)
        self._put(data, "contacts", self.contacts(sal.contacts.all()))
        self._put(data, "phones", self.phones(sal.phones.all()))
        self._put(data, "schedules", self._many("schedule", sal.schedules.all()))
        if sal.location is not None:
            data["location"] = self.location(sal.location)
        return data

    def service_at_location_basic(self, sal: ServiceAtLocation) -> dict[str, Any]:
        data = self._object("service_at_location", sal)
        if sal.location is not None:
            data["location"] = self.location_basic(sal.location)
        data["service"] = self.service_basic(sal.service)
        return data

    def service(self, service: Service) -> dict[str, Any]:
        """A fully nested service, as HSDS ``service_full``, with the profile.

        The organization is nested with its one-to-one fields only: its locations, contacts and
        programs are in the organization object, not repeated in each of its services.
        """
        data = self._object("service", service)
        self._put(data, "phones", self.phones(service.phones.all()))
        self._put(data, "schedules", self._many("schedule", service.schedules.all()))
        self._put(data, "service_areas", self._many("service_area", service.service_areas.all()))
        self._put(
            data,
            "service_at_locations",
            [self.service_at_location(x) for x in _by_id(service.service_at_locations.all())],
        )
        self._put(data, "languages", self._many("language", service.languages.all()))
        if service.organization is not None:
            data["organization"] = self.organization_basic(service.organization)
        self._put(data, "funding", self._many("funding", service.funding.all()))
        self._put(data, "cost_options", self._many("cost_option", service.cost_options.all()))
        if service.program is not None:
            data["program"] = self._object("program", service.program)
        self._put(
            data,
            "required_documents",
            self._many("required_document", service.required_documents.all()),
        )
        self._put(data, "contacts", self.contacts(service.contacts.all()))
        self._put(data, "attributes", self._classifications(service))
        extension = data.setdefault(EXTENSION_KEY, {})
        slots = sorted(service.slots.all(), key=lambda s: (s.territory_code, s.period_start))
        if slots:
            extension["slots"] = [_slot(s) for s in slots]
        windows = sorted(service.enrolment_windows.all(), key=lambda w: (w.opens_on, str(w.id)))
        if windows:
            extension["enrolment_windows"] = [_window(w) for w in windows]
        return data

    def _classifications(self, service: Service) -> list[dict[str, Any]]:
        result = []
        for field_name in CLASSIFICATION_FIELDS:
            for term in sorted(getattr(service, field_name).all(), key=lambda t: (t.code, t.pk)):
                result.append(
                    {
                        "id": str(
                            classification_attribute_id(
                                service_id=service.pk, field=field_name, term_id=term.pk
                            )
                        ),
                        "link_id": str(service.pk),
                        "link_type": field_name,
                        "link_entity": "service",
                        "taxonomy_term_id": str(term.pk),
                        "taxonomy_term": self._object("taxonomy_term", term, track=False),
                    }
                )
        return result

    def taxonomy(self, taxonomy: Taxonomy) -> dict[str, Any]:
        return self._object("taxonomy", taxonomy)

    def taxonomy_term(self, term: TaxonomyTerm) -> dict[str, Any]:
        return self._object("taxonomy_term", term)

    # -- attributes and metadata, in bulk --------------------------------------------------
    def finish(self) -> None:
        """Attach generic attributes and metadata to every object emitted so far."""
        attributes = _rows_by(
            Attribute.objects.select_related("taxonomy_term"), "link_id", self._ids()
        )
        for data in list(self._emitted):
            rows = attributes.get(data["id"])
            if rows:
                data.setdefault("attributes", []).extend(self._attribute(a) for a in _by_id(rows))
        changes = _rows_by(FieldChange.objects.all(), "resource_id", self._ids())
        for data in self._emitted:
            rows = changes.get(data["id"])
            if rows:
                rows = sorted(rows, key=lambda c: (c.last_action_date, c.field_name, str(c.pk)))
                data["metadata"] = [self._object("metadata", c, track=False) for c in rows]
        self._emitted = []

    def _attribute(self, attribute: Attribute) -> dict[str, Any]:
        data = self._object("attribute", attribute)
        if attribute.taxonomy_term is not None:
            data["taxonomy_term"] = self._object(
                "taxonomy_term", attribute.taxonomy_term, track=False
            )
        return data

    def _ids(self) -> list[str]:
        return sorted({d["id"] for d in self._emitted})


def _rows_by(queryset: QuerySet, column: str, ids: list[str]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = defaultdict(list)
    for start in range(0, len(ids), _CHUNK):
        for row in queryset.filter(**{f"{column}__in": ids[start : start + _CHUNK]}):
            found[getattr(row, column)].append(row)
    return found


def _slot(slot) -> dict[str, Any]:
    data = {
        "id": str(slot.id),
        "territory_code": slot.territory_code,
        "period_start": slot.period_start.isoformat(),
        "period_end": slot.period_end.isoformat(),
        "places": slot.places,
    }
    if slot.notes:
        data["notes"] = slot.notes
    return data


def _window(window) -> dict[str, Any]:
    data = {
        "id": str(window.id),
        "opens_on": window.opens_on.isoformat(),
        "closes_on": window.closes_on.isoformat(),
    }
    if window.territory_code:
        data["territory_code"] = window.territory_code
    if window.description:
        data["description"] = window.description
    return data


# -- the catalogue -------------------------------------------------------------------------


def catalogue_data(
    *,
    organizations: QuerySet[Organization] | None = None,
    services: QuerySet[Service] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """The catalogue as HSDS objects, keyed by export file stem.

    By default everything; with ``services`` only those services (and, unless ``organizations``
    is given, their organizations). Taxonomies and terms are always complete.
    """
    if services is not None and organizations is None:
        organizations = Organization.objects.filter(
            id__in=services.exclude(organization=None).values("organization_id")
        )
    serializer = HsdsSerializer()
    data = {
        "organizations": [
            serializer.organization(o) for o in selectors.organizations_full(organizations)
        ],
        "services": [serializer.service(s) for s in selectors.services_full(services)],
        "taxonomies": [serializer.taxonomy(t) for t in selectors.taxonomies()],
        "taxonomy_terms": [serializer.taxonomy_term(t) for t in selectors.taxonomy_terms()],
    }
    serializer.finish()
    return data


@dataclass
class ExportResult:
    directory: Path
    counts: dict[str, int]
    issues: list[HsdsIssue] = field(default_factory=list)


def catalogue_validate(data: dict[str, list[dict[str, Any]]], *, profile: bool = True):
    """Validate every exported object; issues name the file they would be written to."""
    issues = []
    for stem, objects in data.items():
        kind = EXPORT_FILES[stem]
        for obj in objects:
            issues += [i.in_file(f"{stem}.json") for i in validate(kind, obj, profile=profile)]
    return issues


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def catalogue_export(
    *,
    directory: Path,
    organizations: QuerySet[Organization] | None = None,
    services: QuerySet[Service] | None = None,
) -> ExportResult:
    """Write the catalogue as HSDS 3.0 JSON: one array of full objects per file.

    ``organizations.json``, ``services.json``, ``taxonomies.json``, ``taxonomy_terms.json``.
    Every object is validated against the schemas; issues are returned, files written anyway.
    """
    data = catalogue_data(organizations=organizations, services=services)
    directory.mkdir(parents=True, exist_ok=True)
    for stem, objects in data.items():
        (directory / f"{stem}.json").write_text(dumps(objects), encoding="utf-8")
    return ExportResult(
        directory=directory,
        counts={stem: len(objects) for stem, objects in data.items()},
        issues=catalogue_validate(data),
    )
