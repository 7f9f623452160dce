"""Import of HSDS 3.0 JSON into the catalogue: validate everything, then upsert in one transaction.

Accepted in a directory (every ``*.json``; the object type comes from the file name):

- arrays of objects (oferta's export: ``organizations.json``, ``services.json``,
  ``taxonomies.json``, ``taxonomy_terms.json``);
- one object (``service_full.json``, ``organization_full.json``, ``location.json``,
  ``taxonomy.json``, ``taxonomy_term.json``, ``service_at_location_full.json``);
- an API page with ``contents`` (``*_list.json``).

The same object may appear many times (a phone nested under a service, its location and a
contact): the occurrences are merged and every nesting sets the matching reference. An imported
object replaces the stored one field by field (absent optional fields are cleared); rows are never
deleted, except that a service's profile classifications are set to exactly those imported.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from oferta.accounts.audit import audit_event_record
from oferta.offers.models import EnrolmentWindow, Service, Slot

from .fields import SPECS, WRITE_ORDER, Field
from .profile import CLASSIFICATION_FIELDS, EXTENSION_KEY
from .schemas import HsdsIssue, show, validate

# File stem (after removing _full / _list) → object type.
KIND_BY_STEM: dict[str, str] = {
    "organizations": "organization",
    "organization": "organization",
    "services": "service",
    "service": "service",
    "service_at_locations": "service_at_location",
    "service_at_location": "service_at_location",
    "locations": "location",
    "location": "location",
    "taxonomies": "taxonomy",
    "taxonomy": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
    "taxonomy_term": "taxonomy_term",
}
_API_META_KEYS = {"version", "profile", "openapi_url"}

# Nested lists: parent type → {key: (child type, reference the nesting sets on the child)}.
CHILDREN: dict[str, dict[str, tuple[str, str]]] = {
    "organization": {
        "funding": ("funding", "organization_id"),
        "contacts": ("contact", "organization_id"),
        "phones": ("phone", "organization_id"),
        "locations": ("location", "organization_id"),
        "programs": ("program", "organization_id"),
        "organization_identifiers": ("organization_identifier", "organization_id"),
        "services": ("service", "organization_id"),
    },
    "service": {
        "phones": ("phone", "service_id"),
        "schedules": ("schedule", "service_id"),
        "service_areas": ("service_area", "service_id"),
        "service_at_locations": ("service_at_location", "service_id"),
        "languages": ("language", "service_id"),
        "funding": ("funding", "service_id"),
        "cost_options": ("cost_option", "service_id"),
        "required_documents": ("required_document", "service_id"),
        "contacts": ("contact", "service_id"),
    },
    "location": {
        "languages": ("language", "location_id"),
        "addresses": ("address", "location_id"),
        "contacts": ("contact", "location_id"),
        "accessibility": ("accessibility", "location_id"),
        "phones": ("phone", "location_id"),
        "schedules": ("schedule", "location_id"),
    },
    "service_at_location": {
        "contacts": ("contact", "service_at_location_id"),
        "phones": ("phone", "service_at_location_id"),
        "schedules": ("schedule", "service_at_location_id"),
    },
    "contact": {"phones": ("phone", "contact_id")},
    "phone": {"languages": ("language", "phone_id")},
}
# Nested single objects: parent type → {key: (child type, reference set on the parent)}.
ONE: dict[str, dict[str, tuple[str, str]]] = {
    "service": {
        "organization": ("organization", "organization_id"),
        "program": ("program", "program_id"),
    },
    "service_at_location": {
        "location": ("location", "location_id"),
        "service": ("service", "service_id"),
    },
    "taxonomy_term": {"taxonomy_detail": ("taxonomy", "taxonomy_id")},
    "attribute": {"taxonomy_term": ("taxonomy_term", "taxonomy_term_id")},
}

_INT_RANGES = {
    models.PositiveSmallIntegerField: (0, 32767),
    models.PositiveIntegerField: (0, 2147483647),
    models.IntegerField: (-2147483648, 2147483647),
}


@dataclass
class ImportResult:
    directory: Path
    files: list[str]
    counts: dict[str, int]  # object type → objects written
    created: dict[str, int]
    updated: dict[str, int]
    warnings: list[str] = field(default_factory=list)


class CatalogueImportError(Exception):
    """The import was refused; nothing was written. ``issues`` name file, object, id, field."""

    def __init__(self, issues: list[HsdsIssue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


@dataclass
class _Record:
    file: str
    data: dict[str, Any] = field(default_factory=dict)


class _Collector:
    """Walks the HSDS objects and merges every occurrence into one record per (type, id)."""

    def __init__(self) -> None:
        self.records: dict[str, dict[str, _Record]] = defaultdict(dict)
        self.classified: dict[str, set[tuple[str, str]]] = {}  # service id → {(field, term id)}
        self.classification_files: dict[str, str] = {}

    def walk(
        self, kind: str, obj: dict[str, Any], file: str, context: dict[str, str] | None = None
    ) -> str:
        object_id = obj["id"]
        record = self.records[kind].setdefault(object_id, _Record(file=file))
        spec = SPECS[kind]
        for name in [f.name for f in spec.fields] + [link.name for link in spec.links]:
            if name in obj:
                record.data[name] = obj[name]
        if context:
            record.data.update(context)
        if EXTENSION_KEY in obj:
            record.data.setdefault(EXTENSION_KEY, {}).update(obj[EXTENSION_KEY])
        for key, (child_kind, reference) in CHILDREN.get(kind, {}).items():
            for child in obj.get(key) or []:
                self.walk(child_kind, child, file, {reference: object_id})
        for key, (child_kind, reference) in ONE.get(kind, {}).items():
            if isinstance(obj.get(key), dict):
                record.data[reference] = self.walk(child_kind, obj[key], file)
        if kind == "service":
            self.classified.setdefault(object_id, set())
            self.classification_files.setdefault(object_id, file)
        for attribute in obj.get("attributes") or []:
            self._attribute(kind, object_id, attribute, file)
        for change in obj.get("metadata") or []:
            context = {"resource_id": object_id, "resource_type": kind}
            context = {k: v for k, v in context.items() if k not in change}
            self.walk("metadata", change, file, context)
        return object_id

    def _attribute(self, kind: str, object_id: str, attribute: dict[str, Any], file: str) -> None:
        term = attribute.get("taxonomy_term")
        term_id = attribute.get("taxonomy_term_id") or (term or {}).get("id")
        if (
            kind == "service"
            and attribute.get("link_type") in CLASSIFICATION_FIELDS
            and attribute.get("link_entity") in (None, "", "service")
            and attribute.get("link_id") in (None, object_id)
            and term_id
        ):
            if isinstance(term, dict):
                self.walk("taxonomy_term", term, file)
            self.classified[object_id].add((attribute["link_type"], term_id))
            return
        context = {} if "link_id" in attribute else {"link_id": object_id}
        self.walk("attribute", attribute, file, context)


def _read(directory: Path) -> tuple[list[tuple[str, str, dict]], list[HsdsIssue], list[str]]:
    """Every object of every file as (file, kind, object); schema issues; warnings."""
    objects: list[tuple[str, str, dict]] = []
    issues: list[HsdsIssue] = []
    warnings: list[str] = []
    files = sorted(directory.glob("*.json"))
    if not files:
        issues.append(
            HsdsIssue(_("no hay archivos .json en el directorio %(dir)s") % {"dir": directory})
        )
    for path in files:
        name = path.name
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            issues.append(HsdsIssue(_("el archivo no está en UTF-8"), file=name))
            continue
        except json.JSONDecodeError as error:
            issues.append(
                HsdsIssue(
                    _("JSON inválido en la línea %(line)s, columna %(col)s: %(msg)s")
                    % {"line": error.lineno, "col": error.colno, "msg": error.msg},
                    file=name,
                )
            )
            continue
        if isinstance(content, dict) and content and set(content) <= _API_META_KEYS:
            warnings.append(
                _("%(file)s: descripción de una API HSDS, no contiene objetos; se omite")
                % {"file": name}
            )
            continue
        if isinstance(content, dict) and content and all(k.endswith(".csv") for k in content):
            warnings.append(
                _("%(file)s: formato tabular (tablas CSV) no soportado; use JSON anidado; se omite")
                % {"file": name}
            )
            continue
        stem = path.stem.removesuffix("_full").removesuffix("_list")
        kind = KIND_BY_STEM.get(stem)
        if kind is None:
            issues.append(
                HsdsIssue(
                    _(
                        "no se reconoce el tipo de objeto por el nombre del archivo; use "
                        "organizations.json, services.json, service_at_locations.json, "
                        "locations.json, taxonomies.json o taxonomy_terms.json"
                    ),
                    file=name,
                )
            )
            continue
        if isinstance(content, dict) and "contents" in content:
            content = content["contents"]
        items = content if isinstance(content, list) else [content]
        if not isinstance(content, list | dict):
            issues.append(
                HsdsIssue(_("se esperaba un objeto, una lista o una página HSDS"), file=name)
            )
            continue
        for position, item in enumerate(items):
            if not isinstance(item, dict):
                issues.append(
                    HsdsIssue(
                        _("el elemento %(n)s no es un objeto %(kind)s")
                        % {"n": position + 1, "kind": kind},
                        file=name,
                    )
                )
                continue
            found = [i.in_file(name) for i in validate(kind, item)]
            issues += found
            if not found:
                objects.append((name, kind, item))
    return objects, issues, warnings


# -- conversion of values -------------------------------------------------------------------


class _Bad(ValueError):
    pass


class _TooLong(Exception):
    """A text longer than its column: kept cut, with a warning (see the report on the models)."""

    def __init__(self, value: str, limit: int):
        self.value, self.limit = value, limit


def _convert(model_field: models.Field, fld: Field, value: Any) -> Any:
    if value is None:
        value = ""
    if fld.type == "bool":
        return bool(value)
    if value == "":
        if model_field.null:
            return None
        if model_field.has_default() and model_field.choices:
            return model_field.get_default()
        return ""
    if fld.type == "str":
        if model_field.choices and value not in {c[0] for c in model_field.choices}:
            options = ", ".join(str(c[0]) for c in model_field.choices)
            raise _Bad(
                _("%(value)s no es uno de %(options)s") % {"value": show(value), "options": options}
            )
        if model_field.max_length and len(value) > model_field.max_length:
            raise _TooLong(value[: model_field.max_length], model_field.max_length)
        return value
    if fld.type == "int":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise _Bad(_("%(value)s no es un número entero") % {"value": show(value)})
        low, high = next(r for t, r in _INT_RANGES.items() if isinstance(model_field, t))
        if not low <= value <= high:
            raise _Bad(
                _("%(value)s está fuera del rango %(low)s a %(high)s")
                % {"value": value, "low": low, "high": high}
            )
        return value
    if fld.type == "decimal":
        try:
            number = Decimal(str(value)).quantize(Decimal(1).scaleb(-model_field.decimal_places))
        except InvalidOperation as error:
            raise _Bad(_("%(value)s no es un número válido") % {"value": show(value)}) from error
        if len(number.as_tuple().digits) > model_field.max_digits:
            raise _Bad(_("%(value)s tiene demasiados dígitos") % {"value": show(value)})
        return number
    try:
        if fld.type == "date":
            return date.fromisoformat(value)
        if fld.type == "time":
            return time.fromisoformat(value)
        if fld.type == "datetime":
            moment = datetime.fromisoformat(value)
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    except (TypeError, ValueError) as error:
        expected = {"date": "AAAA-MM-DD", "time": "HH:MM:SS", "datetime": "ISO 8601"}[fld.type]
        raise _Bad(
            _("%(value)s no es una fecha u hora válida (%(expected)s)")
            % {"value": show(value), "expected": expected}
        ) from error
    raise AssertionError(fld.type)  # pragma: no cover


class _Writer:
    """Turns merged records into model rows, resolving references, then writes them."""

    def __init__(self, collector: _Collector) -> None:
        self.collector = collector
        self.issues: list[HsdsIssue] = []
        self.warnings: list[str] = []
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.slots: list[dict[str, Any]] = []
        self.windows: list[dict[str, Any]] = []
        self._known: dict[str, set[str]] = {}
        self.classification_count = 0

    def _exists(self, kind: str, ref: str) -> bool:
        if ref in self.collector.records.get(kind, {}):
            return True
        if kind not in self._known:
            refs = {
                r.data[link.name]
                for spec in SPECS.values()
                for link in spec.links
                if link.kind == kind
                for r in self.collector.records.get(spec.kind, {}).values()
                if r.data.get(link.name)
            }
            if kind == "taxonomy_term":
                refs |= {t for links in self.collector.classified.values() for _f, t in links}
            refs -= set(self.collector.records.get(kind, {}))
            model = SPECS[kind].model
            self._known[kind] = {
                str(pk)
                for pk in _in_chunks(model.objects.values_list("pk", flat=True), sorted(refs))
            }
        return ref in self._known[kind]

    def _issue(self, record: _Record, kind: str, object_id: str, name: str, message: str) -> None:
        self.issues.append(HsdsIssue(message, kind, object_id, name, record.file))

    def prepare(self) -> None:
        for kind in WRITE_ORDER:
            spec = SPECS[kind]
            model_fields = {f.name: f for f in spec.model._meta.get_fields() if f.concrete}
            for object_id, record in self.collector.records.get(kind, {}).items():
                row: dict[str, Any] = {"id": uuid.UUID(object_id)}
                extension = record.data.get(EXTENSION_KEY, {})
                for fld in spec.fields:
                    self._value(row, record, kind, object_id, model_fields, fld, record.data)
                for fld in spec.profile:
                    self._value(row, record, kind, object_id, model_fields, fld, extension, True)
                for link in spec.links:
                    ref = record.data.get(link.name)
                    if ref and not self._exists(link.kind, ref):
                        self.warnings.append(
                            _(
                                "%(file)s: %(kind)s '%(id)s' campo '%(field)s': %(target)s "
                                "'%(ref)s' no existe; la referencia queda vacía"
                            )
                            % {
                                "file": record.file,
                                "kind": kind,
                                "id": object_id,
                                "field": link.name,
                                "target": link.kind,
                                "ref": ref,
                            }
                        )
                        ref = None
                    row[link.attname] = uuid.UUID(ref) if ref else None
                self.rows[kind].append(row)
                if kind == "service":
                    self._profile_rows(record, object_id, extension)

    def _value(self, row, record, kind, object_id, model_fields, fld, source, profile=False):
        name = f"{EXTENSION_KEY}.{fld.name}" if profile else fld.name
        try:
            row[fld.name] = _convert(model_fields[fld.name], fld, source.get(fld.name))
        except _Bad as error:
            self._issue(record, kind, object_id, name, str(error))
        except _TooLong as cut:
            row[fld.name] = cut.value
            self.warnings.append(
                _(
                    "%(file)s: %(kind)s '%(id)s' campo '%(field)s': supera %(n)s caracteres; "
                    "se recorta"
                )
                % {
                    "file": record.file,
                    "kind": kind,
                    "id": object_id,
                    "field": name,
                    "n": cut.limit,
                }
            )

    def _profile_rows(self, record: _Record, service_id: str, extension: dict) -> None:
        for position, slot in enumerate(extension.get("slots") or []):
            start, end = (
                date.fromisoformat(slot["period_start"]),
                date.fromisoformat(slot["period_end"]),
            )
            if end < start:
                self._issue(
                    record,
                    "service",
                    service_id,
                    f"{EXTENSION_KEY}.slots[{position}].period_end",
                    _("la fecha final es anterior a la inicial"),
                )
            self.slots.append(
                {
                    "id": uuid.UUID(slot["id"]),
                    "service_id": uuid.UUID(service_id),
                    "territory_code": slot["territory_code"],
                    "period_start": start,
                    "period_end": end,
                    "places": slot["places"],
                    "notes": slot.get("notes", ""),
                }
            )
        for position, window in enumerate(extension.get("enrolment_windows") or []):
            opens, closes = (
                date.fromisoformat(window["opens_on"]),
                date.fromisoformat(window["closes_on"]),
            )
            if closes < opens:
                self._issue(
                    record,
                    "service",
                    service_id,
                    f"{EXTENSION_KEY}.enrolment_windows[{position}].closes_on",
                    _("la fecha de cierre es anterior a la de apertura"),
                )
            self.windows.append(
                {
                    "id": uuid.UUID(window["id"]),
                    "service_id": uuid.UUID(service_id),
                    "opens_on": opens,
                    "closes_on": closes,
                    "territory_code": window.get("territory_code", ""),
                    "description": window.get("description", ""),
                }
            )

    def write(self) -> tuple[dict[str, int], dict[str, int]]:
        created: dict[str, int] = {}
        updated: dict[str, int] = {}
        for kind in WRITE_ORDER:
            if self.rows.get(kind):
                created[kind], updated[kind] = _upsert(SPECS[kind].model, self.rows[kind])
        for name, model, rows in (
            ("slot", Slot, self.slots),
            ("enrolment_window", EnrolmentWindow, self.windows),
        ):
            if rows:
                created[name], updated[name] = _upsert(model, rows)
        self.classification_count = self._classifications()
        return created, updated

    def _classifications(self) -> int:
        services = [uuid.UUID(s) for s in self.collector.classified]
        total = 0
        for field_name in CLASSIFICATION_FIELDS:
            through = getattr(Service, field_name).through
            for start in range(0, len(services), 500):
                through.objects.filter(service_id__in=services[start : start + 500]).delete()
            links = []
            for service_id, pairs in self.collector.classified.items():
                for link_type, term_id in sorted(pairs):
                    if link_type != field_name:
                        continue
                    if not self._exists("taxonomy_term", term_id):
                        self.warnings.append(
                            _(
                                "%(file)s: service '%(id)s' campo 'attributes': taxonomy_term "
                                "'%(ref)s' no existe; la clasificación se omite"
                            )
                            % {
                                "file": self.collector.classification_files[service_id],
                                "id": service_id,
                                "ref": term_id,
                            }
                        )
                        continue
                    links.append(
                        through(
                            service_id=uuid.UUID(service_id), taxonomyterm_id=uuid.UUID(term_id)
                        )
                    )
            through.objects.bulk_create(links, batch_size=500)
            total += len(links)
        return total


def _in_chunks(queryset, ids: list, column: str = "pk") -> list:
    found: list = []
    for start in range(0, len(ids), 500):
        found += list(queryset.filter(**{f"{column}__in": ids[start : start + 500]}))
    return found


def _upsert(model: type[models.Model], rows: list[dict[str, Any]]) -> tuple[int, int]:
    ids = [row["id"] for row in rows]
    existing = set(_in_chunks(model.objects.values_list("pk", flat=True), ids))
    new = [model(**row) for row in rows if row["id"] not in existing]
    fields = [name for name in rows[0] if name != "id"]
    old = [model(**row) for row in rows if row["id"] in existing]
    model.objects.bulk_create(new, batch_size=500)
    if old:
        model.objects.bulk_update(old, fields, batch_size=500)
    return len(new), len(old)


def catalogue_import(*, directory: Path, actor=None) -> ImportResult:
    """Import an HSDS 3.0 JSON directory into the catalogue, all or nothing.

    Every object is validated against the HSDS schemas and the profile first; any problem raises
    ``CatalogueImportError`` (with every issue) before anything is written. Records one audit
    event ``catalogue.imported`` with the counts.
    """
    directory = Path(directory)
    objects, issues, warnings = _read(directory)
    if issues:
        raise CatalogueImportError(issues)
    collector = _Collector()
    for file, kind, obj in objects:
        collector.walk(kind, obj, file)
    writer = _Writer(collector)
    writer.prepare()
    if writer.issues:
        raise CatalogueImportError(writer.issues)
    try:
        with transaction.atomic():
            created, updated = writer.write()
            counts = {
                kind: created.get(kind, 0) + updated.get(kind, 0)
                for kind in sorted(set(created) | set(updated))
            }
            if writer.classification_count:
                counts["classification"] = writer.classification_count
            audit_event_record(
                actor=actor,
                action="catalogue.imported",
                object_type="catalogue",
                object_id=directory.name,
                after=counts,
            )
    except IntegrityError as error:
        raise CatalogueImportError(
            [HsdsIssue(_("conflicto de integridad al guardar: %(error)s") % {"error": error})]
        ) from error
    return ImportResult(
        directory=directory,
        files=sorted({file for file, _kind, _obj in objects}),
        counts=counts,
        created=created,
        updated=updated,
        warnings=warnings + writer.warnings,
    )
