"""Load the demo catalogue idempotently: stable uuid5 ids, update in place, audit every change."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from django.db import transaction

from oferta.accounts.audit import audit_event_record
from oferta.offers.models import (
    AreaScope,
    Contact,
    EnrolmentWindow,
    Organization,
    RequiredDocument,
    Service,
    ServiceArea,
    Slot,
)
from oferta.offers.partners import PARTNER_BY_KEY, object_upsert, organization_id
from oferta.offers.taxonomies import (
    APPROACHES,
    CHANNELS,
    IPM,
    POPULATIONS,
    ProfileTaxonomy,
    taxonomies_ensure,
)

from .data import OFFERS, PLACE_NAMES, TERRITORIAL_ENTITIES
from .spec import NATION, DemoOffer

NAMESPACE = uuid.UUID("a3c1f0d2-7e4b-4c59-8f61-2b9d0e5c7a34")
ACTION_LOADED = "demo.loaded"
ACTION_REMOVED = "demo.removed"


def service_id(key: str) -> uuid.UUID:
    """The stable id of a demo offer, from its key."""
    return uuid.uuid5(NAMESPACE, f"service:{key}")


def _child_id(offer_key: str, kind: str, *parts: object) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join([kind, offer_key, *map(str, parts)]))


@transaction.atomic
def demo_catalogue_load(*, actor: Any | None = None) -> dict[str, int]:
    """Create or update the demo territorial entities and offers with all their parts.

    Idempotent: objects keep their uuid5 ids, a second run changes nothing and writes no audit
    events. Parts of a demo offer that are no longer in the data (areas, places, windows,
    documents) are removed. Requires the partner entities (``partners_ensure``).

    Returns counts per kind (``organizations``, ``offers``, ``service_areas``, ``slots``,
    ``enrolment_windows``, ``required_documents``, ``contacts``) and ``created``, ``updated``
    and ``removed``.
    """
    taxonomies_ensure()
    missing = sorted({o.organization for o in OFFERS} - _known_organization_keys())
    if missing:
        raise ValueError(f"Demo offers name unknown organisations: {', '.join(missing)}")
    absent = [
        p.key for p in PARTNER_BY_KEY.values() if not Organization.objects.filter(id=p.id).exists()
    ]
    if absent:
        raise RuntimeError(
            "Faltan las entidades aliadas de referencia; ejecute partners_ensure() antes "
            f"(faltan: {', '.join(absent)})."
        )

    outcomes: Counter[str] = Counter()
    counts: Counter[str] = Counter()

    def upsert(**kwargs: Any) -> Any:
        obj, outcome = object_upsert(
            created_action=ACTION_LOADED, updated_action=ACTION_LOADED, actor=actor, **kwargs
        )
        outcomes[outcome] += 1
        return obj

    for entity in TERRITORIAL_ENTITIES:
        upsert(
            model=Organization,
            object_id=organization_id(entity.key),
            fields={
                "name": entity.name,
                "alternate_name": entity.acronym,
                "description": entity.description,
                "website": entity.website,
                "legal_status": entity.legal_status,
                "level": entity.level,
                "sector": "territorial",
                "territory_code": entity.territory_code,
                "is_demo": True,
            },
            object_type="organization",
            label=f"Entidad territorial de demostración: {entity.name}",
        )
        counts["organizations"] += 1

    for offer in OFFERS:
        _offer_load(offer, upsert=upsert, counts=counts, outcomes=outcomes, actor=actor)

    return {**counts, **{k: outcomes[k] for k in ("created", "updated", "removed")}}


def _known_organization_keys() -> set[str]:
    return set(PARTNER_BY_KEY) | {e.key for e in TERRITORIAL_ENTITIES}


def _term_ids(taxonomy: ProfileTaxonomy, codes: tuple[str, ...]) -> list[uuid.UUID]:
    known = {code for code, _ in taxonomy.terms}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValueError(f"Unknown {taxonomy.key} codes in demo data: {', '.join(unknown)}")
    return [taxonomy.term_id(c) for c in codes]


def _area_fields(code: str) -> dict[str, Any]:
    if code == NATION:
        scope, divipola = AreaScope.NATION, ""
    elif len(code) == 2:
        scope, divipola = AreaScope.DEPARTMENT, code
    elif len(code) == 5:
        scope, divipola = AreaScope.MUNICIPALITY, code
    else:
        raise ValueError(f"Invalid demo area code {code!r}: use CO, 2 or 5 DIVIPOLA digits")
    return {"name": PLACE_NAMES[code], "scope": scope, "divipola_code": divipola}


def _offer_load(
    offer: DemoOffer,
    *,
    upsert: Any,
    counts: Counter[str],
    outcomes: Counter[str],
    actor: Any | None,
) -> None:
    organization_key = offer.organization
    partner = PARTNER_BY_KEY.get(organization_key)
    website = partner.website if partner else ""
    sid = service_id(offer.key)
    service = upsert(
        model=Service,
        object_id=sid,
        fields={
            "organization_id": organization_id(organization_key),
            "name": offer.name,
            "alternate_name": offer.alternate_name,
            "description": offer.description,
            "url": website,
            "status": offer.status,
            "application_process": offer.application_process,
            "fees_description": offer.fees_description,
            "eligibility_description": offer.rule_description,
            "minimum_age": offer.minimum_age,
            "maximum_age": offer.maximum_age,
            "alert": offer.alert,
            "eligibility_rule": offer.rule,
            "eligibility_scope": offer.scope,
            "eligibility_rule_description": offer.rule_description,
            "legal_basis": offer.legal_basis,
            "is_demo": True,
        },
        m2m={
            "ipm_indicators": _term_ids(IPM, offer.indicators),
            "target_populations": _term_ids(POPULATIONS, offer.populations),
            "differential_approaches": _term_ids(APPROACHES, offer.approaches),
            "channels": _term_ids(CHANNELS, offer.channels),
        },
        object_type="service",
        label=f"Oferta de demostración: {offer.name}"[:255],
    )
    counts["offers"] += 1

    wanted: dict[type, set[uuid.UUID]] = {
        ServiceArea: set(),
        Slot: set(),
        EnrolmentWindow: set(),
        RequiredDocument: set(),
        Contact: set(),
    }

    def child(model: type, object_id: uuid.UUID, fields: dict[str, Any]) -> None:
        upsert(
            model=model,
            object_id=object_id,
            fields={"service": service, **fields},
            object_type=_PARTS[model][1],
            label=f"{offer.name}"[:255],
        )
        wanted[model].add(object_id)

    for code in offer.areas:
        child(ServiceArea, _child_id(offer.key, "area", code), _area_fields(code))
    for territory, places in offer.places.items():
        for start, end in offer.periods:
            child(
                Slot,
                _child_id(offer.key, "slot", territory, start.isoformat()),
                {
                    "territory_code": territory,
                    "period_start": start,
                    "period_end": end,
                    "places": places,
                    "notes": "",
                },
            )
    for window in offer.windows:
        child(
            EnrolmentWindow,
            _child_id(offer.key, "window", window.territory_code, window.opens_on.isoformat()),
            {
                "opens_on": window.opens_on,
                "closes_on": window.closes_on,
                "territory_code": window.territory_code,
                "description": window.description,
            },
        )
    for document in offer.documents:
        child(
            RequiredDocument,
            _child_id(offer.key, "document", document),
            {"document": document},
        )
    # Fictitious mailbox on a reserved domain: demo data must not send mail to real entities.
    child(
        Contact,
        _child_id(offer.key, "contact"),
        {
            "name": "Enlace de oferta para Prosperidad Social",
            "title": "Enlace territorial de oferta",
            "department": "Oferta institucional",
            "email": f"enlace.{organization_key.replace('_', '-')}@demo.invalid",
        },
    )

    for model, ids in wanted.items():
        counts[_PARTS[model][0]] += len(ids)
        stale = model.objects.filter(service=service).exclude(id__in=ids)
        for obj in stale:
            audit_event_record(
                actor=actor,
                action=ACTION_REMOVED,
                object_type=_PARTS[model][1],
                object_id=str(obj.pk),
                message=f"Ya no está en los datos de demostración: {offer.name}"[:255],
            )
            outcomes["removed"] += 1
        stale.delete()


# model -> (count key, audit object type)
_PARTS: dict[type, tuple[str, str]] = {
    ServiceArea: ("service_areas", "service_area"),
    Slot: ("slots", "slot"),
    EnrolmentWindow: ("enrolment_windows", "enrolment_window"),
    RequiredDocument: ("required_documents", "required_document"),
    Contact: ("contacts", "contact"),
}
