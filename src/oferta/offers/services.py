"""Writes to the offer catalogue: create, update and change the status of an offer (service).

Every write runs in one transaction, stamps ``last_modified``, records one audit event with the
before/after of the changed fields and one HSDS ``metadata`` row (``FieldChange``) per changed
field. Many-to-many terms and nested rows (areas, places, enrolment windows, documents) are
compared and logged as readable text summaries, so the history reads the same as the sheet.

The editor edits one contact per offer: the offer's first contact (lowest UUID, which never
changes) and that contact's first phone. It is logged as the flat fields ``contact.name``,
``contact.title``, ``contact.department``, ``contact.email`` and ``contact.phone``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oferta.accounts.audit import audit_event_record
from oferta.core.errors import ValidationFailed

from .models import (
    AreaScope,
    Contact,
    EnrolmentWindow,
    Organization,
    Phone,
    Program,
    RequiredDocument,
    Service,
    ServiceArea,
    ServiceStatus,
    Slot,
    TaxonomyTerm,
)

RESOURCE_TYPE = "service"

# Plain columns an offer form may set (anything else in ``data`` is ignored).
SCALAR_FIELDS: tuple[str, ...] = (
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "status",
    "application_process",
    "fees_description",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "eligibility_rule",
    "eligibility_scope",
    "eligibility_rule_description",
    "legal_basis",
    "alert",
)
M2M_FIELDS: tuple[str, ...] = (
    "ipm_indicators",
    "target_populations",
    "differential_approaches",
    "channels",
)
NESTED_FIELDS: tuple[str, ...] = (
    "service_areas",
    "slots",
    "enrolment_windows",
    "required_documents",
)
# Keys of ``data["contact"]``; logged as ``contact.<key>``.
CONTACT_FIELDS: tuple[str, ...] = ("name", "title", "department", "email", "phone")
# Digits, spaces, "+" and "-" only, with at least one digit.
PHONE_RE = re.compile(r"^[0-9 +\-]*[0-9][0-9 +\-]*$")
PHONE_MESSAGE = gettext_lazy("El teléfono solo puede tener dígitos, espacios y los signos + y -.")
EMAIL_MESSAGE = gettext_lazy("Escriba un correo electrónico válido.")


def contact_of(service: Service) -> Contact | None:
    """The contact the editor edits: the offer's first contact by UUID (stable across edits)."""
    return service.contacts.order_by("id").first()


def _phone_of(contact: Contact) -> Phone | None:
    return contact.phones.order_by("id").first()


def contact_values(service: Service) -> dict[str, str]:
    """The editable contact of an offer as text (all blank when it has none)."""
    contact = contact_of(service) if service.pk else None
    if contact is None:
        return dict.fromkeys(CONTACT_FIELDS, "")
    phone = _phone_of(contact)
    return {
        "name": contact.name,
        "title": contact.title,
        "department": contact.department,
        "email": contact.email,
        "phone": phone.number if phone else "",
    }


# --------------------------------------------------------------------------- text summaries


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _terms_text(terms: Iterable[TaxonomyTerm]) -> str:
    # Names, not codes: the change log is read by people (codes are in the HSDS export).
    return "; ".join(sorted(t.name for t in terms))


def area_scope_for(code: str) -> str:
    """The area scope of a DIVIPOLA code: "CO" nation, 2 digits department, else municipality."""
    code = (code or "").strip().upper()
    if code in ("", "CO"):
        return AreaScope.NATION
    if len(code) == 2:
        return AreaScope.DEPARTMENT
    return AreaScope.MUNICIPALITY


def _area_code(scope: str, code: str) -> str:
    return "CO" if scope == AreaScope.NATION else code


def _areas_text(rows: Iterable[Mapping[str, Any]]) -> str:
    return "; ".join(sorted({_area_code(r["scope"], r["divipola_code"]) for r in rows}))


def _slots_text(rows: Iterable[Mapping[str, Any]]) -> str:
    parts = [
        f"{r['territory_code']} {_text(r['period_start'])}..{_text(r['period_end'])}: "
        f"{r['places']}" + (f" ({r['notes']})" if r.get("notes") else "")
        for r in rows
    ]
    return "; ".join(sorted(parts))


def _windows_text(rows: Iterable[Mapping[str, Any]]) -> str:
    parts = [
        f"{_text(r['opens_on'])}..{_text(r['closes_on'])}"
        + (f" {r['territory_code']}" if r.get("territory_code") else "")
        + (f" ({r['description']})" if r.get("description") else "")
        for r in rows
    ]
    return "; ".join(sorted(parts))


def _documents_text(rows: Iterable[str]) -> str:
    return "; ".join(rows)


def _snapshot(service: Service) -> dict[str, str]:
    """Every loggable field of a saved offer as text."""
    snap: dict[str, str] = {f: _text(getattr(service, f)) for f in SCALAR_FIELDS}
    snap["organization"] = _text(service.organization_id and service.organization.name)
    snap["program"] = _text(service.program_id and service.program.name)
    for field in M2M_FIELDS:
        snap[field] = _terms_text(getattr(service, field).all())
    snap["service_areas"] = _areas_text(service.service_areas.values("scope", "divipola_code"))
    snap["slots"] = _slots_text(
        service.slots.values("territory_code", "period_start", "period_end", "places", "notes")
    )
    snap["enrolment_windows"] = _windows_text(
        service.enrolment_windows.values("opens_on", "closes_on", "territory_code", "description")
    )
    snap["required_documents"] = _documents_text(
        service.required_documents.order_by("document").values_list("document", flat=True)
    )
    for key, value in contact_values(service).items():
        snap[f"contact.{key}"] = value
    return snap


# --------------------------------------------------------------------------- validation


def _check(data: Mapping[str, Any]) -> None:
    """Invariants the service enforces whatever the caller (form, API, import) checked."""
    errors: dict[str, list[str]] = {}
    if "name" in data and not (data.get("name") or "").strip():
        errors.setdefault("name", []).append(_("El nombre de la oferta es obligatorio."))
    low, high = data.get("minimum_age"), data.get("maximum_age")
    if low is not None and high is not None and low > high:
        errors.setdefault("maximum_age", []).append(
            _("La edad máxima no puede ser menor que la edad mínima.")
        )
    if "status" in data and data["status"] not in ServiceStatus.values:
        errors.setdefault("status", []).append(_("Estado no válido."))
    for row in data.get("slots") or ():
        if row["period_end"] < row["period_start"]:
            errors.setdefault("slots", []).append(
                _("El periodo de cupos termina antes de empezar.")
            )
        if row["places"] is None or row["places"] < 0:
            errors.setdefault("slots", []).append(_("Los cupos no pueden ser negativos."))
    for row in data.get("enrolment_windows") or ():
        if row["closes_on"] < row["opens_on"]:
            errors.setdefault("enrolment_windows", []).append(
                _("La convocatoria cierra antes de abrir.")
            )
    contact = data.get("contact") or {}
    email = (contact.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("contact.email", []).append(str(EMAIL_MESSAGE))
    phone = (contact.get("phone") or "").strip()
    if phone and not PHONE_RE.match(phone):
        errors.setdefault("contact.phone", []).append(str(PHONE_MESSAGE))
    if errors:
        raise ValidationFailed(errors)


# --------------------------------------------------------------------------- writes


def _apply_contact(*, service: Service, values: Mapping[str, Any]) -> None:
    """Create, update or (when every field is cleared) delete the offer's editable contact.

    An existing contact keeps its UUID; its first phone is updated, created or deleted with the
    phone number. A new phone is linked to the contact only: linked to the offer as well, the
    sheet and the HSDS export would list it twice (as the offer's and as the contact's).
    """
    wanted = {k: (values.get(k) or "").strip() for k in CONTACT_FIELDS}
    if wanted == contact_values(service):
        return
    contact = contact_of(service)
    if not any(wanted.values()):
        if contact is not None:
            contact.delete()
        return
    if contact is None:
        contact = Contact(service=service)
    for key in ("name", "title", "department", "email"):
        setattr(contact, key, wanted[key])
    contact.save()
    phone = _phone_of(contact)
    if wanted["phone"]:
        if phone is None:
            phone = Phone(contact=contact)
        phone.number = wanted["phone"]
        phone.save()
    elif phone is not None:
        phone.delete()


def _apply(*, service: Service, data: Mapping[str, Any]) -> None:
    """Write ``data`` onto a saved ``service`` (columns, then M2M, then nested rows)."""
    for field in SCALAR_FIELDS:
        if field in data:
            value = data[field]
            if value is None and field not in ("minimum_age", "maximum_age"):
                value = ""
            setattr(service, field, value)
    if "organization" in data:
        service.organization = data["organization"]
    if "program" in data:
        service.program = data["program"]
    service.save()

    for field in M2M_FIELDS:
        if field in data:
            getattr(service, field).set(list(data[field] or ()))

    if "service_areas" in data:
        rows = [
            {
                "scope": r.get("scope") or area_scope_for(r["divipola_code"]),
                "divipola_code": (r.get("divipola_code") or "").strip().upper(),
                "name": r.get("name", ""),
            }
            for r in data["service_areas"] or ()
        ]
        if _areas_text(rows) != _areas_text(service.service_areas.values("scope", "divipola_code")):
            service.service_areas.all().delete()
            ServiceArea.objects.bulk_create(
                ServiceArea(
                    service=service,
                    scope=r["scope"],
                    divipola_code=_area_code(r["scope"], r["divipola_code"]),
                    name=r["name"],
                )
                for r in rows
            )
    if "slots" in data:
        rows = list(data["slots"] or ())
        current = service.slots.values(
            "territory_code", "period_start", "period_end", "places", "notes"
        )
        if _slots_text(rows) != _slots_text(current):
            service.slots.all().delete()
            Slot.objects.bulk_create(
                Slot(
                    service=service,
                    territory_code=r["territory_code"],
                    period_start=r["period_start"],
                    period_end=r["period_end"],
                    places=r["places"],
                    notes=r.get("notes") or "",
                )
                for r in rows
            )
    if "enrolment_windows" in data:
        rows = list(data["enrolment_windows"] or ())
        current = service.enrolment_windows.values(
            "opens_on", "closes_on", "territory_code", "description"
        )
        if _windows_text(rows) != _windows_text(current):
            service.enrolment_windows.all().delete()
            EnrolmentWindow.objects.bulk_create(
                EnrolmentWindow(
                    service=service,
                    opens_on=r["opens_on"],
                    closes_on=r["closes_on"],
                    territory_code=r.get("territory_code") or "",
                    description=r.get("description") or "",
                )
                for r in rows
            )
    if "required_documents" in data:
        docs = [d.strip() for d in data["required_documents"] or () if d and d.strip()]
        current_docs = list(
            service.required_documents.order_by("document").values_list("document", flat=True)
        )
        if sorted(docs) != current_docs:
            service.required_documents.all().delete()
            RequiredDocument.objects.bulk_create(
                RequiredDocument(service=service, document=d) for d in docs
            )
    if "contact" in data:
        _apply_contact(service=service, values=data["contact"] or {})


def _record(
    *,
    actor: Any,
    service: Service,
    action_type: str,
    before: dict[str, str],
    after: dict[str, str],
    when: Any,
    message: str = "",
    action: str = "",
) -> dict[str, tuple[str, str]]:
    """Write the audit event and one FieldChange per changed field; return the changes."""
    from .models import FieldChange

    changed = {k: (before.get(k, ""), v) for k, v in after.items() if before.get(k, "") != v}
    if not changed:
        return changed
    username = actor.get_username() if getattr(actor, "is_authenticated", False) else "sistema"
    FieldChange.objects.bulk_create(
        FieldChange(
            resource_id=str(service.id),
            resource_type=RESOURCE_TYPE,
            last_action_date=when,
            last_action_type=action_type,
            field_name=field,
            previous_value=old,
            replacement_value=new,
            updated_by=username,
        )
        for field, (old, new) in sorted(changed.items())
    )
    audit_event_record(
        actor=actor,
        action=action or f"offer_{action_type}",
        object_type=RESOURCE_TYPE,
        object_id=str(service.id),
        before={k: old for k, (old, _new) in changed.items()} if action_type != "create" else None,
        after={k: new for k, (_old, new) in changed.items()},
        message=message or service.name,
    )
    return changed


@transaction.atomic
def offer_create(
    *, actor: Any, organization: Organization | None, data: Mapping[str, Any]
) -> Service:
    """Create an offer of ``organization`` from cleaned form data.

    ``data`` holds the columns in ``SCALAR_FIELDS``, ``program``, the term lists in
    ``M2M_FIELDS`` and the nested rows: ``service_areas`` (dicts with ``divipola_code`` and
    optionally ``scope``), ``slots`` (``territory_code``, ``period_start``, ``period_end``,
    ``places``, ``notes``), ``enrolment_windows`` (``opens_on``, ``closes_on``,
    ``territory_code``, ``description``), ``required_documents`` (strings) and ``contact`` (a
    dict with ``name``, ``title``, ``department``, ``email`` and ``phone``).
    Raises ``ValidationFailed`` when an invariant is broken.
    """
    _check({"name": "", **data})
    _check_program(program=data.get("program"), organization=organization)
    now = timezone.now()
    service = Service(organization=organization, last_modified=now)
    values = {k: v for k, v in data.items() if k != "organization"}
    _apply(service=service, data=values)
    service.refresh_from_db()
    empty = dict.fromkeys(_snapshot(service), "")
    _record(
        actor=actor,
        service=service,
        action_type="create",
        before=empty,
        after=_snapshot(service),
        when=now,
    )
    return service


@transaction.atomic
def offer_update(*, actor: Any, service: Service, data: Mapping[str, Any]) -> Service:
    """Update ``service`` from cleaned form data (same keys as ``offer_create``, plus an
    optional ``organization``). Only changed fields are logged; a no-op writes nothing."""
    _check(data)
    service = Service.objects.select_for_update().get(pk=service.pk)
    _check_program(
        program=data.get("program", service.program),
        organization=data.get("organization", service.organization),
    )
    before = _snapshot(service)
    now = timezone.now()
    _apply(service=service, data=data)
    service = Service.objects.get(pk=service.pk)
    changed = _record(
        actor=actor,
        service=service,
        action_type="update",
        before=before,
        after=_snapshot(service),
        when=now,
    )
    if changed:
        Service.objects.filter(pk=service.pk).update(last_modified=now)
        service.last_modified = now
    return service


@transaction.atomic
def offer_set_status(*, actor: Any, service: Service, status: str, reason: str = "") -> Service:
    """Change the status of an offer (e.g. close it temporarily), with an optional reason."""
    if status not in ServiceStatus.values:
        raise ValidationFailed({"status": [_("Estado no válido.")]})
    service = Service.objects.select_for_update().get(pk=service.pk)
    if service.status == status:
        return service
    now = timezone.now()
    before = {"status": service.status}
    service.status = status
    service.last_modified = now
    service.save(update_fields=["status", "last_modified"])
    _record(
        actor=actor,
        service=service,
        action_type="update",
        before=before,
        after={"status": status},
        when=now,
        message=reason,
        action="offer_set_status",
    )
    return service


def _check_program(*, program: Program | None, organization: Organization | None) -> None:
    if program is not None and program.organization_id not in (
        None,
        getattr(organization, "pk", None),
    ):
        raise ValidationFailed(
            {"program": [_("El programa no pertenece a la entidad de la oferta.")]}
        )
